/**
 * `npm run bench:streams`: entries per second through a consumer group (append, read, ack), for
 * the in-process stream server (the anchor), Redis Streams with and without pipelining, and, for
 * comparison, a RabbitMQ work queue through toolkit/broker, measured in one run.
 */
import { InProcessStreamServer, RedisStreamServer, isRedisReachable, measureStreamThroughput, redisUrl } from '../../toolkit/stream';
import { RabbitBroker, amqpUrl, isBrokerReachable, measureThroughput } from '../../toolkit/broker';

const entries = 20_000;

async function main() {
  const rows: [string, number][] = [];
  rows.push(['in-process stream, pipelined, batch 100', await measureStreamThroughput(new InProcessStreamServer(), { entries, pipelined: true })]);
  if (await isRedisReachable(redisUrl())) {
    const redis = new RedisStreamServer(redisUrl());
    await measureStreamThroughput(redis, { entries: 2_000, pipelined: true }); // warm up
    rows.push(['Redis Streams, pipelined, batch 100', await measureStreamThroughput(redis, { entries, pipelined: true })]);
    rows.push(['Redis Streams, one command at a time', await measureStreamThroughput(redis, { entries: entries / 4, pipelined: false })]);
  } else {
    console.log(`No Redis at ${redisUrl()}: Redis Streams were not measured.`);
  }
  if (await isBrokerReachable(amqpUrl())) {
    const rabbit = new RabbitBroker(amqpUrl());
    await measureThroughput(rabbit, { messages: 2_000, confirms: true, prefetch: 100 }); // warm up
    rows.push(['RabbitMQ queue, publisher confirms, prefetch 100', await measureThroughput(rabbit, { messages: entries, confirms: true, prefetch: 100 })]);
  } else {
    console.log(`No RabbitMQ at ${amqpUrl()}: RabbitMQ was not measured.`);
  }
  const anchor = rows[0][1];
  console.log(`${entries.toLocaleString('en-US')} entries appended, read by a consumer group and acked (RabbitMQ: messages sent, consumed, acked), per configuration:`);
  for (const [name, rate] of rows) {
    console.log(`  ${name.padEnd(50)} ${Math.round(rate).toLocaleString('en-US').padStart(9)} entries/s  (${(rate / anchor).toFixed(3)}x in-process)`);
  }
}

void main();
