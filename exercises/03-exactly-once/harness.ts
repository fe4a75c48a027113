/**
 * What the public and hidden checks of exercise 03 share; see checks.test.ts beside it.
 */
import { beforeEach } from 'vitest';
import { Network, type LinkFaults } from '../../toolkit/netsim';
import { traced } from '../../checker/shared/netsim-trace';
import { fc, holdsFor } from '../../checker/shared/property';

type ConsumerModule = typeof import('@submission/03-exactly-once/idempotent-consumer');
export let IdempotentConsumer: ConsumerModule['IdempotentConsumer'];

beforeEach(async () => {
  ({ IdempotentConsumer } = await import('@submission/03-exactly-once/idempotent-consumer'));
});

/** A consumer whose effect is appending the payload to `applied`. */
export function recording(windowSize?: number) {
  const applied: unknown[] = [];
  const consumer = new IdempotentConsumer<unknown>((payload) => void applied.push(payload), windowSize === undefined ? {} : { windowSize });
  return { consumer, applied };
}

/** One seeded run of your IdempotentConsumer behind exercise 02's ReliableSender and AckingReceiver. */
export interface PipelineRun {
  seed: number;
  faults: LinkFaults;
  retransmitMs: number;
  maxAttempts: number;
  windowSize: number;
  messages: number;
  maxEvents: number;
}

/**
 * Sends `messages` distinct payloads through the pipeline until the network is idle.
 * @returns how often each payload was applied, how many deliveries the receiver saw, and how many sends were acknowledged
 */
export async function runPipeline(run: PipelineRun) {
  const { ReliableSender } = await import('@submission/02-at-least-once/sender');
  const { AckingReceiver } = await import('@submission/02-at-least-once/receiver');
  const net = traced(new Network({ seed: run.seed, faults: run.faults }), run.seed);
  const applied = new Map<string, number>();
  let deliveries = 0;
  const consumer = new IdempotentConsumer<string>((payload) => applied.set(payload, (applied.get(payload) ?? 0) + 1), { windowSize: run.windowSize });
  const sender = new ReliableSender(net.addNode('sender'), { retransmitMs: run.retransmitMs, maxAttempts: run.maxAttempts });
  new AckingReceiver(net.addNode('receiver'), (delivery) => {
    deliveries++;
    consumer.handle(delivery.id, delivery.payload as string);
  });
  const payloads = Array.from({ length: run.messages }, (_, i) => `transfer-${i}`);
  let acknowledged = 0;
  for (const p of payloads) void sender.send('receiver', p).then(() => acknowledged++, () => {});
  await net.runUntilIdleAsync({ maxEvents: run.maxEvents });
  const wrong = payloads.filter((p) => applied.get(p) !== 1).map((p) => `${p} applied ${applied.get(p) ?? 0} times`);
  return { wrong, deliveries, acknowledged, payloads };
}

/** How many cases, drawn from which seed. */
interface Budget {
  seed: number;
  runs: number;
}

/** [4] Every `windowSize` below 1 (fractions such as 0.5 too, and -Infinity), and NaN, is refused with a RangeError. */
export async function windowRefusedProperty(budget: Budget): Promise<void> {
  const sizes = fc.oneof(fc.integer({ min: -100_000, max: 99 }).map((k) => k / 100), fc.constantFrom(Number.NaN, -Infinity));
  await holdsFor(
    sizes,
    async (windowSize) => {
      try {
        new IdempotentConsumer<unknown>(() => {}, { windowSize });
      } catch (error) {
        if (error instanceof RangeError) return undefined;
        return `it threw ${String(error)}, not a RangeError`;
      }
      return `a windowSize below 1 was accepted (a window of ${windowSize} remembers no whole id, so every copy is applied): refuse every value below 1, fractions too, not only 0 and negatives`;
    },
    { ...budget, describe: (windowSize) => `new IdempotentConsumer(apply, { windowSize: ${windowSize} })` },
  );
}
