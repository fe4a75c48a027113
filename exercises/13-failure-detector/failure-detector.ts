/**
 * Exercise 13: a heartbeat failure detector with an adaptive timeout (mean + k × deviation).
 * Read README.md first. Run `npm run grade -- 13` to check your work.
 * @module
 */
import type { Endpoint } from '../../toolkit/netsim';

/** What a watched node sends, every interval; a restarted process sends a new incarnation. */
export interface Heartbeat {
  readonly kind: 'beat';
  readonly incarnation: number;
}

/** Options of a {@link FailureDetector}. */
export interface FailureDetectorOptions {
  /** How many deviations beyond the mean interval a silence may last. Default 6. */
  k?: number;
  /** How many of the latest intervals between heartbeats are remembered. Default 100. */
  window?: number;
  /** Below this many intervals, the timeout is `initialTimeoutMs`. Default 10. */
  minSamples?: number;
  /** The floor under the deviation, in ms. Default 5. */
  minDeviationMs?: number;
  /** The timeout while there are fewer than `minSamples` intervals, in ms. Default 1000. */
  initialTimeoutMs?: number;
}

/**
 * Watches every node that sends it heartbeats, and suspects a node when its silence since its last
 * heartbeat exceeds the node's timeout: mean + k × max(deviation, minDeviationMs) of its latest
 * intervals between heartbeats. Takes over the endpoint's message handler.
 */
export class FailureDetector {
  constructor(endpoint: Endpoint, onChange: (node: string, suspected: boolean) => void, options: FailureDetectorOptions = {}) {
    throw new Error('TODO: FailureDetector constructor (exercise 13)');
  }

  /** Whether `node` is suspected now (false for a node never heard from). */
  isSuspected(node: string): boolean {
    throw new Error('TODO: FailureDetector.isSuspected (exercise 13)');
  }

  /** How long a silence of `node` may last before it is suspected, from what its heartbeats did so far. */
  timeoutMs(node: string): number {
    throw new Error('TODO: FailureDetector.timeoutMs (exercise 13)');
  }
}
