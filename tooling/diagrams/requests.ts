/**
 * The protocol of the notebook kernels' diagram drawing, answered by the worker of one kernel
 * (worker.ts, on its stdin and stdout) and by the drawing server of a build (server.ts, on one
 * socket connection per kernel): one JSON request per line, `{"id": 1, "code": "sequenceDiagram
 * ...", "file": "/abs/path.svg"}`; the notebook image of the diagram is written to `file`, and the
 * answer is one line, `{"id": 1}` or `{"id": 1, "error": "why"}`.
 * @module
 */
import readline from 'node:readline';
import type { Readable } from 'node:stream';
import { writeFileAtomic } from '../files';
import { notebookSvg } from './notebook-image';
import type { DiagramRenderer } from './renderer';

interface Request {
  id: number;
  code: string;
  file: string;
}

/** The renderer that draws, or why there is none (no Chromium). */
export type Drawer = { renderer: DiagramRenderer } | { missing: string };

/** Whatever orders requests: one at a time, since a cell waits for its diagram anyway and one page is enough. */
interface Queue {
  last: Promise<void>;
}

async function draw(renderer: DiagramRenderer, { code, file }: Request): Promise<void> {
  await renderer.prepare([{ code, where: 'a diagram a notebook cell showed' }]);
  writeFileAtomic(file, notebookSvg(renderer.svgs(code).light, code));
}

/**
 * Answers the requests that come in on `input` through `reply`, in `queue`'s order.
 * @returns the line reader, which closes with `input`.
 */
export function answerRequests(input: Readable, reply: (line: string) => void, drawer: Drawer, queue: Queue): readline.Interface {
  const answer = (value: { id: number; error?: string }) => reply(`${JSON.stringify(value)}\n`);
  const lines = readline.createInterface({ input });
  lines.on('line', (line) => {
    const request = JSON.parse(line) as Request;
    queue.last = queue.last.then(async () => {
      if ('missing' in drawer) return answer({ id: request.id, error: drawer.missing });
      try {
        await draw(drawer.renderer, request);
        answer({ id: request.id });
      } catch (error) {
        answer({ id: request.id, error: error instanceof Error ? error.message : String(error) });
      }
    });
  });
  return lines;
}
