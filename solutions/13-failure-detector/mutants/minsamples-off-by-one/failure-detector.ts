/**
 * Exercise 13: a heartbeat failure detector with an adaptive timeout (mean + k × deviation).
 * Read README.md first. Run `npm run grade -- 13` to check your work.
 * @module
 */
import type { Endpoint, TimerId } from '../../../../toolkit/netsim';

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
interface NodeState {
  incarnation: number;
  /** Arrival time of its last heartbeat. */
  lastBeat: number;
  /** Intervals between consecutive heartbeats, oldest first (at most `window`). */
  intervals: number[];
  timer: TimerId | undefined;
  suspected: boolean;
}

export class FailureDetector {
  private readonly nodes = new Map<string, NodeState>();
  private readonly k: number;
  private readonly window: number;
  private readonly minSamples: number;
  private readonly minDeviationMs: number;
  private readonly initialTimeoutMs: number;

  constructor(
    private readonly endpoint: Endpoint,
    private readonly onChange: (node: string, suspected: boolean) => void,
    options: FailureDetectorOptions = {},
  ) {
    this.k = options.k ?? 6;
    this.window = options.window ?? 100;
    this.minSamples = options.minSamples ?? 10;
    this.minDeviationMs = options.minDeviationMs ?? 5;
    this.initialTimeoutMs = options.initialTimeoutMs ?? 1000;
    endpoint.onMessage<Heartbeat>((message) => {
      if (message.payload?.kind === 'beat') this.heartbeat(message.from, message.payload.incarnation);
    });
  }

  /** Whether `node` is suspected now (false for a node never heard from). */
  isSuspected(node: string): boolean {
    return this.nodes.get(node)?.suspected ?? false;
  }

  /** How long a silence of `node` may last before it is suspected, from what its heartbeats did so far. */
  timeoutMs(node: string): number {
    const intervals = this.nodes.get(node)?.intervals ?? [];
    const n = intervals.length;
    if (n <= this.minSamples || n === 0) return this.initialTimeoutMs;
    const mean = intervals.reduce((sum, x) => sum + x, 0) / n;
    const variance = intervals.reduce((sum, x) => sum + (x - mean) ** 2, 0) / n;
    return mean + this.k * Math.max(Math.sqrt(variance), this.minDeviationMs);
  }

  private heartbeat(node: string, incarnation: number): void {
    const now = this.endpoint.now();
    let state = this.nodes.get(node);
    if (state && incarnation < state.incarnation) return; // a late beat of an older process
    if (!state || incarnation > state.incarnation) {
      // First heartbeat, or a restarted process: a fresh history (the restart's silence is no interval).
      const wasSuspected = state?.suspected ?? false;
      this.endpoint.clearTimeout(state?.timer);
      state = { incarnation, lastBeat: now, intervals: [], timer: undefined, suspected: wasSuspected };
      this.nodes.set(node, state);
    } else {
      state.intervals.push(now - state.lastBeat);
      if (state.intervals.length > this.window) state.intervals.shift();
      state.lastBeat = now;
    }
    this.endpoint.clearTimeout(state.timer);
    const current = state;
    current.timer = this.endpoint.setTimeout(() => {
      current.timer = undefined;
      if (current.suspected) return;
      current.suspected = true;
      this.onChange(node, true);
    }, this.timeoutMs(node));
    if (current.suspected) {
      current.suspected = false;
      this.onChange(node, false);
    }
  }
}
