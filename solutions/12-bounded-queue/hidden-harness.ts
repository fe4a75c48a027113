/**
 * What only the hidden checks of exercise 12 use: the README's rules as a small executable model,
 * which the property runs compare your queue with step by step. Kept out of the student release: it
 * is close to a solution.
 */
import { acksAtOnce, playOps, type Acking, type OpsJudge, type OpsRun } from '../../exercises/12-bounded-queue/harness';

type Overflow = OpsRun['overflow'];

/**
 * The README's rules as a small executable model: a FIFO of at most `capacity` waiting items, the
 * overflow policy, consumers with credits, round-robin starting after the one served last, and
 * deliveries at once. A consumer that acks at once gets its credit back as soon as it is served.
 */
class QueueModel {
  /** The items waiting, oldest first. */
  readonly line: number[] = [];
  /** The items the overflow policy dropped. */
  readonly lost: number[] = [];
  readonly consumers: { name: string; credits: number; acks: Acking }[] = [];
  /** Who holds each delivered item not yet acked. */
  readonly holder = new Map<number, string>();
  /** The index of the consumer served last (-1: none yet). */
  private last = -1;
  /** What was handed out since the last step ended ("A3": item 3 to A). */
  log: string[] = [];

  constructor(
    readonly limit: number,
    readonly policy: Overflow,
  ) {}

  /** publish: the rules' answer. */
  put(item: number): boolean {
    const full = this.line.length === this.limit;
    if (full && this.policy === 'drop-newest') {
      this.lost.push(item);
    } else {
      if (full) this.lost.push(...this.line.splice(0, 1));
      this.line.push(item);
      this.hand();
    }
    return !full || this.policy === 'drop-oldest';
  }

  /** consume. */
  join(name: string, prefetch: number, acks: Acking): void {
    this.consumers.push({ name, credits: prefetch, acks });
    this.hand();
  }

  /** The first ack of a delivery (later ones change nothing). */
  settle(item: number): void {
    const name = this.holder.get(item);
    this.holder.delete(item);
    for (const c of this.consumers) if (c.name === name) c.credits += 1;
    this.hand();
  }

  /** Hands out what the rules hand out now: oldest item, next consumer with credit after the one served last. */
  private hand(): void {
    for (;;) {
      const n = this.consumers.length;
      const order = Array.from({ length: n }, (_, i) => (this.last + 1 + i) % n);
      const next = order.find((i) => this.consumers[i].credits > 0);
      if (next === undefined || this.line.length === 0) break;
      this.last = next;
      const [item] = this.line.splice(0, 1);
      const to = this.consumers[next];
      this.log.push(`${to.name}${item}`);
      if (acksAtOnce(to.acks, item)) continue;
      to.credits -= 1;
      this.holder.set(item, to.name);
    }
  }
}

/** A judge that runs the model beside your queue and names the first step whose outcome differs from the rules. */
function modelJudge(run: OpsRun): OpsJudge {
  const model = new QueueModel(run.capacity, run.overflow);
  return {
    published(item, answer) {
      const waitingBefore = model.line.length;
      const expected = model.put(item);
      if (answer === expected) return undefined;
      return expected
        ? `publish answered false, but ${waitingBefore} ${waitingBefore === 1 ? 'item waited' : 'items waited'} in a queue of capacity ${run.capacity} (items at consumers do not count), so item ${item} should have been accepted (items 4, 5${run.overflow === 'drop-oldest' ? ', 6' : ''})`
        : `publish answered true, but the queue was full (capacity ${run.capacity}) and drop-newest refuses the new item (item 5)`;
    },
    registered: (name, prefetch, acks) => model.join(name, prefetch, acks),
    acked: (item) => model.settle(item),
    after(delivered, queue) {
      const due = model.log;
      model.log = [];
      const said = (l: string[]) => (l.length === 0 ? 'nothing' : l.map((d) => `item ${d.slice(1)} to ${d[0]}`).join(', '));
      if (delivered.join() !== due.join()) return `the rules deliver ${said(due)}, but the queue delivered ${said(delivered)} (oldest item first, at once, round-robin over the consumers with credit: items 1, 2, 3, 7, 8)`;
      if (queue.length !== model.line.length) return `length is ${queue.length}, but ${model.line.length} ${model.line.length === 1 ? 'item waits' : 'items wait'} (${model.line.join(', ') || 'none'})`;
      if (queue.dropped.join() !== model.lost.join()) return `dropped is [${queue.dropped.join(', ')}], but the ${run.overflow} policy dropped [${model.lost.join(', ')}] (items 5, 6)`;
      return undefined;
    },
  };
}

/** {@link playOps} with the model of the rules: every step does exactly what the rules say. */
export const playOpsByTheRules = (run: OpsRun): void => playOps(run, modelJudge(run));
