// The broker contract, run against the in-process broker and against RabbitMQ. RabbitMQ tests
// need a broker at AMQP_URL: without one they are skipped loudly, except under CI=true.
import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { InProcessBroker, RabbitBroker, amqpUrl, isBrokerReachable, type BrokerConnection, type Delivery, type MessageBroker, type QueueOptions } from './index';

const rabbitUp = await isBrokerReachable(amqpUrl());
if (!rabbitUp) {
  const message = `No RabbitMQ at ${amqpUrl()}: the RabbitMQ broker tests did not run.`;
  if (process.env.CI === 'true') {
    it('finds RabbitMQ (required under CI=true)', () => {
      throw new Error(message);
    });
  } else {
    console.warn(`\n!!! ${message}\n`);
  }
}

/** Resolves when `condition()` holds, polling every few ms; fails after `timeoutMs`. */
async function until(condition: () => boolean | Promise<boolean>, timeoutMs = 15_000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

const implementations: [string, () => MessageBroker, boolean][] = [
  ['in-process broker', () => new InProcessBroker(), true],
  ['RabbitMQ', () => new RabbitBroker(amqpUrl()), rabbitUp],
];

describe.each(implementations)('%s', (_name, makeBroker, available) => {
  const open: BrokerConnection[] = [];
  const queues: string[] = [];
  let broker: MessageBroker;

  async function connection(confirms = true): Promise<BrokerConnection> {
    broker ??= makeBroker();
    const conn = await broker.connect({ confirms });
    open.push(conn);
    return conn;
  }

  async function freshQueue(conn: BrokerConnection, options?: QueueOptions): Promise<string> {
    const name = await conn.assertQueue(`workbook-test-${randomUUID()}`, options);
    queues.push(name);
    return name;
  }

  afterEach(async () => {
    if (!available) return;
    const admin = await connection();
    for (const queue of queues.splice(0)) await admin.deleteQueue(queue);
    for (const conn of open.splice(0)) await conn.close();
  });

  it.skipIf(!available)('shares a work queue between competing workers, each message to one of them', async () => {
    const producer = await connection();
    const queue = await freshQueue(producer);
    const seenBy: Record<string, number[]> = { w1: [], w2: [] };
    for (const worker of ['w1', 'w2']) {
      const conn = await connection();
      await conn.consume<number>(queue, (d) => {
        seenBy[worker].push(d.body);
        d.ack();
      });
    }
    for (let i = 0; i < 100; i++) await producer.send(queue, i);
    await until(() => seenBy.w1.length + seenBy.w2.length === 100, 15_000, '100 deliveries');
    expect([...seenBy.w1, ...seenBy.w2].sort((a, b) => a - b)).toEqual([...Array(100).keys()]);
    expect(seenBy.w1.length).toBeGreaterThan(0);
    expect(seenBy.w2.length).toBeGreaterThan(0);
  });

  it.skipIf(!available)('redelivers an unacked message when its worker dies, marked redelivered', async () => {
    const producer = await connection();
    const queue = await freshQueue(producer);
    const doomed = await connection();
    let firstDelivery: Delivery | undefined;
    await doomed.consume(queue, (d) => void (firstDelivery = d)); // takes the message, never acks
    await producer.send(queue, { job: 1 }, { messageId: 'job-1' });
    await until(() => firstDelivery !== undefined, 15_000, 'the first delivery');
    expect(firstDelivery?.redelivered).toBe(false);
    await doomed.close();
    const second: Delivery[] = [];
    const survivor = await connection();
    await survivor.consume(queue, (d) => {
      second.push(d);
      d.ack();
    });
    await until(() => second.length === 1, 15_000, 'the redelivery');
    expect(second[0]).toMatchObject({ body: { job: 1 }, redelivered: true, properties: { messageId: 'job-1' } });
    expect(second[0].deliveryCount).toBe(0); // counted only on queues with a delivery limit
  });

  it.skipIf(!available)('never gives a consumer more unacked messages than its prefetch', async () => {
    const conn = await connection();
    const queue = await freshQueue(conn);
    for (let i = 0; i < 20; i++) await conn.send(queue, i);
    const held: Delivery[] = [];
    await conn.consume(queue, (d) => void held.push(d), { prefetch: 3 });
    await until(() => held.length === 3, 15_000, '3 deliveries');
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(held.length).toBe(3);
    held.splice(0).forEach((d) => d.ack());
    await until(() => held.length === 3, 15_000, '3 more deliveries');
  });

  it.skipIf(!available)('fans a published message out to every bound queue', async () => {
    const conn = await connection();
    const exchange = `workbook-test-fanout-${randomUUID()}`;
    await conn.assertFanout(exchange);
    const got: Record<string, string[]> = {};
    for (const subscriber of ['email', 'audit', 'search']) {
      got[subscriber] = [];
      const subConn = await connection();
      const queue = await subConn.assertQueue('', { exclusive: true });
      await subConn.bindQueue(queue, exchange);
      await subConn.consume<string>(queue, (d) => {
        got[subscriber].push(d.body);
        d.ack();
      });
    }
    await conn.publish(exchange, 'order-created');
    await conn.publish(exchange, 'order-paid');
    await until(() => Object.values(got).every((list) => list.length === 2), 15_000, 'fan-out');
    expect(got).toEqual({ email: ['order-created', 'order-paid'], audit: ['order-created', 'order-paid'], search: ['order-created', 'order-paid'] });
  });

  it.skipIf(!available)('dead-letters a message nacked without requeue, saying where from and why', async () => {
    const conn = await connection();
    const dlq = await freshQueue(conn);
    const queue = await freshQueue(conn, { deadLetterQueue: dlq });
    await conn.consume(queue, (d) => d.nack({ requeue: false }));
    await conn.send(queue, 'poison', { messageId: 'p-1' });
    const dead: Delivery[] = [];
    await conn.consume(dlq, (d) => {
      dead.push(d);
      d.ack();
    });
    await until(() => dead.length === 1, 15_000, 'the dead letter');
    expect(dead[0]).toMatchObject({ body: 'poison', properties: { messageId: 'p-1' }, deadLettered: { from: queue, reason: 'rejected' } });
  });

  it.skipIf(!available)('counts failed deliveries on a queue with a delivery limit, and dead-letters a message after the last one', async () => {
    const conn = await connection();
    const dlq = await freshQueue(conn);
    const queue = await freshQueue(conn, { deadLetterQueue: dlq, deliveryLimit: 2 });
    const seen: { redelivered: boolean; deliveryCount: number }[] = [];
    await conn.consume(queue, (d) => {
      seen.push({ redelivered: d.redelivered, deliveryCount: d.deliveryCount });
      d.nack({ requeue: true }); // fails every time
    });
    await conn.send(queue, 'always fails');
    const dead: Delivery[] = [];
    await conn.consume(dlq, (d) => {
      dead.push(d);
      d.ack();
    });
    await until(() => dead.length === 1, 15_000, 'the dead letter');
    expect(seen).toEqual([
      { redelivered: false, deliveryCount: 0 },
      { redelivered: true, deliveryCount: 1 },
      { redelivered: true, deliveryCount: 2 },
    ]);
    expect(dead[0]).toMatchObject({ body: 'always fails', redelivered: false, deadLettered: { from: queue, reason: 'delivery-limit' } });
    expect(await conn.messageCount(queue)).toBe(0);
  });

  it.skipIf(!available)('counts a consumer that died holding a message as a failed delivery, towards the limit', async () => {
    const producer = await connection();
    const dlq = await freshQueue(producer);
    const queue = await freshQueue(producer, { deadLetterQueue: dlq, deliveryLimit: 1 });
    const doomed = await connection();
    let taken = false;
    await doomed.consume(queue, () => void (taken = true)); // takes it, then its process dies
    await producer.send(queue, 'crashes its worker');
    await until(() => taken, 15_000, 'the first delivery');
    await doomed.close();
    const second: Delivery[] = [];
    const survivor = await connection();
    await survivor.consume(queue, (d) => {
      second.push(d);
      d.nack({ requeue: true }); // and fails here: its second failed delivery, over the limit of 1
    });
    const dead: Delivery[] = [];
    await survivor.consume(dlq, (d) => {
      dead.push(d);
      d.ack();
    });
    await until(() => dead.length === 1, 15_000, 'the dead letter');
    expect(second.map((d) => ({ redelivered: d.redelivered, deliveryCount: d.deliveryCount }))).toEqual([{ redelivered: true, deliveryCount: 1 }]);
    expect(dead[0].deadLettered).toEqual({ from: queue, reason: 'delivery-limit' });
  });

  it.skipIf(!available)('refuses a delivery limit on an exclusive queue, or one that is not a whole number', async () => {
    const conn = await connection();
    await expect(conn.assertQueue('', { exclusive: true, deliveryLimit: 3 })).rejects.toThrow(/cannot be exclusive/);
    await expect(conn.assertQueue(`workbook-test-${randomUUID()}`, { deliveryLimit: 1.5 })).rejects.toThrow(/whole number/);
  });

  it.skipIf(!available)('matches 200 concurrent replies to their callers by correlation id, never crossing them', async () => {
    const server = await connection();
    const requests = await freshQueue(server);
    // The server answers out of order: even numbers after a short wait, odd ones at once.
    await server.consume<{ n: number }>(
      requests,
      async (d) => {
        if (d.body.n % 2 === 0) await new Promise((resolve) => setTimeout(resolve, 2));
        await server.send(d.properties.replyTo as string, { square: d.body.n * d.body.n }, { correlationId: d.properties.correlationId });
        d.ack();
      },
      { prefetch: 20 },
    );
    const client = await connection();
    const replyQueue = await client.assertQueue('', { exclusive: true });
    const pending = new Map<string, (square: number) => void>();
    await client.consume<{ square: number }>(replyQueue, (d) => {
      pending.get(d.properties.correlationId as string)?.(d.body.square);
      pending.delete(d.properties.correlationId as string);
      d.ack();
    }, { prefetch: 50 });
    const ask = (n: number) =>
      new Promise<number>((resolve) => {
        const correlationId = randomUUID();
        pending.set(correlationId, resolve);
        void client.send(requests, { n }, { correlationId, replyTo: replyQueue });
      });
    const answers = await Promise.all([...Array(200).keys()].map(ask));
    expect(answers).toEqual([...Array(200).keys()].map((n) => n * n));
    expect(pending.size).toBe(0);
  });

  it.skipIf(!available)('processes 10,000 messages exactly once in effect although a worker is killed midway', { timeout: 120_000 }, async () => {
    const producer = await connection();
    const queue = await freshQueue(producer);
    for (let i = 0; i < 10_000; i++) void producer.send(queue, { amount: 1 }, { messageId: `m-${i}` });
    await until(async () => (await producer.messageCount(queue)) === 10_000, 60_000, 'all 10,000 messages queued');

    // The "database": effects applied, and the ids of the messages that applied them.
    const applied = new Set<string>();
    let effects = 0;
    let redeliveries = 0;
    const startWorker = async (dieAfter: number | null) => {
      const conn = await connection();
      let handled = 0;
      await conn.consume(queue, async (d) => {
        if (d.redelivered) redeliveries++;
        const id = d.properties.messageId as string;
        if (!applied.has(id)) {
          applied.add(id);
          effects++;
        }
        if (dieAfter !== null && ++handled === dieAfter) {
          await conn.close(); // dies after the effect, before the ack: the worst moment
          return;
        }
        d.ack();
      }, { prefetch: 50 });
    };
    await startWorker(3_000);
    await until(() => applied.size >= 3_000, 60_000, 'the first worker to die');
    await startWorker(null);
    await until(() => applied.size === 10_000, 90_000, 'every message to be processed');
    await until(async () => (await producer.messageCount(queue)) === 0, 30_000, 'the queue to drain');
    expect(effects).toBe(10_000);
    expect(redeliveries).toBeGreaterThan(0); // the kill really left messages to redeliver
  });
});
