/**
 * `npm run bench:broker`: messages per second through a work queue (send, consume, ack), for the
 * in-process broker and for RabbitMQ with and without publisher confirms, measured in one run.
 */
import { InProcessBroker, RabbitBroker, amqpUrl, isBrokerReachable, measureThroughput } from '../../toolkit/broker';

const messages = 20_000;

async function main() {
  const rows: [string, number][] = [];
  rows.push(['in-process broker, prefetch 50', await measureThroughput(new InProcessBroker(), { messages, confirms: true, prefetch: 50 })]);
  if (await isBrokerReachable(amqpUrl())) {
    const rabbit = new RabbitBroker(amqpUrl());
    await measureThroughput(rabbit, { messages: 2_000, confirms: false, prefetch: 50 }); // warm up
    rows.push(['RabbitMQ, no confirms, prefetch 50', await measureThroughput(rabbit, { messages, confirms: false, prefetch: 50 })]);
    rows.push(['RabbitMQ, publisher confirms, prefetch 50', await measureThroughput(rabbit, { messages, confirms: true, prefetch: 50 })]);
    rows.push(['RabbitMQ, confirms one at a time, prefetch 50', await measureThroughput(rabbit, { messages: messages / 4, confirms: true, prefetch: 50, oneAtATime: true })]);
    rows.push(['RabbitMQ, publisher confirms, prefetch 1', await measureThroughput(rabbit, { messages, confirms: true, prefetch: 1 })]);
  } else {
    console.log(`No RabbitMQ at ${amqpUrl()}: only the in-process broker was measured.`);
  }
  const base = rows[0][1];
  console.log(`${messages.toLocaleString('en-US')} messages sent, consumed and acked, per configuration:`);
  for (const [name, rate] of rows) {
    console.log(`  ${name.padEnd(46)} ${Math.round(rate).toLocaleString('en-US').padStart(9)} msg/s  (${(rate / base).toFixed(3)}x in-process)`);
  }
}

void main();
