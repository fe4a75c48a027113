/**
 * Checks of exercise 10, an exactly-once-in-effect worker on RabbitMQ. They need a broker at
 * AMQP_URL; without one every check is skipped and the grader reports "not run: no broker at
 * AMQP_URL", never a pass.
 *
 * A "killed" worker is one whose process dies: from that instant its acks and nacks never reach
 * the broker, its database calls fail (its open transaction rolls back), and its connection
 * closes, so the broker redelivers every message it held unacked. A "zombie" loses only its
 * broker connection: the broker redelivers what it held, but it goes on working on those
 * payments with its database connection alive. Each worker is started from a freshly loaded copy
 * of the module, as a restarted process would be, so nothing kept in module memory survives.
 */
import { describe, expect, it } from 'vitest';
import { CHECK_TIMEOUT_MS, DEFAULT_PREFETCH, SUITE, PaymentsRun, admin, brokerUp, cleanUpAfterEach, paymentId, paymentsRun, waitFor } from './harness';
import { canaries } from '../../checker/shared/canary';

cleanUpAfterEach();

describe.skipIf(!brokerUp)(SUITE, () => {
  it('[1] applies every payment once and acks it, when nothing goes wrong', { timeout: CHECK_TIMEOUT_MS }, async () => {
    const run = await paymentsRun(60);
    await run.startWorker();
    await run.settle(() => run.wrongPayments(60).length === 0);
    expect(run.wrongPayments(60), 'payments not applied exactly once').toEqual([]);
  });

  it('[2] loses no payment when a worker dies in the middle of a transaction (ack only after the effect is stored)', { timeout: CHECK_TIMEOUT_MS }, async () => {
    const run = await paymentsRun(80);
    const first = await run.startWorker();
    let commits = 0;
    run.ledger.onCommit = (stage) => {
      if (stage === 'before-commit' && ++commits === 30) first.kill();
    };
    await waitFor(() => commits >= 30, 'the first worker to commit its 30th transaction');
    run.ledger.onCommit = () => {};
    await run.startWorker();
    await run.settle(() => run.wrongPayments(80).length === 0);
    expect(run.wrongPayments(80), 'payments not applied exactly once after the crash').toEqual([]);
  });

  it('[3] does not apply a payment twice when a worker dies after storing it but before acking (the id is checked in the store)', { timeout: CHECK_TIMEOUT_MS }, async () => {
    const run = await paymentsRun(80);
    const first = await run.startWorker();
    let commits = 0;
    run.ledger.onCommit = (stage) => {
      if (stage === 'after-commit' && ++commits === 30) first.kill();
    };
    await waitFor(() => commits >= 30, 'the first worker to commit its 30th transaction');
    run.ledger.onCommit = () => {};
    await run.startWorker();
    await run.settle(() => run.wrongPayments(80).length === 0);
    expect(run.wrongPayments(80), 'payments not applied exactly once after the crash').toEqual([]);
    expect(await run.deadLettered(), 'payments dead-lettered: a redelivered copy of an applied payment only needs its ack').toBe(0);
  });

  it('[4] retries a payment whose transaction failed instead of dropping it', { timeout: CHECK_TIMEOUT_MS }, async () => {
    const run = await paymentsRun(20);
    run.ledger.failOnce.add(paymentId(3)).add(paymentId(7));
    await run.startWorker();
    await run.settle(() => run.wrongPayments(20).length === 0);
    expect(run.wrongPayments(20), 'p-3 and p-7 failed once and must be applied later').toEqual([]);
  });

  it('[5] holds exactly its prefetch of unacked messages while the database is slow, never more', { timeout: CHECK_TIMEOUT_MS }, async () => {
    const run = await paymentsRun(30);
    const worker = await run.startWorker({ prefetch: 4, holdReplies: true });
    await waitFor(() => worker.received() >= 4, `the worker to take 4 messages at once with prefetch 4 and a slow database (it took ${worker.received()}); is prefetch passed to consume?`, 2_000);
    await new Promise((resolve) => setTimeout(resolve, 100)); // time for any delivery beyond the prefetch to arrive
    expect(worker.received(), 'messages taken while the database answered nothing, with prefetch 4 (the broker sends more only for acked ones)').toBe(4);
    worker.db.releaseReplies();
    await run.settle(() => run.wrongPayments(30).length === 0);
    expect(run.wrongPayments(30)).toEqual([]);
  });

  it('[5] takes 10 messages at once when no prefetch is given', { timeout: CHECK_TIMEOUT_MS }, async () => {
    const run = await paymentsRun(30);
    const worker = await run.startWorker({ prefetch: 'default', holdReplies: true });
    const took = () =>
      `the worker started without a prefetch option took ${worker.received()} messages at once while the database answered nothing: prefetch defaults to 10, so pass 10 to consume when none is given (passing undefined leaves the broker's own default)`;
    await waitFor(() => worker.received() >= DEFAULT_PREFETCH, 'the worker to take 10 messages', 2_000).catch(() => {
      throw new Error(took());
    });
    await new Promise((resolve) => setTimeout(resolve, 100)); // time for any delivery beyond the prefetch to arrive
    expect(worker.received(), took()).toBe(DEFAULT_PREFETCH);
    worker.db.releaseReplies();
    await run.settle(() => run.wrongPayments(30).length === 0);
    expect(run.wrongPayments(30)).toEqual([]);
  });

  it('[5] takes no more messages after stop(): its consumer is cancelled', { timeout: CHECK_TIMEOUT_MS }, async () => {
    const run = await paymentsRun(5);
    const { worker } = await run.startWorker();
    await run.settle(() => run.wrongPayments(5).length === 0);
    await worker.stop();
    await run.send(5, 6);
    await new Promise((resolve) => setTimeout(resolve, 200)); // time for a delivery to a consumer still there
    expect(
      run.timesDelivered(paymentId(5)),
      'deliveries of p-5, sent after stop(): the stopped worker still took it (and handed it back). stop() must cancel the consumer that connection.consume returned (its cancel()), not set a flag and refuse what keeps coming (item 5)',
    ).toBe(0);
    expect(run.timesPaid(5), 'a stopped worker applied p-5').toBe(0);
    expect(await admin((connection) => connection.messageCount(run.queue)), 'messages left in the queue for another worker (p-5)').toBe(1);
  });

  it('[6] declares its queues, so it can start before anything was ever sent to it', { timeout: CHECK_TIMEOUT_MS }, async () => {
    const run = new PaymentsRun(5);
    await run.startWorker();
    await run.send(0, 5);
    await run.settle(() => run.wrongPayments(5).length === 0);
    expect(run.wrongPayments(5)).toEqual([]);
    expect(await run.deadLettered(), 'messages in the dead-letter queue').toBe(0);
  });

  it('[7] shares the queue with a second worker running at the same time, each payment applied once', { timeout: CHECK_TIMEOUT_MS }, async () => {
    const run = await paymentsRun(120);
    await Promise.all([run.startWorker({ prefetch: 5 }), run.startWorker({ prefetch: 5 })]);
    await run.settle(() => run.wrongPayments(120).length === 0);
    expect(run.wrongPayments(120), 'payments not applied exactly once').toEqual([]);
  });

  it('[8] pays once when a zombie worker and the redelivered copy hold the same payment at the same time (dedup inside the transaction)', { timeout: CHECK_TIMEOUT_MS }, async () => {
    const run = await paymentsRun(1);
    const zombie = await run.startWorker({ holdReplies: true });
    await waitFor(() => zombie.db.calls > 0, 'the first worker to send its database a statement about p-0');
    expect(zombie.settled(), 'the first worker settled p-0 before any database reply: ack only after the transaction has committed').toBe(0);
    zombie.loseBroker(); // the broker redelivers p-0; the zombie's statement has run, its reply is on the way
    const other = await run.startWorker();
    await waitFor(() => other.db.calls > 0, 'the second worker to take the redelivered p-0 and send a statement about it', 3_000);
    zombie.db.releaseReplies();
    await run.settle(() => run.timesPaid(0) > 1);
    expect(run.wrongPayments(1), 'a zombie and a worker holding the redelivered copy both paid: check-then-act?').toEqual([]);
  });

  it('[9] dead-letters a payment that fails every time after exactly deliveryLimit + 1 deliveries: the first and deliveryLimit retries', { timeout: CHECK_TIMEOUT_MS }, async () => {
    const limit = 2;
    const run = new PaymentsRun(limit); // the worker declares the queues
    run.ledger.failAlways.add(paymentId(3));
    await run.startWorker();
    await run.send(0, 10);
    const looping = () => run.timesDelivered(paymentId(3)) > limit + 1;
    await run.settle(async () => looping() || ((await run.deadLettered()) > 0 && run.wrongPayments(10, [3]).length === 0));
    expect(run.timesDelivered(paymentId(3)), `deliveries of p-3 with deliveryLimit ${limit}: the first and ${limit} retries, then the dead-letter queue`).toBeLessThanOrEqual(limit + 1);
    expect(
      run.timesDelivered(paymentId(3)),
      `p-3 was dead-lettered after ${run.timesDelivered(paymentId(3))} deliveries, too few: deliveryLimit ${limit} allows the first delivery and ${limit} retries (the broker counts them; do not count the failing delivery again)`,
    ).toBe(limit + 1);
    expect(await run.deadLettered(), 'messages in the dead-letter queue (p-3 fails every time)').toBe(1);
    expect(run.wrongPayments(10, [3]), 'the other payments').toEqual([]);
    expect(run.timesPaid(3), 'p-3 was paid although its transaction always fails').toBe(0);
  });

  it('[9] takes a deliveryLimit of 0 as given: a payment that fails every time is delivered once, then dead-lettered', { timeout: CHECK_TIMEOUT_MS }, async () => {
    const run = new PaymentsRun(0); // the worker declares the queues, with deliveryLimit 0
    run.ledger.failAlways.add(paymentId(1));
    await run.startWorker();
    await run.send(0, 3);
    await run.settle(async () => run.timesDelivered(paymentId(1)) > 1 || ((await run.deadLettered()) > 0 && run.wrongPayments(3, [1]).length === 0));
    expect(
      run.timesDelivered(paymentId(1)),
      'deliveries of p-1, which fails every time, with deliveryLimit: 0: a deliveryLimit of 0 was taken as missing and replaced by the default (|| instead of ??). 0 is a limit given: the first delivery, no retry, then the dead-letter queue (item 9)',
    ).toBe(1);
    expect(await run.deadLettered(), 'messages in the dead-letter queue (p-1 fails every time)').toBe(1);
    expect(run.wrongPayments(3, [1]), 'the other payments').toEqual([]);
  });

  it('[9] retries a payment that arrives redelivered because its worker died, and then fails once (redelivered is no retry count)', { timeout: CHECK_TIMEOUT_MS }, async () => {
    const run = await paymentsRun(5);
    run.ledger.failOnce.add(paymentId(0));
    const first = await run.startWorker({ prefetch: 1, holdReplies: true });
    await waitFor(() => first.received() > 0, 'the first worker to take p-0');
    first.kill(); // p-0 comes back marked redelivered, although nobody failed to pay it yet
    await run.startWorker();
    await run.settle(() => run.wrongPayments(5).length === 0);
    expect(run.wrongPayments(5), 'p-0 failed once after a crash, and must be retried').toEqual([]);
    expect(await run.deadLettered(), 'messages in the dead-letter queue').toBe(0);
  });

  it('[10] dead-letters a message without a messageId, missing or empty, at once: delivered once, never applied', { timeout: CHECK_TIMEOUT_MS }, async () => {
    const run = await paymentsRun(5);
    await run.send(100, 103, { withIds: false });
    await admin((producer) => producer.send(run.queue, { account: 'acct-empty-id', amount: 1 }, { messageId: '' }));
    await run.startWorker();
    await run.settle(async () => (await run.deadLettered()) >= 4 && run.wrongPayments(5).length === 0);
    expect(run.wrongPayments(5)).toEqual([]);
    for (const i of [100, 101, 102]) {
      expect(run.timesDelivered(`no id: acct-${i}`), `deliveries of the message without an id for acct-${i}`).toBe(1);
      expect(run.timesPaid(i), `the message without an id for acct-${i} was applied`).toBe(0);
    }
    expect(
      run.ledger.balances.get('acct-empty-id') ?? 0,
      "the message whose messageId is '' was applied: an empty id is no id either (test with !messageId, not === undefined), and is dead-lettered at once (item 10)",
    ).toBe(0);
    expect(run.timesDelivered(''), "deliveries of the message whose messageId is ''").toBe(1);
    expect(await run.deadLettered(), 'messages without an id, missing or empty, in the dead-letter queue').toBe(4);
  });
});

canaries();
