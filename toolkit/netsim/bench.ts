/**
 * `npm run bench:netsim`: how many messages per wall-clock second netsim delivers under a
 * loss-and-delay workload. Goal: at least 1,000,000 deliveries per second.
 */
import { Network, uniform } from './index';

const MESSAGES = 2_000_000;
const GOAL_PER_SECOND = 1_000_000;

function workload(trace: boolean): { deliveredPerSecond: number; delivered: number; seconds: number } {
  const net = new Network({ seed: 1, faults: { loss: 0.1, duplicate: 0.01, delay: uniform(1, 50) }, trace });
  let received = 0;
  net.addNode('producer');
  net.addNode('consumer', () => received++);
  const started = process.hrtime.bigint();
  // Send in waves so the in-flight set stays realistic (about 10,000 messages on the wire).
  for (let sent = 0; sent < MESSAGES; sent += 10_000) {
    for (let i = 0; i < 10_000; i++) net.send('producer', 'consumer', i);
    net.advance(10);
  }
  net.runUntilIdle();
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (received !== net.stats.delivered) throw new Error('handler count and stats disagree');
  return { deliveredPerSecond: received / seconds, delivered: received, seconds };
}

workload(false); // warm up the JIT
for (const trace of [false, true]) {
  const { deliveredPerSecond, delivered, seconds } = workload(trace);
  const ratio = deliveredPerSecond / GOAL_PER_SECOND;
  console.log(
    `netsim, trace ${trace ? 'on ' : 'off'}: ${delivered.toLocaleString('en-US')} deliveries in ${seconds.toFixed(2)} s = ` +
      `${Math.round(deliveredPerSecond).toLocaleString('en-US')} deliveries/s (${ratio.toFixed(2)}x the goal of 1,000,000/s)`,
  );
}
