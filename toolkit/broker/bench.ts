/**
 * `npm run bench:broker`: messages per second through a work queue (send, consume, ack), for the
 * in-process broker and for RabbitMQ with and without publisher confirms, measured in one run.
 */
import { randomUUID } from 'node:crypto';
import { InProcessBroker, RabbitBroker, amqpUrl, isBrokerReachable, type MessageBroker } from './index';

const MESSAGES = 20_000;

async function throughput(broker: MessageBroker, confirms: boolean, prefetch: number): Promise<number> {
  const producer = await broker.connect({ confirms });
  const consumer = await broker.connect();
  const queue = await producer.assertQueue(`workbook-bench-${randomUUID()}`);
  let received = 0;
  const started = performance.now();
  const allReceived = new Promise<void>((resolve) => {
    void consumer.consume(queue, (d) => {
      d.ack();
      if (++received === MESSAGES) resolve();
    }, { prefetch });
  });
  const sends: Promise<void>[] = [];
  for (let i = 0; i < MESSAGES; i++) sends.push(producer.send(queue, { n: i }));
  await Promise.all(sends);
  await allReceived;
  const seconds = (performance.now() - started) / 1000;
  await producer.deleteQueue(queue);
  await producer.close();
  await consumer.close();
  return MESSAGES / seconds;
}

async function main() {
  const rows: [string, number][] = [];
  rows.push(['in-process broker, prefetch 50', await throughput(new InProcessBroker(), true, 50)]);
  if (await isBrokerReachable(amqpUrl())) {
    const rabbit = new RabbitBroker(amqpUrl());
    await throughput(rabbit, false, 50); // warm up
    rows.push(['RabbitMQ, no confirms, prefetch 50', await throughput(rabbit, false, 50)]);
    rows.push(['RabbitMQ, publisher confirms, prefetch 50', await throughput(rabbit, true, 50)]);
    rows.push(['RabbitMQ, publisher confirms, prefetch 1', await throughput(rabbit, true, 1)]);
  } else {
    console.log(`No RabbitMQ at ${amqpUrl()}: only the in-process broker was measured.`);
  }
  const base = rows[0][1];
  console.log(`${MESSAGES.toLocaleString('en-US')} messages sent, consumed and acked, per configuration:`);
  for (const [name, rate] of rows) {
    console.log(`  ${name.padEnd(44)} ${Math.round(rate).toLocaleString('en-US').padStart(9)} msg/s  (${(rate / base).toFixed(3)}x in-process)`);
  }
}

void main();
