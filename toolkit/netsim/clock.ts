import { EventQueue } from './heap';

/** Identifies a timer created by {@link VirtualClock.setTimeout} or {@link VirtualClock.setInterval}. */
export type TimerId = number;

/** The part of a clock that protocol code needs: read the time, start and cancel timers. */
export interface Clock {
  /** The current virtual time in milliseconds. */
  now(): number;
  /** Runs `callback` once, `ms` milliseconds of virtual time from now. */
  setTimeout(callback: () => void, ms: number): TimerId;
  /** Cancels a timer; cancelling an unknown or fired timer does nothing. */
  clearTimeout(id: TimerId | undefined): void;
}

interface Timer {
  callback: () => void;
  intervalMs: number | null;
}

/** The queue lane of timers set with setTimeout and setInterval; their arg is the timer's id. */
const TIMER_LANE = 0;

/** Options for {@link VirtualClock.runUntilIdle}. */
export interface RunOptions {
  /**
   * The most timer callbacks to run before giving up with an error. It guards against a timer
   * that re-arms itself forever (a `setInterval`, or a retransmission that never stops).
   * Default 1,000,000.
   */
  maxEvents?: number;
}

/** The default guard of {@link VirtualClock.runUntilIdle}. */
export const DEFAULT_MAX_EVENTS = 1_000_000;

// Captured at load time so that vitest's fake timers, if a test installs them later, cannot
// stop the async runners from yielding to the real event loop.
const realSetImmediate = globalThis.setImmediate;
const nextMacrotask = (): Promise<void> => new Promise((resolve) => realSetImmediate(resolve));

function checkDelay(field: string, ms: number): void {
  if (!Number.isFinite(ms) || ms < 0) {
    throw new RangeError(`${field} must be a finite number >= 0, got ${String(ms)}`);
  }
}

/**
 * A clock whose time moves only when you move it.
 *
 * Timers never fire by themselves: {@link advance} and {@link runUntilIdle} run the due callbacks
 * in time order (ties in the order they were created), moving {@link now} to each timer's time.
 * No real time passes, so an hour of simulated retransmissions runs in milliseconds, and the same
 * program always sees the same times.
 *
 * Code that awaits promises between timer callbacks should use the `Async` variants, which let
 * every pending promise continuation run before virtual time moves on.
 */
export class VirtualClock implements Clock {
  private time = 0;
  private nextId = 1;
  private readonly queue = new EventQueue();
  /** Timers that have not fired (intervals: not cleared). A cleared timer's queue entry finds no timer here and is skipped. */
  private readonly live = new Map<TimerId, Timer>();
  /** What runs an internal event, by lane (see addLane); lane 0 is the timers'. */
  private readonly lanes: ((arg: number) => void)[] = [() => {}];
  private internalPending = 0;

  /** The current virtual time in milliseconds (starts at 0). */
  now(): number {
    return this.time;
  }

  /** How many timers (including messages in flight on a network) are waiting to fire. */
  get pendingTimers(): number {
    return this.live.size + this.internalPending;
  }

  /** Runs `callback` once after `ms` milliseconds of virtual time. */
  setTimeout(callback: () => void, ms: number): TimerId {
    checkDelay('setTimeout delay', ms);
    return this.schedule(callback, ms, null);
  }

  /** Runs `callback` every `ms` milliseconds of virtual time until cleared. `ms` must be > 0. */
  setInterval(callback: () => void, ms: number): TimerId {
    checkDelay('setInterval period', ms);
    if (ms === 0) throw new RangeError('setInterval period must be > 0, got 0');
    return this.schedule(callback, ms, ms);
  }

  /** Cancels a timeout; unknown or already-fired ids are ignored. */
  clearTimeout(id: TimerId | undefined): void {
    if (id === undefined) return;
    this.live.delete(id);
  }

  /** Cancels an interval; the same as {@link clearTimeout}. */
  clearInterval(id: TimerId | undefined): void {
    this.clearTimeout(id);
  }

  /**
   * Moves time forward by `ms`, running every timer that falls due on the way, in order.
   * Afterwards {@link now} has grown by exactly `ms`.
   */
  advance(ms: number): void {
    checkDelay('advance', ms);
    const until = this.time + ms;
    while (this.runNext(until)) {
      /* keep going */
    }
    this.time = until;
  }

