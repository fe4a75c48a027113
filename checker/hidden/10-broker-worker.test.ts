/**
 * Hidden checks (kept by the instructor, used for the final grade; the public ones are in
 * checker/checks/) of exercise 10, an exactly-once-in-effect worker on RabbitMQ. They need a broker at
 * AMQP_URL; without one every check is skipped and the grader reports "not run: no broker at
 * AMQP_URL", never a pass.
 *
 * A "killed" worker is one whose process dies: from that instant its acks and nacks never reach
 * the broker, its database calls fail, and its connection closes, so the broker redelivers every
 * message it held unacked. Each worker is started from a freshly loaded copy of the module, as a
 * restarted process would be, so nothing kept in module memory survives a kill.
 */
import { describe, expect, it, vi } from 'vitest';
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
  startProcess,
  waitFor,
  waitUntilSettled,
  workers,
} from '../checks/10-broker-worker.harness';
import { canaries } from '../checks/canary';

cleanUpAfterEach();

describe.skipIf(!brokerUp)(SUITE, () => {
  it('[5] holds at most 10 messages at once when no prefetch is given', { timeout: CHECK_TIMEOUT_MS }, async () => {
    const ledger = new Ledger();
    const queue = await queueOfPayments(200);
    let dead = false;
    const connection = await broker.connect();
    opened.push(connection);
    vi.resetModules();
    const { startWorker } = await import('@submission/10-broker-worker/worker');
    workers.push(await startWorker(connection, { queue, store: ledger.handle(() => dead) }));
    await waitUntilSettled(ledger, queue, 200);
    dead = true;
    expect(ledger.maxInFlight, 'store calls in flight at once').toBeLessThanOrEqual(10);
  });

  it('[5] stops taking messages after stop()', { timeout: CHECK_TIMEOUT_MS }, async () => {
    const ledger = new Ledger();
    const queue = await queueOfPayments(10);
    const { worker } = await startProcess(queue, ledger);
    await waitUntilSettled(ledger, queue, 10);
    await worker.stop();
    const producer = await broker.connect();
    opened.push(producer);
    await producer.send(queue, { account: 'late', amount: 1 }, { messageId: 'late-1' });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(ledger.processed.has('late-1'), 'a stopped worker processed a message').toBe(false);
    expect(await producer.messageCount(queue)).toBe(1);
  });

  it('[7] survives three workers dying one after another across 2,000 payments, each payment applied exactly once', { timeout: 60_000 }, async () => {
    const ledger = new Ledger();
    const queue = await queueOfPayments(2000);
    for (const [killAt, stage] of [[300, 'after-commit'], [700, 'before-commit'], [1200, 'after-commit']] as const) {
      const doomed = await startProcess(queue, ledger, 25);
      let seen = 0;
      const target = ledger.processed.size + killAt / 3;
      ledger.onApply = (s) => {
        if (s === stage && ledger.processed.size >= target && ++seen === 1) doomed.kill();
      };
      await waitFor(() => seen >= 1, `worker to reach payment ${target}`, 30_000);
      ledger.onApply = () => {};
    }
    await startProcess(queue, ledger, 25);
    await waitUntilSettled(ledger, queue, 2000);
    expect(ledger.duplicates, 'payments applied twice').toEqual([]);
    expect(ledger.balances).toEqual(expectedBalances(2000));
  });
});

canaries();
