/**
 * The submission's process: it loads the submission's modules and runs their code when the
 * checks ask, in answer to their requests over two named pipes (argument 1 is their folder; see
 * submission-process.ts for the other end). It holds no check and no result: whatever its code
 * does here, it can only answer wrongly.
 *
 * It answers each request of the checks at once. Its own promises move on (one turn of its event
 * loop) when the checks send a `pump`, which they do as a microtask of theirs after each request:
 * so a promise of the submission's runs when it would have run in the checks' process, after the
 * code that made the request, not inside it. The answer to a `pump` tells which promises have settled. Its timers and its clock
 * are the checks' (so that the checks' fake timers move them): `setTimeout`, `setInterval`,
 * `setImmediate`, their `clear...`, `Date.now()` and `new Date()` are forwarded.
 * @module
 */
import { createHook } from 'node:async_hooks';
import fs from 'node:fs';
import { register } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { FifoChannel } from './fifo-channel';
import { type Message, Peer } from './membrane';

/** The checks' timers and clock, as the checks hand them over. */
interface Timers {
  setTimeout: (...args: unknown[]) => unknown;
  clearTimeout: (...args: unknown[]) => void;
  setInterval: (...args: unknown[]) => unknown;
  clearInterval: (...args: unknown[]) => void;
  setImmediate: (...args: unknown[]) => unknown;
  clearImmediate: (...args: unknown[]) => void;
  now: () => number;
}

const nextTurn = globalThis.setImmediate.bind(globalThis);

/** Makes this process's timers and clock the checks'. */
function forwardTimers(timers: Timers): void {
  const global = globalThis as unknown as Record<string, unknown>;
  for (const name of ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'setImmediate', 'clearImmediate'] as const) {
    global[name] = (...args: unknown[]) => timers[name](...args);
  }
  const RealDate = Date;
  class CheckDate extends RealDate {
    constructor(...args: unknown[]) {
      if (args.length === 0) super(timers.now());
      else super(...(args as [string]));
    }

    static override now(): number {
      return timers.now();
    }
  }
  global.Date = CheckDate;
}

// TypeScript as ES modules, and every module of a generation after the first afresh (see loader-hooks.mjs).
register(new URL('./loader-hooks.mjs', import.meta.url));

async function importModule(file: string, generation: number): Promise<unknown> {
  const url = pathToFileURL(file);
  if (generation > 0) url.searchParams.set('generation', String(generation));
  return import(url.href);
}

async function main(dir: string): Promise<void> {
  // The same order as the checks' side opens them, so that neither waits for the other.
  const fromChecks = fs.openSync(path.join(dir, 'to-submission'), 'r');
  const toChecks = fs.openSync(path.join(dir, 'from-submission'), 'w');
  const channel = new FifoChannel(fromChecks, toChecks);
  const peer = new Peer(channel, true);
  // What this process holds before the code runs (its standard streams; not a file read under way,
  // which ends): more of a kind means the code's sockets, servers or timers of its own.
  const count = (resources: string[]) => resources.reduce((counts, kind) => counts.set(kind, (counts.get(kind) ?? 0) + 1), new Map<string, number>());
  const idle = count(process.getActiveResourcesInfo().filter((kind) => !kind.startsWith('FSReq')));
  peer.hasIo = () => [...count(process.getActiveResourcesInfo())].some(([kind, n]) => n > (idle.get(kind) ?? 0));
  // Whether the code queued work (a promise, a microtask, a tick) since its last turn: the checks give a turn only then.
  let queued = false;
  const touch = () => void (queued = true);
  createHook({ init: touch, promiseResolve: touch }).enable();
  peer.hasWork = () => queued;
  // Told to the checks with the next answer, and let out again there (as the code's own would have been).
  process.on('uncaughtException', (error) => peer.letOut(error, true));
  process.on('unhandledRejection', (reason) => peer.letOut(reason, false));
  for (;;) {
    let message: Message;
    try {
      message = channel.receive();
    } catch {
      return; // the checks are done with this process
    }
    peer.takeSettlements(message.settle);
    if (message.t !== 'call') continue;
    let ok = true;
    let result: unknown;
    try {
      const first = () => peer.decode(message.args[0] ?? null);
      if (message.op === 'start') forwardTimers(first() as Timers);
      // A promise, not awaited here: a module that awaits (a timer of the checks', a promise of
      // theirs) loads while the checks' process goes on, as it would have in one process.
      else if (message.op === 'import') result = importModule(String(first()), Number(peer.decode(message.args[1] ?? 0)));
      else result = peer.perform(message.op, message.args);
    } catch (error) {
      ok = false;
      result = error;
    }
    const answer = peer.prepareAnswer(ok, result);
    // The code's promises move on only when the checks let theirs (see submission-process.ts).
    if (message.op === 'pump') {
      await new Promise((resolve) => nextTurn(resolve));
      queued = false;
    }
    peer.sendAnswer(message.id, answer);
  }
}

void main(process.argv[2] ?? '.').then(() => process.exit(0));