  /**
   * Runs timers in time order until none is left.
   * @returns the number of callbacks run.
   * @throws Error when more than `maxEvents` callbacks run: something keeps re-arming a timer.
   */
  runUntilIdle(options: RunOptions = {}): number {
    const maxEvents = options.maxEvents ?? DEFAULT_MAX_EVENTS;
    let ran = 0;
    while (this.runNext(Infinity)) {
      if (++ran > maxEvents) throw this.notIdleError(maxEvents);
    }
    return ran;
  }

  /**
   * Like {@link advance}, but before time moves to the next timer it waits for the real event
   * loop, so `await` chains started by one callback finish before the next instant.
   */
  async advanceAsync(ms: number): Promise<void> {
    checkDelay('advanceAsync', ms);
    const until = this.time + ms;
    await nextMacrotask();
    while (this.runInstant(until)) {
      await nextMacrotask();
    }
    this.time = until;
  }

  /** Like {@link runUntilIdle}, but lets promise continuations run between virtual instants. */
  async runUntilIdleAsync(options: RunOptions = {}): Promise<number> {
    const maxEvents = options.maxEvents ?? DEFAULT_MAX_EVENTS;
    let ran = 0;
    await nextMacrotask();
    for (;;) {
      const count = this.runInstant(Infinity, maxEvents - ran + 1);
      if (count === 0) return ran;
      ran += count;
      if (ran > maxEvents) throw this.notIdleError(maxEvents);
      await nextMacrotask();
    }
  }

  /** Resolves after `ms` of virtual time; a handy `sleep` for code that runs on this clock. */
  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => this.setTimeout(resolve, ms));
  }

  /**
   * @internal Registers `run` for internal events, which {@link scheduleOnLane} schedules with a
   * number as their argument. The network uses a lane for its messages in flight: a message is then
   * a slot number in its own typed arrays, with no object, closure or map entry per message.
   * @returns the lane's number.
   */
  addLane(run: (arg: number) => void): number {
    return this.lanes.push(run) - 1;
  }

  /** @internal Runs `lane`'s function with `arg` in `ms`; such an event has no id and cannot be cancelled. */
  scheduleOnLane(lane: number, arg: number, ms: number): void {
    this.internalPending++;
    this.queue.push(this.time + ms, lane, arg);
  }

  private schedule(callback: () => void, ms: number, intervalMs: number | null): TimerId {
    const id = this.nextId++;
    this.live.set(id, { callback, intervalMs });
    this.queue.push(this.time + ms, TIMER_LANE, id);
    return id;
  }

  /** Drops cancelled timers from the front of the queue, so that its first event is a live one. */
  private skipCancelled(): void {
    const queue = this.queue;
    while (queue.size > 0 && queue.firstLane === TIMER_LANE && !this.live.has(queue.firstArg)) queue.pop();
  }

  /** Runs the earliest event due at or before `until`; false when there is none. */
  private runNext(until: number): boolean {
    this.skipCancelled();
    const queue = this.queue;
    if (queue.size === 0) return false;
    const at = queue.firstTime;
    if (at > until) return false;
    const lane = queue.firstLane;
    const arg = queue.firstArg;
    queue.pop();
    this.time = at;
    if (lane !== TIMER_LANE) {
      this.internalPending--;
      this.lanes[lane](arg);
      return true;
    }
    const timer = this.live.get(arg) as Timer;
    if (timer.intervalMs === null) this.live.delete(arg);
    else queue.push(at + timer.intervalMs, TIMER_LANE, arg);
    timer.callback();
    return true;
  }

  /** Runs every event due at the earliest pending instant (if it is <= until); returns how many ran. */
  private runInstant(until: number, limit = Infinity): number {
    this.skipCancelled();
    if (this.queue.size === 0) return 0;
    const instant = this.queue.firstTime;
    if (instant > until) return 0;
    let ran = 0;
    while (ran < limit && this.runNext(instant)) ran++;
    return ran;
  }

  private notIdleError(maxEvents: number): Error {
    return new Error(
      `runUntilIdle gave up after ${maxEvents} timer callbacks at virtual time ${this.time} ms: ` +
        'something keeps re-arming a timer (a setInterval, or a retry loop that never stops). ' +
        'Clear the timer, bound the retries, or use advance(ms) to run for a fixed time.',
    );
  }
}
