/**
 * Images of mermaid diagrams for the notebook kernel. The workbook's kernel launcher says where
 * the diagram worker and the image cache are (the `WORKBOOK_DIAGRAMS` environment variable); an
 * image already in the cache costs one file read, and only a missing one starts the worker.
 * @module
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';

/** What the kernel launcher puts in `WORKBOOK_DIAGRAMS`. */
interface DiagramConfig {
  /** The workbook the kernel runs. */
  root: string;
  /** The worker script (run with tsx). */
  worker: string;
  /** Where the notebook images are kept, one file per diagram source. */
  cache: string;
}

/** The launcher's configuration, `'off'` when diagrams are switched off, or undefined on another kernel. */
export function diagramConfig(env: NodeJS.ProcessEnv = process.env): DiagramConfig | 'off' | undefined {
  const value = env.WORKBOOK_DIAGRAMS;
  if (value === 'off') return 'off';
  if (!value) return undefined;
  return JSON.parse(value) as DiagramConfig;
}

/** How long a first image may take: the worker starts and launches Chromium on a busy machine. */
const ANSWER_WITHIN_MS = 45_000;

class DiagramWorker {
  private readonly child: ChildProcessWithoutNullStreams;
  private readonly waiting = new Map<number, { resolve: () => void; reject: (error: Error) => void }>();
  private nextId = 1;
  private stderr = '';

  constructor(config: DiagramConfig) {
    this.child = spawn(process.execPath, ['--import', 'tsx', config.worker], { cwd: config.root, stdio: 'pipe' });
    readline.createInterface({ input: this.child.stdout }).on('line', (line) => this.settle(JSON.parse(line) as { id: number; error?: string }));
    this.child.stderr.on('data', (chunk: Buffer) => (this.stderr = (this.stderr + chunk.toString()).slice(-2000)));
    const fail = (why: string) => {
      for (const id of this.waiting.keys()) this.settle({ id, error: why });
      workers.delete(config.worker);
    };
    this.child.on('error', (error) => fail(`the diagram worker did not start: ${error.message}`));
    this.child.on('exit', (code) => fail(`the diagram worker stopped (exit code ${code}): ${this.stderr.trim().split('\n').pop() ?? ''}`));
  }

  draw(code: string, file: string): Promise<void> {
    const id = this.nextId++;
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => this.settle({ id, error: `the diagram worker did not answer within ${ANSWER_WITHIN_MS / 1000} s` }), ANSWER_WITHIN_MS);
      this.waiting.set(id, {
        resolve: () => (clearTimeout(timer), resolve()),
        reject: (error) => (clearTimeout(timer), reject(error)),
      });
      this.child.stdin.write(`${JSON.stringify({ id, code, file })}\n`);
    });
  }

  private settle({ id, error }: { id: number; error?: string }): void {
    const waiter = this.waiting.get(id);
    this.waiting.delete(id);
    if (error === undefined) waiter?.resolve();
    else waiter?.reject(new Error(error));
  }
}

/** One worker per kernel (by script), started by the first image that is missing. */
const workers = new Map<string, DiagramWorker>();

/**
 * The SVG image of a mermaid diagram, from the cache or drawn by the worker.
 * @throws Error saying why there is no image (no Chromium, a broken diagram, a stopped worker).
 */
export async function diagramImage(code: string, config: DiagramConfig): Promise<string> {
  const file = path.join(config.cache, `${crypto.createHash('sha256').update(code).digest('hex').slice(0, 32)}.svg`);
  if (!fs.existsSync(file)) {
    let worker = workers.get(config.worker);
    if (worker === undefined) workers.set(config.worker, (worker = new DiagramWorker(config)));
    await worker.draw(code, file);
  }
  return fs.readFileSync(file, 'utf8');
}
