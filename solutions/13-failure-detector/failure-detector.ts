/**
 * Exercise 13: a heartbeat failure detector with an adaptive timeout (mean + k × deviation).
 * @module
 */
import type { Endpoint, Message, TimerId } from '../../toolkit/netsim';

/** What a watched node sends, every interval; a restarted process sends a higher incarnation. */
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

interface Watched {
  incarnation: number;
  lastHeartbeat: number;
  intervals: number[];
  timer: TimerId | undefined;
  suspected: boolean;
}

/**
 * Watches every node that sends it heartbeats, and suspects a node when its silence since its last
 * heartbeat exceeds the node's timeout: mean + k × max(deviation, minDeviationMs) of its latest
 * intervals between heartbeats. Takes over the endpoint's message handler.
 */
export class FailureDetector {
  private readonly options: Required<FailureDetectorOptions>;
  private readonly watched = new Map<string, Watched>();

  constructor(
    private readonly endpoint: Endpoint,
    private readonly onChange: (node: string, suspected: boolean) => void,
    options: FailureDetectorOptions = {},
  ) {
    this.options = { k: 6, window: 100, minSamples: 10, minDeviationMs: 5, initialTimeoutMs: 1_000, ...options };
    endpoint.onMessage((message: Message) => this.heartbeat(message.from, message.payload as Heartbeat));
  }

  /** Whether `node` is suspected now (false for a node never heard from). */
  isSuspected(node: string): boolean {
    return this.watched.get(node)?.suspected ?? false;
  }

  /** How long a silence of `node` may last before it is suspected, from what its heartbeats did so far. */
  timeoutMs(node: string): number {
    const intervals = this.watched.get(node)?.intervals ?? [];
    if (intervals.length < this.options.minSamples) return this.options.initialTimeoutMs;
    const mean = intervals.reduce((sum, x) => sum + x, 0) / intervals.length;
    const variance = intervals.reduce((sum, x) => sum + (x - mean) ** 2, 0) / intervals.length;
    return mean + this.options.k * Math.max(Math.sqrt(variance), this.options.minDeviationMs);
  }

  private heartbeat(node: string, beat: Heartbeat): void {
    const now = this.endpoint.now();
    let watched = this.watched.get(node);
    // A late heartbeat of a process that has restarted since says nothing about the node now.
    if (watched && beat.incarnation < watched.incarnation) return;
    if (!watched || beat.incarnation > watched.incarnation) {
      // A new process: the silence of its restart is not an interval of its heartbeats.
      this.endpoint.clearTimeout(watched?.timer);
      watched = { incarnation: beat.incarnation, lastHeartbeat: now, intervals: [], timer: undefined, suspected: watched?.suspected ?? false };
      this.watched.set(node, watched);
    } else {
      watched.intervals.push(now - watched.lastHeartbeat);
      if (watched.intervals.length > this.options.window) watched.intervals.shift();
      watched.lastHeartbeat = now;
    }
    if (watched.suspected) {
      watched.suspected = false;
      this.onChange(node, false);
    }
    this.endpoint.clearTimeout(watched.timer);
    const state = watched;
    state.timer = this.endpoint.setTimeout(() => {
      state.suspected = true;
      this.onChange(node, true);
    }, this.timeoutMs(node));
  }
}
