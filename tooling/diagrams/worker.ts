/**
 * The diagram worker of a notebook kernel. `showMermaid` (toolkit/show) starts it on the first
 * diagram it finds no image of, and the kernel keeps it while it lives: one Chromium per kernel,
 * launched on the first request, drawing with the renderer the site uses (and sharing its cache).
 *
 * Protocol: one JSON request per line on stdin, `{"id": 1, "code": "sequenceDiagram ...",
 * "file": "/abs/path.svg"}`; it writes the notebook image of the diagram to `file` and answers
 * one line on stdout, `{"id": 1}` or `{"id": 1, "error": "why"}`. It exits when stdin closes,
 * which is when its kernel has ended, however it ended.
 * @module
 */
import path from 'node:path';
import readline from 'node:readline';
import { findRoot, LAYOUT } from '../course';
import { writeFileAtomic } from '../files';
import { findChromium } from '../programs';
import { notebookSvg } from './notebook-image';
import { DiagramRenderer } from './renderer';

interface Request {
  id: number;
  code: string;
  file: string;
}

function answer(reply: { id: number; error?: string }): void {
  process.stdout.write(`${JSON.stringify(reply)}\n`);
}

async function draw(renderer: DiagramRenderer, { code, file }: Request): Promise<void> {
  await renderer.prepare([{ code, where: 'a diagram a notebook cell showed' }]);
  writeFileAtomic(file, notebookSvg(renderer.svgs(code).light, code));
}

function main(): void {
  let renderer: DiagramRenderer | undefined;
  let browserMissing: string | undefined;
  try {
    const cacheDir = path.join(findRoot(__dirname), LAYOUT.siteCache);
    renderer = new DiagramRenderer({ cacheDir, browserPath: findChromium(), keepBrowser: true });
  } catch (error) {
    browserMissing = error instanceof Error ? error.message : String(error);
  }
  // One request at a time: a cell waits for its diagram anyway, and one page is enough.
  let queue = Promise.resolve();
  const lines = readline.createInterface({ input: process.stdin });
  lines.on('line', (line) => {
    const request = JSON.parse(line) as Request;
    queue = queue.then(async () => {
      if (renderer === undefined) return answer({ id: request.id, error: browserMissing });
      try {
        await draw(renderer, request);
        answer({ id: request.id });
      } catch (error) {
        answer({ id: request.id, error: error instanceof Error ? error.message : String(error) });
      }
    });
  });
  lines.on('close', () => {
    void queue.then(() => renderer?.close()).finally(() => process.exit(0));
  });
}

main();
