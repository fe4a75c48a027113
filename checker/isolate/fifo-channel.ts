/**
 * A {@link Channel} over two named pipes, one each way: a message is a line of JSON, and
 * receiving blocks the thread until a whole line has come.
 *
 * On the checks' side a watchdog thread bounds every wait: when the submission's process has not
 * answered in time, the watchdog kills it, its end of the pipe closes, and the wait ends with
 * "timed out". A thread of its own, because the waiting thread cannot run a timer of its own.
 * @module
 */
import fs from 'node:fs';
import { Worker } from 'node:worker_threads';
import type { Channel, Message } from './membrane';

const NEWLINE = 10;

export class FifoChannel implements Channel {
  private pending = Buffer.alloc(0);
  private readonly chunk = Buffer.alloc(1 << 16);

  constructor(
    private readonly readFd: number,
    private readonly writeFd: number,
    private readonly watchdog?: Watchdog,
  ) {}

  send(message: Message): void {
    const data = Buffer.from(`${JSON.stringify(message)}\n`);
    try {
      for (let offset = 0; offset < data.length; ) offset += fs.writeSync(this.writeFd, data, offset);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EPIPE') throw error;
      throw new Error(this.ended(), { cause: error });
    }
  }

  /** Why the other side is gone. */
  private ended(): string {
    return this.watchdog?.timedOut ? this.watchdog.timeoutMessage : "the submission's process has ended (it exited, or crashed)";
  }

  receive(): Message {
    for (;;) {
      const end = this.pending.indexOf(NEWLINE);
      if (end >= 0) {
        const line = this.pending.subarray(0, end).toString('utf8');
        this.pending = this.pending.subarray(end + 1);
        return parseMessage(line);
      }
      this.watchdog?.arm();
      let read: number;
      try {
        read = fs.readSync(this.readFd, this.chunk);
      } finally {
        this.watchdog?.disarm();
      }
      if (read === 0) throw new Error(this.ended());
      this.pending = Buffer.concat([this.pending, this.chunk.subarray(0, read)]);
    }
  }
}

/** A message, from a line the other side sent; an error when the line is not one. */
function parseMessage(line: string): Message {
  let message: unknown;
  try {
    message = JSON.parse(line);
  } catch {
    throw new Error("the submission's process sent something that is not a message");
  }
  const { t, id, op, args } = (message ?? {}) as Record<string, unknown>;
  const valid = typeof id === 'number' && (t === 'ret' || (t === 'call' && typeof op === 'string' && Array.isArray(args)));
  if (!valid) throw new Error("the submission's process sent something that is not a message");
  return message as Message;
}

/** Kills the submission's process when one wait for it lasts longer than `limitMs`. */
export class Watchdog {
  /** [generation: odd while a wait is armed, whether the last wait timed out, the deadline in ms]. */
  private readonly state = new Int32Array(new SharedArrayBuffer(12));
  private readonly deadline = new Float64Array(new SharedArrayBuffer(8));
  private readonly thread: Worker;

  /** `pipes`: the named pipes to the process, opened from the other end when it is killed, to end an `open` still waiting for it. */
  constructor(
    pid: number,
    pipes: string[],
    private readonly limitMs: number,
    readonly timeoutMessage: string,
  ) {
    this.thread = new Worker(WATCHDOG_SOURCE, { eval: true, workerData: { pid, pipes, state: this.state, deadline: this.deadline } });
    this.thread.unref();
  }

  get timedOut(): boolean {
    return Atomics.load(this.state, 1) === 1;
  }

  // Arming and disarming only write: the thread looks every few ms (waking it on each wait would cost more than the wait).
  arm(): void {
    this.deadline[0] = Date.now() + this.limitMs;
    Atomics.add(this.state, 0, 1);
  }

  disarm(): void {
    Atomics.add(this.state, 0, 1);
  }

  stop(): void {
    void this.thread.terminate();
  }
}

/** The watchdog thread: looks every 50 ms whether the wait armed is past its deadline, and kills the process if so. */
const WATCHDOG_SOURCE = `
const { workerData } = require('node:worker_threads');
const fs = require('node:fs');
const { pid, pipes, state, deadline } = workerData;
const nap = new Int32Array(new SharedArrayBuffer(4));
for (;;) {
  Atomics.wait(nap, 0, 0, 50);
  const generation = Atomics.load(state, 0);
  if (generation % 2 === 0 || Date.now() < deadline[0] || Atomics.load(state, 0) !== generation) continue;
  Atomics.store(state, 1, 1);
  try { process.kill(pid, 'SIGKILL'); } catch {}
  // Opened from the other end, again and again until the wait is over: an open of the checks' may be waiting for the dead process.
  while (Atomics.load(state, 0) === generation) {
    for (const pipe of pipes) for (const flags of [fs.constants.O_RDONLY, fs.constants.O_WRONLY]) {
      try { fs.closeSync(fs.openSync(pipe, flags | fs.constants.O_NONBLOCK)); } catch {}
    }
    Atomics.wait(nap, 0, 0, 20);
  }
  break;
}
`;
