/**
 * Exercise 19: a saga orchestrator that ends every saga completed or fully compensated, however
 * often its process crashes, because it writes what it is about to do to a durable log first.
 * Read README.md first. Run `npm run grade -- 19` to check your work.
 * @module
 */

/** How a saga ended: every step done, or every done step undone. */
export type Outcome = 'completed' | 'compensated';

/** What a service answers to a call: it did it, or (an action only) it refuses to, for good. */
export type Reply = 'done' | 'refused';

/** A call to the service that runs one step of a saga, or undoes it. */
export interface Call {
  saga: string;
  step: string;
  kind: 'action' | 'compensation';
  /** The idempotency key: the service applies a key once, and answers every later call with it as it answered the first. */
  key: string;
}

/** One entry of the saga log: the saga's steps before its first call, then each answer, then its end. */
export type LogEntry =
  | { saga: string; type: 'started'; steps: string[] }
  | { saga: string; type: 'done'; step: string }
  | { saga: string; type: 'refused'; step: string }
  | { saga: string; type: 'compensated'; step: string }
  | { saga: string; type: 'finished'; outcome: Outcome };

/** The durable log: what you append survives a crash; nothing else does. */
export interface SagaLog {
  append(entry: LogEntry): Promise<void>;
  entries(): Promise<LogEntry[]>;
}

/** What one process of the orchestrator is given: its log, and a way to call the services. */
export interface Process {
  log: SagaLog;
  /** Calls a service; throws when the call failed (it may or may not have taken effect). */
  call(call: Call): Promise<Reply>;
}

/** What the log says of one saga. */
interface SagaState {
  saga: string;
  steps: string[];
  done: string[];
  refused: boolean;
  compensated: Set<string>;
  finished: boolean;
}

/** The idempotency key of one call: rebuilt from what names the call, the same after a crash. */
function keyOf(saga: string, step: string, kind: Call['kind']): string {
  return JSON.stringify([saga, step, kind]);
}

/** Calls until the service answers: a failed call may or may not have taken effect, the key makes it safe. */
async function callUntilAnswered(process: Process, saga: string, step: string, kind: Call['kind']): Promise<Reply> {
  const key = keyOf(saga, step, kind);
  const attempts = 3; // every call answers after a few failures
  for (let attempt = 1; ; attempt++) {
    try {
      return await process.call({ saga, step, kind, key });
    } catch (err) {
      // the service did not answer: try again with the same key, a few times
      if (attempt >= attempts) throw err;
    }
  }

}

/** Carries a saga on from its state: forward while nothing was refused, then back over the steps done. */
async function drive(process: Process, state: SagaState): Promise<Outcome> {
  const { saga, steps } = state;
  if (!state.refused) {
    for (let i = state.done.length; i < steps.length; i++) {
      const step = steps[i];
      const reply = await callUntilAnswered(process, saga, step, 'action');
      if (reply === 'done') {
        await process.log.append({ saga, type: 'done', step });
        state.done.push(step);
      } else {
        await process.log.append({ saga, type: 'refused', step });
        state.refused = true;
        break;
      }
    }
    if (!state.refused) {
      await process.log.append({ saga, type: 'finished', outcome: 'completed' });
      return 'completed';
    }
  }
  for (let i = state.done.length - 1; i >= 0; i--) {
    const step = state.done[i];
    if (state.compensated.has(step)) continue;
    await callUntilAnswered(process, saga, step, 'compensation');
    await process.log.append({ saga, type: 'compensated', step });
    state.compensated.add(step);
  }
  await process.log.append({ saga, type: 'finished', outcome: 'compensated' });
  return 'compensated';
}

/** Runs a new saga: its steps in order, or, once one is refused, the compensations of those done, last first. */
export async function runSaga(process: Process, saga: string, steps: string[]): Promise<Outcome> {
  await process.log.append({ saga, type: 'started', steps: [...steps] });
  return drive(process, { saga, steps: [...steps], done: [], refused: false, compensated: new Set(), finished: false });
}

/** Finishes every saga the log holds that has not finished, in a process that starts with nothing but the log. */
export async function recover(process: Process): Promise<void> {
  const sagas = new Map<string, SagaState>();
  for (const entry of await process.log.entries()) {
    if (entry.type === 'started') {
      sagas.set(entry.saga, { saga: entry.saga, steps: entry.steps, done: [], refused: false, compensated: new Set(), finished: false });
      continue;
    }
    const state = sagas.get(entry.saga);
    if (!state) continue;
    switch (entry.type) {
      case 'done':
        state.done.push(entry.step);
        break;
      case 'refused':
        state.refused = true;
        break;
      case 'compensated':
        state.compensated.add(entry.step);
        break;
      case 'finished':
        state.finished = true;
        break;
    }
  }
  for (const state of sagas.values()) {
    if (state.finished) continue;
    await drive(process, state);
  }
}
