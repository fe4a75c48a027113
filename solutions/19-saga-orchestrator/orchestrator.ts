/**
 * Exercise 19: a saga orchestrator that logs before it acts, so that a fresh process can carry on
 * any saga from its log alone; every call is retried with a key of its own, so that a retry or a
 * recovery never applies an action or a compensation twice.
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

/** One entry of the saga log: yours to shape (the log keeps a JSON copy of what you append). */
export type LogEntry =
  | { saga: string; type: 'started'; steps: string[] }
  | { saga: string; type: 'done' | 'refused' | 'compensated'; step: string }
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
  steps: string[];
  done: string[];
  refused: boolean;
  compensated: Set<string>;
  finished: boolean;
}

/** Calls until the service answers: each attempt with the same key, so that the effect happens once. */
async function callUntilAnswered(process: Process, call: Call): Promise<Reply> {
  for (;;) {
    try {
      return await process.call(call);
    } catch {
      // The call failed: it may or may not have taken effect. The same key makes trying again safe.
    }
  }
}

const keyOf = (saga: string, step: string, kind: Call['kind']) => `${saga}/${step}/${kind}`;

/** Carries a saga on from `state` (what its log says) to its end, logging each step before the next. */
async function drive(process: Process, saga: string, state: SagaState): Promise<Outcome> {
  if (!state.refused) {
    for (const step of state.steps.slice(state.done.length)) {
      const reply = await callUntilAnswered(process, { saga, step, kind: 'action', key: keyOf(saga, step, 'action') });
      if (reply === 'refused') {
        await process.log.append({ saga, type: 'refused', step });
        state.refused = true;
        break;
      }
      await process.log.append({ saga, type: 'done', step });
      state.done.push(step);
    }
  }
  const outcome: Outcome = state.refused ? 'compensated' : 'completed';
  if (state.refused) {
    for (const step of [...state.done].reverse()) {
      if (state.compensated.has(step)) continue;
      await callUntilAnswered(process, { saga, step, kind: 'compensation', key: keyOf(saga, step, 'compensation') });
      await process.log.append({ saga, type: 'compensated', step });
    }
  }
  await process.log.append({ saga, type: 'finished', outcome });
  return outcome;
}

/** Runs a new saga: its steps in order, or, once one is refused, the compensations of those done, last first. */
export async function runSaga(process: Process, saga: string, steps: string[]): Promise<Outcome> {
  await process.log.append({ saga, type: 'started', steps });
  return drive(process, saga, { steps, done: [], refused: false, compensated: new Set(), finished: false });
}

/** Finishes every saga the log holds that has not finished, in a process that starts with nothing but the log. */
export async function recover(process: Process): Promise<void> {
  const sagas = new Map<string, SagaState>();
  for (const entry of await process.log.entries()) {
    if (entry.type === 'started') {
      sagas.set(entry.saga, { steps: entry.steps, done: [], refused: false, compensated: new Set(), finished: false });
      continue;
    }
    const state = sagas.get(entry.saga);
    if (!state) continue;
    if (entry.type === 'done') state.done.push(entry.step);
    if (entry.type === 'refused') state.refused = true;
    if (entry.type === 'compensated') state.compensated.add(entry.step);
    if (entry.type === 'finished') state.finished = true;
  }
  for (const [saga, state] of sagas) if (!state.finished) await drive(process, saga, state);
}
