/**
 * Hidden checks (kept by the instructor, used for the final grade; the public ones are in
 * exercises/10-broker-worker/checks.test.ts) of exercise 10, an exactly-once-in-effect worker on RabbitMQ. They need a broker at
 * AMQP_URL; without one every check is skipped and the grader reports "not run: no broker at
 * AMQP_URL", never a pass.
 *
 * A "killed" worker is one whose process dies: from that instant its acks and nacks never reach
 * the broker, its database calls fail (its open transaction rolls back), and its connection
 * closes, so the broker redelivers every message it held unacked. A "zombie" loses only its
 * broker connection and goes on working with its database connection alive.
 */
import { describe, expect, it } from 'vitest';
import {
  CHECK_TIMEOUT_MS,
  DEFAULT_DELIVERY_LIMIT,
  DEFAULT_PREFETCH,
  SUITE,
  PaymentsRun,
  brokerUp,
  cleanUpAfterEach,
  admin,
  paymentId,
  paymentsRun,
  waitFor,
} from '../../exercises/10-broker-worker/harness';
import { canaries } from '../../checker/shared/canary';

cleanUpAfterEach();

describe.skipIf(!brokerUp)(SUITE, () => {
  it('[5] holds exactly 10 unacked messages at once when no prefetch is given', { timeout: CHECK_TIMEOUT_MS }, async () => {
    const run = await paymentsRun(40);
    const worker = await run.startWorker({ prefetch: 'default', holdReplies: true });
    await waitFor(() => worker.received() >= DEFAULT_PREFETCH, `the worker to take 10 messages at once by default (it took ${worker.received()})`, 2_000);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(worker.received(), 'messages taken at once while the database answered nothing, by default').toBe(DEFAULT_PREFETCH);
    worker.db.releaseReplies();
    await run.settle(() => run.wrongPayments(40).length === 0);
    expect(run.wrongPayments(40)).toEqual([]);
  });

  it('[5] stops taking messages after stop()', { timeout: CHECK_TIMEOUT_MS }, async () => {
    const run = await paymentsRun(10);
    const { worker } = await run.startWorker();
    await run.settle(() => run.wrongPayments(10).length === 0);
    await worker.stop();
    await run.send(10, 11);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(run.timesPaid(10), 'a stopped worker applied a payment').toBe(0);
    expect(await admin((connection) => connection.messageCount(run.queue)), 'messages left for another worker').toBe(1);
  });

  it('[7] survives three workers dying one after another across 300 payments, each payment applied exactly once', { timeout: CHECK_TIMEOUT_MS }, async () => {
    const run = await paymentsRun(300);
    for (const [killAt, stage] of [[45, 'after-commit'], [105, 'before-commit'], [180, 'after-commit']] as const) {
      const doomed = await run.startWorker({ prefetch: 25 });
      let seen = 0;
      const target = run.ledger.commits + killAt / 3;
      run.ledger.onCommit = (s) => {
        if (s === stage && run.ledger.commits >= target && ++seen === 1) doomed.kill();
      };
      await waitFor(() => seen >= 1, `worker to reach payment ${target}`, 5_000);
      run.ledger.onCommit = () => {};
    }
    await run.startWorker({ prefetch: 25 });
    await run.settle(() => run.wrongPayments(300).length === 0);
    expect(run.wrongPayments(300), 'payments not applied exactly once').toEqual([]);
  });

  it('[8] pays once when the worker holding the redelivered copy hears its answer late, after the zombie committed', { timeout: CHECK_TIMEOUT_MS }, async () => {
    const run = await paymentsRun(1);
    const zombie = await run.startWorker({ holdReplies: true });
    await waitFor(() => zombie.db.calls > 0, 'the first worker to send its database a statement about p-0');
    expect(zombie.settled(), 'the first worker settled p-0 before any database reply: ack only after the transaction has committed').toBe(0);
    zombie.loseBroker();
    const other = await run.startWorker({ holdReplies: true });
    await waitFor(() => other.db.calls > 0, 'the second worker to take the redelivered p-0', 3_000);
    zombie.db.releaseReplies();
    await waitFor(() => run.ledger.commits > 0, 'the zombie to commit p-0', 3_000);
    other.db.releaseReplies();
    await run.settle(() => run.timesPaid(0) > 1);
    expect(run.wrongPayments(1), 'payments not applied exactly once').toEqual([]);
  });

  it('[8] applies the redelivered copy once when the zombie dies before committing its transaction', { timeout: CHECK_TIMEOUT_MS }, async () => {
    const run = await paymentsRun(1);
    const zombie = await run.startWorker({ holdReplies: true });
    await waitFor(() => zombie.db.calls > 0, 'the first worker to send its database a statement about p-0');
    expect(zombie.settled(), 'the first worker settled p-0 before any database reply: ack only after the transaction has committed').toBe(0);
    zombie.loseBroker();
    const other = await run.startWorker();
    await waitFor(() => other.db.calls > 0, 'the second worker to take the redelivered p-0', 3_000);
    zombie.kill(); // its database connection drops too: its open transaction rolls back
    await run.settle(() => run.timesPaid(0) > 0);
    expect(run.wrongPayments(1), 'the payment after its zombie died').toEqual([]);
    expect(await run.deadLettered(), 'messages in the dead-letter queue').toBe(0);
  });

  it('[9] dead-letters a payment that fails every time after exactly 6 deliveries (the first and 5 retries) when no deliveryLimit is given', { timeout: CHECK_TIMEOUT_MS }, async () => {
    const run = new PaymentsRun(DEFAULT_DELIVERY_LIMIT);
    await run.declareQueues();
    await run.send(0, 6);
    run.ledger.failAlways.add(paymentId(5));
    await run.startWorker({ deliveryLimit: 'default' });
    const looping = () => run.timesDelivered(paymentId(5)) > DEFAULT_DELIVERY_LIMIT + 1;
    await run.settle(async () => looping() || ((await run.deadLettered()) > 0 && run.wrongPayments(5).length === 0));
    expect(run.timesDelivered(paymentId(5)), 'deliveries of p-5 with the default deliveryLimit: the first and 5 retries').toBe(DEFAULT_DELIVERY_LIMIT + 1);
    expect(await run.deadLettered(), 'messages in the dead-letter queue (p-5 fails every time)').toBe(1);
    expect(run.wrongPayments(5), 'the other payments').toEqual([]);
  });

  it('[10] dead-letters a message whose messageId is empty, without applying it', { timeout: CHECK_TIMEOUT_MS }, async () => {
    const run = await paymentsRun(3);
    await admin((producer) => producer.send(run.queue, { account: 'acct-empty-id', amount: 1 }, { messageId: '' }));
    await run.startWorker();
    await run.settle(async () => (await run.deadLettered()) >= 1 && run.wrongPayments(3).length === 0);
    expect(run.wrongPayments(3)).toEqual([]);
    expect(run.ledger.balances.get('acct-empty-id') ?? 0, 'the message with an empty id was applied').toBe(0);
    expect(await run.deadLettered(), 'messages in the dead-letter queue').toBe(1);
  });
});

canaries();
