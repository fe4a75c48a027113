/**
 * Checks of exercise 02, at-least-once delivery, on netsim: a simulated network in virtual time,
 * replayed exactly from its seed. Your ReliableSender runs on node "sender", your AckingReceiver on
 * node "receiver". The checks look only at what crosses the network and at your promises; the
 * format of your data and ack messages is yours to choose.
 */
import { describe, expect, it } from 'vitest';
import { settlement, uniform } from '../../toolkit/netsim';
import { LIMIT, inFlightProperty, refusalProperty, sending, uniqueIdsProperty, world } from './harness';
import { canaries } from '../../checker/shared/canary';

const SEEDS = Array.from({ length: 20 }, (_, i) => i + 1);

describe('ReliableSender and AckingReceiver', () => {
  it('[1] delivers a message and resolves send when the ack is back, after one round trip', async () => {
    const { net, sender, deliveries } = world();
    const sent = settlement(sender.send('receiver', { order: 1 }), net);
    await net.runUntilIdleAsync(LIMIT);
    expect(deliveries.map((d) => d.payload)).toEqual([{ order: 1 }]);
    expect(sent.resolved).toBe(true);
    expect(sent.at, 'send resolved before the ack could have arrived (5 ms there, 5 ms back)').toBe(10);
  });

  it('[2] hands the message on with its id and the sending node', async () => {
    const { net, sender, deliveries } = world();
    void sender.send('receiver', 'a');
    void sender.send('receiver', 'b');
    await net.runUntilIdleAsync(LIMIT);
    expect(deliveries.map((d) => d.from)).toEqual(['sender', 'sender']);
    expect(typeof deliveries[0].id).toBe('string');
    expect(deliveries[0].id).not.toBe(deliveries[1].id);
  });

  it('[2] gives each send an id of its own, also two sends of the same payload, and resolves both', async () => {
    const { net, sender, deliveries } = world();
    const sends = [settlement(sender.send('receiver', 'same'), net), settlement(sender.send('receiver', 'same'), net)];
    await net.runUntilIdleAsync(LIMIT);
    const ids = deliveries.map((d) => d.id);
    expect(
      new Set(ids).size,
      `two sends of the same payload "same" were delivered with the ids ${JSON.stringify(ids)}: an id must be unique per send (a counter), not made from the payload, or one ack settles both records (item 2)`,
    ).toBe(2);
    expect(sends.map((s) => s.resolved ?? 'still waiting'), 'how the two sends of the same payload settled').toEqual([true, true]);
    expect(sender.inFlight, 'inFlight once both were acknowledged').toBe(0);
  });

  it('[2] never gives two sends the same id, also when one is sent after earlier ones were acknowledged (property, 30 cases)', async () => {
    await uniqueIdsProperty({ seed: 202, runs: 30 });
  });

  it('[1] sends nothing more once a message is acknowledged: one data message, one ack', async () => {
    const { net, sender } = world();
    void sender.send('receiver', 'once');
    await net.runUntilIdleAsync(LIMIT);
    expect(net.stats.sent).toBe(2);
  });

  it('[1] keeps no timer running once the ack is back: nothing happens after 10 ms', async () => {
    const { net, sender } = world();
    void sender.send('receiver', 'once');
    await net.runUntilIdleAsync(LIMIT);
    expect(
      net.now(),
      `the network was still busy until ${net.now()} ms, though the ack was back at 10 ms: the retransmission timer was left running after the ack (clear it with endpoint.clearTimeout when the ack comes)`,
    ).toBe(10);
  });

  it('[1] keeps no timer running once the ack is back, also when the ack answers a retransmission', async () => {
    const { net, sender } = world({ sender: { retransmitMs: 100, maxAttempts: 10 } });
    net.setLinkFaults('receiver', 'sender', { loss: 1 });
    net.clock.setTimeout(() => net.clearLinkFaults(), 250); // acks get through from t = 250 on
    const sent = settlement(sender.send('receiver', 'retransmitted'), net);
    await net.runUntilIdleAsync(LIMIT);
    expect(sent.at, 'when send resolved: the copy sent at 300 ms is the first whose ack gets through, back at 310 ms').toBe(310);
    expect(
      net.now(),
      `the ack of the retransmission sent at 300 ms was back at 310 ms, but the network was still busy until ${net.now()} ms: the timer of that retransmission was left running. Each transmission starts a new timer: keep the latest one in the message's record, so that the ack clears the timer actually waiting, not the first one, which has long fired`,
    ).toBe(310);
  });

  it('[2] gives sends to different receivers ids of their own: unique per sender, not numbered per destination', async () => {
    const { net, sender, deliveries } = world({ receivers: ['receiver', 'other'] });
    const sends = [settlement(sender.send('receiver', 'to receiver'), net), settlement(sender.send('other', 'to other'), net)];
    await net.runUntilIdleAsync(LIMIT);
    const ids = deliveries.map((d) => `${JSON.stringify(d.payload)}: ${d.id}`);
    expect(
      new Set(deliveries.map((d) => d.id)).size,
      `one send to node "receiver" and one to node "other" were delivered with the ids ${ids.join(', ')}: ids must be unique per sender, across all its destinations (one counter for the sender, not one per receiver), or the two records share an id and one ack settles the wrong send`,
    ).toBe(2);
    expect(sends.map((s) => s.resolved ?? 'still waiting'), 'how the sends to "receiver" and to "other" settled').toEqual([true, true]);
    expect(sender.inFlight, 'inFlight once both were acknowledged').toBe(0);
  });

  it('[3] retransmits every retransmitMs while no ack comes: at 0, 100, 200, 300 ms', async () => {
    const { net, sender, sendTimes } = world({ sender: { retransmitMs: 100, maxAttempts: 4 } });
    net.setLinkFaults('sender', 'receiver', { loss: 1 });
    void sender.send('receiver', 'lost').catch(() => {});
    await net.runUntilIdleAsync(LIMIT);
    expect(sendTimes()).toEqual([0, 100, 200, 300]);
  });

  it('[4] rejects send with a DeliveryError after maxAttempts transmissions without an ack', async () => {
    const { net, sender, sendTimes } = world({ sender: { retransmitMs: 50, maxAttempts: 3 } });
    net.setLinkFaults('sender', 'receiver', { loss: 1 });
    const sent = settlement(sender.send('receiver', 'lost'), net);
    await net.runUntilIdleAsync(LIMIT);
    expect(sendTimes()).toHaveLength(3);
    expect(sent.settled, 'send never settled').toBe(true);
    expect(sent.error).toBeInstanceOf(sending.DeliveryError);
    expect(sent.at, 'rejected before the last transmission had its chance').toBeGreaterThan(100);
    expect(sent.at, 'rejected long after the last transmission timed out').toBeLessThanOrEqual(150);
  });

  it('[5] does not resolve send when only the data arrives: it needs the ack', async () => {
    const { net, sender, deliveries } = world({ sender: { retransmitMs: 100, maxAttempts: 3 } });
    net.setLinkFaults('receiver', 'sender', { loss: 1 });
    const sent = settlement(sender.send('receiver', 'unacked'), net);
    await net.runUntilIdleAsync(LIMIT);
    expect(deliveries.length).toBeGreaterThan(0);
    expect(sent.resolved).toBe(false);
    expect(sent.error).toBeInstanceOf(sending.DeliveryError);
  });

  it('[6] acknowledges every copy, so a lost ack is made good by the next retransmission', async () => {
    const { net, sender, deliveries } = world({ sender: { retransmitMs: 100, maxAttempts: 5 } });
    net.setLinkFaults('receiver', 'sender', { loss: 1 });
    net.clock.setTimeout(() => net.clearLinkFaults(), 150); // acks get through from t = 150 on
    const sent = settlement(sender.send('receiver', 'twice'), net);
    await net.runUntilIdleAsync(LIMIT);
    expect(sent.resolved, 'send did not resolve once acks got through').toBe(true);
    expect(deliveries.map((d) => d.payload)).toEqual(['twice', 'twice', 'twice']);
    expect(new Set(deliveries.map((d) => d.id)).size, 'a retransmission must carry the same id').toBe(1);
  });

  it('[6] acknowledges a copy the network duplicated too: two copies arrive, two acks go back', async () => {
    const { net, sender, deliveries } = world({ sender: { retransmitMs: 100, maxAttempts: 1 } });
    net.setLinkFaults('sender', 'receiver', { duplicate: 1 }); // every data message arrives twice
    const sent = settlement(sender.send('receiver', 'doubled'), net);
    await net.runUntilIdleAsync(LIMIT);
    const arrived = net.trace.filter((e) => e.kind === 'deliver' && e.to === 'receiver').length;
    const acks = net.trace.filter((e) => e.kind === 'send' && e.from === 'receiver').length;
    expect(arrived, 'copies of the one transmission that reached the receiver').toBe(2);
    expect(
      acks,
      `${arrived} copies arrived (one a duplicate the network made, marked copy: true) but the receiver sent ${acks} ack(s): every copy gets onDelivery and an ack, a duplicate too; the receiver cannot know the ack of the other copy got through`,
    ).toBe(2);
    expect(deliveries.map((d) => d.payload), 'the copies handed to onDelivery (an ack means the copy was delivered)').toEqual(['doubled', 'doubled']);
    expect(sent.resolved).toBe(true);
  });

  it('[8] counts in inFlight exactly the sends not yet settled, given-up ones excluded (property, 30 cases)', async () => {
    await inFlightProperty({ seed: 802, runs: 30 });
  });

  it('[8] changes nothing in inFlight when an ack comes back after its send gave up', async () => {
    // 40 ms each way, retransmitMs 50, one attempt: a send gives up at 50 ms, its ack comes back at 80 ms.
    const { net, sender } = world({ faults: { delay: 40 }, sender: { retransmitMs: 50, maxAttempts: 1 } });
    const results = [settlement(sender.send('receiver', 'late'), net)];
    net.clock.setTimeout(() => results.push(settlement(sender.send('receiver', 'later'), net)), 60);
    while (net.clock.pendingTimers > 0 && net.now() < 1_000) {
      await net.advanceAsync(5);
      const waiting = results.filter((r) => !r.settled).length;
      expect(
        sender.inFlight,
        `at t=${net.now()} ms inFlight was ${sender.inFlight}, but ${waiting} send(s) were still waiting: the ack of a message whose send had already given up (40 ms each way, given up at 50 ms, ack back at 80 ms) lowered inFlight a second time. A late ack for a message no longer waiting changes nothing: its message left inFlight when its send rejected (count the records of the messages still waiting, not a counter lowered on every ack)`,
      ).toBe(waiting);
    }
  });

  it('[8] no longer counts a send in inFlight once its promise has settled: read in its then-callback', async () => {
    const { net, sender } = world({ sender: { retransmitMs: 100, maxAttempts: 1 } });
    const seen: string[] = [];
    void sender.send('receiver', 'acked').then(() => seen.push(`after the ack: ${sender.inFlight}`));
    await net.runUntilIdleAsync(LIMIT);
    net.setLinkFaults('sender', 'receiver', { loss: 1 });
    void sender.send('receiver', 'lost').catch(() => seen.push(`after giving up: ${sender.inFlight}`));
    await net.runUntilIdleAsync(LIMIT);
    expect(
      seen,
      `inFlight read in the callback of each send once it settled (no other send was waiting): ${seen.join(', ')}. It equals the sends not yet settled at every moment, also right when a promise settles: remove the message's record before (or as) you resolve or reject, not in a later microtask or timer, or code that runs after await send(...) still sees it counted`,
    ).toEqual(['after the ack: 0', 'after giving up: 0']);
  });

  it('[9] acks a copy only after onDelivery returned, none when it throws (property, 30 cases)', async () => {
    await refusalProperty({ seed: 902, runs: 30 });
  });

  it('[9] delivers every message at least once with 30% loss both ways, duplicates and reordering (20 seeds)', async () => {
    for (const seed of SEEDS) {
      const { net, sender, deliveries } = world({
        seed,
        faults: { loss: 0.3, duplicate: 0.1, delay: uniform(1, 30) },
        sender: { retransmitMs: 100, maxAttempts: 40 },
      });
      const payloads = Array.from({ length: 30 }, (_, i) => `m${i}`);
      const results = payloads.map((p) =>
        settlement(
          sender.send('receiver', p).then(() => {
            if (!deliveries.some((d) => d.payload === p)) throw new Error(`send of ${p} resolved before ${p} was delivered`);
          }),
          net,
        ),
      );
      await net.runUntilIdleAsync(LIMIT);
      const failed = results.map((r, i) => (r.resolved ? null : `${payloads[i]}: ${String(r.error)}`)).filter(Boolean);
      expect(failed, `seed ${seed}`).toEqual([]);
      const delivered = new Set(deliveries.map((d) => d.payload));
      expect(payloads.filter((p) => !delivered.has(p)), `seed ${seed}: never delivered`).toEqual([]);
    }
  });
});

canaries();
