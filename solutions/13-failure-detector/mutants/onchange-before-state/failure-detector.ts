/**
 * Exercise 13: a heartbeat failure detector with an adaptive timeout (mean + k × deviation).
 * @module
 */
import type { Endpoint, Message, TimerId } from '../../../../toolkit/netsim';

export interface Heartbeat {
  readonly kind: 'beat';
  readonly incarnation: number;
}

export interface FailureDetectorOptions {
  k?: number;
  window?: number;
  minSamples?: number;
  minDeviationMs?: number;
  initialTimeoutMs?: number;
}

interface NodeState {
  incarnation: number;
  lastBeat: number;
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
    endpoint.onMessage<Heartbeat>((message) => this.onHeartbeat(message));
  }

  isSuspected(node: string): boolean {
    return this.nodes.get(node)?.suspected ?? false;
  }

  timeoutMs(node: string): number {
    const state = this.nodes.get(node);
    if (!state || state.intervals.length < this.minSamples) return this.initialTimeoutMs;
    const xs = state.intervals;
    const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
    const variance = xs.reduce((a, x) => a + (x - mean) ** 2, 0) / xs.length;
    const deviation = Math.sqrt(variance);
    return mean + this.k * Math.max(deviation, this.minDeviationMs);
  }

  private onHeartbeat(message: Message<Heartbeat>): void {
    const payload = message.payload;
    if (!payload || payload.kind !== 'beat') return;
    const node = message.from;
    const now = this.endpoint.now();
    let state = this.nodes.get(node);
    if (!state || state.incarnation !== payload.incarnation) {
      // first heartbeat, or a restarted process: its history starts afresh
      const wasSuspected = state?.suspected ?? false;
      if (state) this.endpoint.clearTimeout(state.timer);
      state = { incarnation: payload.incarnation, lastBeat: now, intervals: [], timer: undefined, suspected: wasSuspected };
      this.nodes.set(node, state);
    } else {
      state.intervals.push(now - state.lastBeat);
      if (state.intervals.length > this.window) state.intervals.shift();
      state.lastBeat = now;
    }

    if (state.suspected) {
      this.onChange(node, false);
      state.suspected = false;
    }

    this.endpoint.clearTimeout(state.timer);
    const current = state;
    current.timer = this.endpoint.setTimeout(() => {
      current.timer = undefined;
      if (!current.suspected) {
        this.onChange(node, true);
        current.suspected = true;
      }
    }, this.timeoutMs(node));
  }
}
