/**
 * Hidden checks (kept by the instructor, used for the final grade; the public ones are in
 * exercises/02-at-least-once/checks.test.ts) of exercise 02, at-least-once delivery, on netsim: a simulated network in virtual time,
 * replayed exactly from its seed. Your ReliableSender runs on node "sender", your AckingReceiver on
 * node "receiver". The checks look only at what crosses the network and at your promises; the
 * format of your data and ack messages is yours to choose.
 */
import { describe, expect, it } from 'vitest';
import { settlement, uniform } from '../../toolkit/netsim';
import { inFlightProperty, LIMIT, refusalProperty, sending, world } from '../../exercises/02-at-least-once/harness';
import { canaries } from '../../checker/shared/canary';

/** More seeds than the public checks use, none of them the same. */
const MORE_SEEDS = Array.from({ length: 40 }, (_, i) => 1000 + i);

describe('ReliableSender and AckingReceiver', () => {
  it('[3] uses 100 ms between transmissions and 10 attempts by default', async () => {
    const { net, sender, sendTimes } = world();
    net.setLinkFaults('sender', 'receiver', { loss: 1 });
    const sent = settlement(sender.send('receiver', 'lost'), net);
    await net.runUntilIdleAsync(LIMIT);
    expect(sendTimes()).toEqual([0, 100, 200, 300, 400, 500, 600, 700, 800, 900]);
    expect(sent.error).toBeInstanceOf(sending.DeliveryError);
  });

  it('[7] keeps to one transmission per retransmitMs per message: no flood', async () => {
    const { net, sender, sendTimes } = world({ sender: { retransmitMs: 100, maxAttempts: 1000 } });
    net.setLinkFaults('sender', 'receiver', { loss: 1 });
    void sender.send('receiver', 'one').catch(() => {});
    void sender.send('receiver', 'two').catch(() => {});
    await net.advanceAsync(1000);
    expect(sendTimes().length).toBeLessThanOrEqual(2 * 11);
    expect(sendTimes().length).toBeGreaterThanOrEqual(2 * 10);
  });

  it('[8] counts in inFlight the messages not yet acknowledged', async () => {
    const { net, sender } = world({ sender: { retransmitMs: 100, maxAttempts: 10 } });
    net.setLinkFaults('sender', 'receiver', { loss: 1 });
    for (const n of [1, 2, 3]) void sender.send('receiver', n);
    await net.advanceAsync(50);
    expect(sender.inFlight).toBe(3);
    net.clearLinkFaults();
    await net.runUntilIdleAsync(LIMIT);
    expect(sender.inFlight).toBe(0);
  });

  it('[8] counts in inFlight exactly the sends not yet settled, given-up ones excluded (property, 150 more cases)', async () => {
    await inFlightProperty({ seed: 8020, runs: 150 });
  }, 60_000);

  it('[9] acks a copy only after onDelivery returned, none when it throws (property, 100 more cases)', async () => {
    await refusalProperty({ seed: 9020, runs: 100 });
  }, 60_000);

  it('[9] delivers every message at least once with 50% loss both ways, duplicates and long delays (40 more seeds)', async () => {
    for (const seed of MORE_SEEDS) {
      const { net, sender, deliveries } = world({
        seed,
        faults: { loss: 0.5, duplicate: 0.3, delay: uniform(1, 150) },
        sender: { retransmitMs: 100, maxAttempts: 80 },
      });
      const payloads = Array.from({ length: 20 }, (_, i) => `m${i}`);
      const results = payloads.map((p) => settlement(sender.send('receiver', p), net));
      await net.runUntilIdleAsync({ maxEvents: 100_000 });
      const failed = results.map((r, i) => (r.resolved ? null : `${payloads[i]}: ${String(r.error)}`)).filter(Boolean);
      expect(failed, `seed ${seed}`).toEqual([]);
      const delivered = new Set(deliveries.map((d) => d.payload));
      expect(payloads.filter((p) => !delivered.has(p)), `seed ${seed}: never delivered`).toEqual([]);
      expect(sender.inFlight, `seed ${seed}`).toBe(0);
    }
  });
});

canaries();
