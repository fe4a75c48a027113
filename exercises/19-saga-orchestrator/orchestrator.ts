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

/**
 * One entry of the saga log: yours to shape (the log keeps a JSON copy of what you append).
 * Replace this with the entries your orchestrator writes, for example a union of
 * `{ saga, type: 'started', steps }` and the like.
 */
export type LogEntry = { saga: string; type: string };

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

/** Runs a new saga: its steps in order, or, once one is refused, the compensations of those done, last first. */
export async function runSaga(process: Process, saga: string, steps: string[]): Promise<Outcome> {
  throw new Error('TODO: runSaga (exercise 19)');
}

/** Finishes every saga the log holds that has not finished, in a process that starts with nothing but the log. */
export async function recover(process: Process): Promise<void> {
  throw new Error('TODO: recover (exercise 19)');
}
