/**
 * Checks of exercise 10, an exactly-once-in-effect worker on RabbitMQ. They need a broker at
 * AMQP_URL; without one every check is skipped and the grader reports "not run: no broker at
 * AMQP_URL", never a pass.
 *
 * A "killed" worker is one whose process dies: from that instant its acks and nacks never reach
 * the broker, its database calls fail, and its connection closes, so the broker redelivers every
 * message it held unacked. Each worker is started from a freshly loaded copy of the module, as a
 * restarted process would be, so nothing kept in module memory survives a kill.
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  CHECK_TIMEOUT_MS,
  SUITE,
  Ledger,
  broker,
  brokerUp,
  cleanUpAfterEach,
  expectedBalances,
  opened,
  queueOfPayments,
  queues,
  startProcess,
  waitFor,
  waitUntilSettled,
} from './10-broker-worker.harness';
import { canaries } from './canary';

cleanUpAfterEach();

describe.skipIf(!brokerUp)(SUITE, () => {
  it('[1] applies every payment once and acks it, when nothing goes wrong', { timeout: CHECK_TIMEOUT_MS }, async () => {
    const ledger = new Ledger();
    const queue = await queueOfPayments(200);
    await startProcess(queue, ledger);
    await waitUntilSettled(ledger, queue, 200);
    expect(ledger.duplicates).toEqual([]);
    expect(ledger.balances).toEqual(expectedBalances(200));
  });

  it('[2] loses no payment when a worker dies in the middle of a transaction (ack only after the effect is stored)', { timeout: CHECK_TIMEOUT_MS }, async () => {
    const ledger = new Ledger();
    const queue = await queueOfPayments(300);
    const first = await startProcess(queue, ledger);
    let calls = 0;
    ledger.onApply = (stage) => {
      if (stage === 'before-commit' && ++calls === 100) first.kill();
    };
    await waitFor(() => calls >= 100, 'the first worker to reach its 100th payment');
    ledger.onApply = () => {};
    await startProcess(queue, ledger);
    await waitUntilSettled(ledger, queue, 300);
    expect(ledger.balances, 'balances after the crash').toEqual(expectedBalances(300));
  });

  it('[3] does not apply a payment twice when a worker dies after storing it but before acking (the id is checked in the store)', { timeout: CHECK_TIMEOUT_MS }, async () => {
    const ledger = new Ledger();
    const queue = await queueOfPayments(300);
    const first = await startProcess(queue, ledger);
    let commits = 0;
    ledger.onApply = (stage) => {
      if (stage === 'after-commit' && ++commits === 100) first.kill();
    };
    await waitFor(() => commits >= 100, 'the first worker to store its 100th payment');
    ledger.onApply = () => {};
    await startProcess(queue, ledger);
    await waitUntilSettled(ledger, queue, 300);
    expect(ledger.duplicates, 'payments applied twice').toEqual([]);
    expect(ledger.balances).toEqual(expectedBalances(300));
  });

  it('[4] retries a payment whose transaction failed instead of dropping it', { timeout: CHECK_TIMEOUT_MS }, async () => {
    const ledger = new Ledger();
    ledger.failOnce.add('p-3').add('p-7');
    const queue = await queueOfPayments(20);
    await startProcess(queue, ledger);
    await waitUntilSettled(ledger, queue, 20);
    expect(ledger.processed.has('p-3') && ledger.processed.has('p-7'), 'the failed payments were applied later').toBe(true);
    expect(ledger.duplicates).toEqual([]);
  });

  it('[5] never holds more messages at once than its prefetch', { timeout: CHECK_TIMEOUT_MS }, async () => {
    const ledger = new Ledger();
    const queue = await queueOfPayments(100);
    await startProcess(queue, ledger, 3);
    await waitUntilSettled(ledger, queue, 100);
    expect(ledger.maxInFlight, 'store calls in flight at once').toBeLessThanOrEqual(3);
  });

  it('[6] declares its queue, so it can start before anything was ever sent to it', { timeout: CHECK_TIMEOUT_MS }, async () => {
    const ledger = new Ledger();
    const queue = `exercise09-${randomUUID()}`;
    queues.push(queue);
    await startProcess(queue, ledger);
    const producer = await broker.connect();
    opened.push(producer);
    for (let i = 0; i < 5; i++) await producer.send(queue, { account: 'a0', amount: 1 }, { messageId: `p-${i}` });
    await waitUntilSettled(ledger, queue, 5);
  });

  it('[7] shares the queue with a second worker running at the same time, each payment applied once', { timeout: CHECK_TIMEOUT_MS }, async () => {
    const ledger = new Ledger();
    const queue = await queueOfPayments(400);
    await Promise.all([startProcess(queue, ledger, 5), startProcess(queue, ledger, 5)]);
    await waitUntilSettled(ledger, queue, 400);
    expect(ledger.duplicates, 'payments applied twice').toEqual([]);
    expect(ledger.balances).toEqual(expectedBalances(400));
  });
});

canaries();
