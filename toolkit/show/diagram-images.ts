/**
 * Images of mermaid diagrams for the notebook kernel. The workbook's kernel launcher says where
 * the diagram worker and the image cache are (the `WORKBOOK_DIAGRAMS` environment variable); an
 * image already in the cache costs one file read, and only a missing one starts the worker. A
 * build that runs many kernels offers one drawing server to all of them instead
 * (`WORKBOOK_DIAGRAM_SERVER`, a socket that speaks the worker's protocol): one browser for the
 * build, not one per kernel.
 * @module
 */
import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import readline from 'node:readline';
import type { Readable, Writable } from 'node:stream';

/** What the kernel launcher puts in `WORKBOOK_DIAGRAMS`. */
interface DiagramConfig {
  /** The workbook the kernel runs. */
  root: string;
  /** The worker script (run with tsx). */
  worker: string;
  /** Where the notebook images are kept, one file per diagram source. */
  cache: string;
  /** The socket of a build's drawing server, used instead of a worker of this kernel's own. */
  server?: string;
}

/** The launcher's configuration, `'off'` when diagrams are switched off, or undefined on another kernel. */
export function diagramConfig(env: NodeJS.ProcessEnv = process.env): DiagramConfig | 'off' | undefined {
  const value = env.WORKBOOK_DIAGRAMS;
  if (value === 'off') return 'off';
  if (!value) return undefined;
  const config = JSON.parse(value) as DiagramConfig;
  return env.WORKBOOK_DIAGRAM_SERVER ? { ...config, server: env.WORKBOOK_DIAGRAM_SERVER } : config;
}

/** How long a first image may take: the worker starts and launches Chromium on a busy machine. */
const ANSWER_WITHIN_MS = 45_000;

/** Where requests go and answers come from: the worker's stdin and stdout, or the server's socket. */
interface Channel {
  input: Readable;
  output: Writable;
}

class DiagramWorker {
  private readonly channel: Channel;
  private readonly waiting = new Map<number, { resolve: () => void; reject: (error: Error) => void }>();
  private nextId = 1;
  private stderr = '';

  constructor(config: DiagramConfig) {
    const fail = (why: string) => {
      for (const id of this.waiting.keys()) this.settle({ id, error: why });
      workers.delete(workerKey(config));
    };
    this.channel = config.server === undefined ? this.spawnWorker(config, fail) : connectToServer(config.server, fail);
    readline.createInterface({ input: this.channel.input }).on('line', (line) => this.settle(JSON.parse(line) as { id: number; error?: string }));
  }

  private spawnWorker(config: DiagramConfig, fail: (why: string) => void): Channel {
    const child = spawn(process.execPath, ['--import', 'tsx', config.worker], { cwd: config.root, stdio: 'pipe' });
    child.stderr.on('data', (chunk: Buffer) => (this.stderr = (this.stderr + chunk.toString()).slice(-2000)));
    child.on('error', (error) => fail(`the diagram worker did not start: ${error.message}`));
    child.on('exit', (code) => fail(`the diagram worker stopped (exit code ${code}): ${this.stderr.trim().split('\n').pop() ?? ''}`));
    return { input: child.stdout, output: child.stdin };
  }

  draw(code: string, file: string): Promise<void> {
    const id = this.nextId++;
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => this.settle({ id, error: `the diagram worker did not answer within ${ANSWER_WITHIN_MS / 1000} s` }), ANSWER_WITHIN_MS);
      this.waiting.set(id, {
        resolve: () => (clearTimeout(timer), resolve()),
        reject: (error) => (clearTimeout(timer), reject(error)),
      });
      this.channel.output.write(`${JSON.stringify({ id, code, file })}\n`);
    });
  }

  private settle({ id, error }: { id: number; error?: string }): void {
    const waiter = this.waiting.get(id);
    this.waiting.delete(id);
    if (error === undefined) waiter?.resolve();
    else waiter?.reject(new Error(error));
  }
}

/** The build's drawing server; the kernel keeps its connection open without waiting on it to exit. */
function connectToServer(socket: string, fail: (why: string) => void): Channel {
  const connection = net.createConnection(socket);
  connection.unref();
  connection.on('error', (error) => fail(`the diagram server did not answer: ${error.message}`));
  connection.on('close', () => fail('the diagram server closed the connection'));
  return { input: connection, output: connection };
}

const workerKey = (config: DiagramConfig) => config.server ?? config.worker;

/** One worker (or one connection to the server) per kernel, started by the first image that is missing. */
const workers = new Map<string, DiagramWorker>();

/**
 * The SVG image of a mermaid diagram, from the cache or drawn by the worker.
 * @throws Error saying why there is no image (no Chromium, a broken diagram, a stopped worker).
 */
export async function diagramImage(code: string, config: DiagramConfig): Promise<string> {
  const file = path.join(config.cache, `${crypto.createHash('sha256').update(code).digest('hex').slice(0, 32)}.svg`);
  if (!fs.existsSync(file)) {
    let worker = workers.get(workerKey(config));
    if (worker === undefined) workers.set(workerKey(config), (worker = new DiagramWorker(config)));
    await worker.draw(code, file);
  }
  return fs.readFileSync(file, 'utf8');
}
