/** Following a promise without awaiting it: for runs in virtual time, where awaiting would stall. */

/** What became of a promise so far, and when. */
export interface Settlement<T> {
  settled: boolean;
  /** True when it resolved, false when it rejected; undefined while pending. */
  resolved?: boolean;
  value?: T;
  error?: unknown;
  /** The time it settled at, on the clock given to {@link settlement}. */
  at?: number;
}

/**
 * Starts following `promise`: the returned object fills in when it settles, with the time from
 * `clock` (a netsim Network or VirtualClock). A rejection is recorded, never left unhandled.
 *
 * @example
 * const sent = settlement(sender.send('b', 'hi'), net);
 * await net.runUntilIdleAsync();
 * sent.resolved; // true, sent.at: the virtual time the ack came back
 */
export function settlement<T>(promise: Promise<T>, clock?: { now(): number }): Settlement<T> {
  const state: Settlement<T> = { settled: false };
  promise.then(
    (value) => Object.assign(state, { settled: true, resolved: true, value, at: clock?.now() }),
    (error: unknown) => Object.assign(state, { settled: true, resolved: false, error, at: clock?.now() }),
  );
  return state;
}
