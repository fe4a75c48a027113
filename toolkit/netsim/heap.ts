import { grown } from './typed-arrays';

/**
 * The virtual clock's queue of pending events: a binary min-heap ordered by time, ties in the
 * order the events were pushed.
 *
 * An event is two numbers, a `lane` (which kind of event: a user timer, a message in flight) and
 * an `arg` (which timer, which message). Keeping them in typed arrays, one column per field,
 * instead of one object per event means a million events in flight cost no garbage collection and
 * sit close together in memory; that is most of what makes netsim fast. Sifting moves a "hole"
 * instead of swapping pairs, which halves the writes.
 */
export class EventQueue {
  private times = new Float64Array(1024);
  /** Push order, the tie-breaker: equal times come out first-in, first-out. */
  private orders = new Float64Array(1024);
  private lanes = new Uint32Array(1024);
  private args = new Float64Array(1024);
  private count = 0;
  private pushed = 0;

  /** How many events are queued. */
  get size(): number {
    return this.count;
  }

  /** The time of the earliest event (meaningless when the queue is empty: check {@link size}). */
  get firstTime(): number {
    return this.times[0];
  }

  /** The lane of the earliest event (meaningless when the queue is empty). */
  get firstLane(): number {
    return this.lanes[0];
  }

  /** The arg of the earliest event (meaningless when the queue is empty). */
  get firstArg(): number {
    return this.args[0];
  }

  /** Queues an event at time `at`. */
  push(at: number, lane: number, arg: number): void {
    if (this.count === this.times.length) this.grow();
    const { times, orders, lanes, args } = this;
    const order = this.pushed++;
    let hole = this.count++;
    while (hole > 0) {
      const parent = (hole - 1) >> 1;
      const parentTime = times[parent];
      if (at > parentTime || (at === parentTime && order > orders[parent])) break;
      times[hole] = parentTime;
      orders[hole] = orders[parent];
      lanes[hole] = lanes[parent];
      args[hole] = args[parent];
      hole = parent;
    }
    times[hole] = at;
    orders[hole] = order;
    lanes[hole] = lane;
    args[hole] = arg;
  }

  /** Removes the earliest event (read it first with {@link firstTime}, {@link firstLane}, {@link firstArg}). */
  pop(): void {
    if (this.count === 0) return;
    const n = --this.count;
    if (n === 0) return;
    const { times, orders, lanes, args } = this;
    // Move the last event into the hole at the root, then sift the hole down.
    const at = times[n];
    const order = orders[n];
    const lane = lanes[n];
    const arg = args[n];
    let hole = 0;
    for (;;) {
      let child = 2 * hole + 1;
      if (child >= n) break;
      const right = child + 1;
      if (right < n && (times[right] < times[child] || (times[right] === times[child] && orders[right] < orders[child]))) child = right;
      const childTime = times[child];
      if (childTime > at || (childTime === at && orders[child] > order)) break;
      times[hole] = childTime;
      orders[hole] = orders[child];
      lanes[hole] = lanes[child];
      args[hole] = args[child];
      hole = child;
    }
    times[hole] = at;
    orders[hole] = order;
    lanes[hole] = lane;
    args[hole] = arg;
  }

  private grow(): void {
    const size = this.times.length * 2;
    this.times = grown(this.times, size);
    this.orders = grown(this.orders, size);
    this.lanes = grown(this.lanes, size);
    this.args = grown(this.args, size);
  }
}

