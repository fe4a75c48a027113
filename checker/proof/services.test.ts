/**
 * Private services in the gradebook (checker/class/service-accounts.ts, service-guards.ts): a
 * planted submission that goes after its classmates' streams and queues while they are graded
 * beside it reaches nothing of theirs; each submission's Redis user and RabbitMQ vhost exist only
 * while it is graded; the bridge's guards let a connection be nothing but the submission's own.
 *
 * The class is graded against a Redis of this test's own (started here): were a guard to let a
 * FLUSHALL through, it would flush that one, not the machine's.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import fs from 'node:fs';
import { createClient } from 'redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RabbitBroker, amqpUrl } from '../../toolkit/broker';
import { isRedisReachable } from '../../toolkit/stream';
import { gradeClass, type StudentGrade } from '../class/grade-class';
import { sandboxUnavailable } from '../class/sandbox';
import { accountName, listAccounts, removeStaleAccounts } from '../class/service-accounts';
import { amqpGuard, redisGuard, respCommand } from '../class/service-guards';
import { plantSubmission } from './synthetic-class';
import { EXERCISES, minutes, root, scratchDir } from './test-support';

const IDS = ['10-broker-worker', '16-stream-worker'];
/** What the planted attackers go after, by name: planted here, outside any submission's account. */
const BAIT_STREAM = 'classmate-bait';
const BAIT_QUEUE = 'classmate-payments';
const BAIT_MESSAGES = 5;

const unavailable =
  sandboxUnavailable() ??
  (IDS.every((id) => EXERCISES.includes(id)) ? undefined : 'RabbitMQ or Redis is not reachable') ??
  (spawnSync('rabbitmqctl', ['--quiet', 'list_vhosts'], { encoding: 'utf8' }).status === 0 ? undefined : 'rabbitmqctl cannot run here') ??
  (spawnSync('redis-server', ['--version']).error ? 'redis-server is not installed' : undefined);
if (unavailable && process.env.CI !== 'true') console.warn(`\n!!! ${unavailable}: the private-services tests were NOT run.\n`);

const work = scratchDir('services');
let redis: ChildProcess | undefined;
let redisUrl = '';
const savedRedisUrl = process.env.REDIS_URL;

/** Runs `use` with a connection to this test's Redis as its administrator. */
async function ownRedis<T>(use: (send: (args: string[]) => Promise<unknown>) => Promise<T>): Promise<T> {
  const client = createClient({ url: redisUrl, socket: { reconnectStrategy: false } });
  client.on('error', () => {});
  await client.connect();
  try {
    return await use((args) => client.sendCommand(args));
  } finally {
    client.destroy();
  }
}

/** Starts a Redis of this test's own, on a free port, keeping nothing on disk. */
async function startRedis(): Promise<string> {
  const port = await new Promise<number>((resolve) => {
    const probe = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
  redis = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', work], { stdio: 'ignore' });
  const url = `redis://127.0.0.1:${port}`;
  for (let tries = 0; !(await isRedisReachable(url, 200)); tries++) {
    if (tries > 100) throw new Error('the test’s own redis-server did not start');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return url;
}

/** Runs `use` with a connection to RabbitMQ's default vhost as the gradebook's own user. */
async function rabbit<T>(use: (connection: Awaited<ReturnType<RabbitBroker['connect']>>) => Promise<T>): Promise<T> {
  const connection = await new RabbitBroker(amqpUrl()).connect();
  try {
    return await use(connection);
  } finally {
    await connection.close();
  }
}

let rows: StudentGrade[] = [];
const seen = { redis: new Set<string>(), rabbitmq: new Set<string>() };
/** The start of the names of the accounts this process's gradebook makes (another gradebook may run beside it). */
const OURS = accountName(process.pid, 0, '').slice(0, -'0-'.length);
/** The accounts on `service` that this process's gradebook made and has not removed. */
const ours = async (service: 'redis' | 'rabbitmq') => (await listAccounts(service)).filter((name) => name.startsWith(OURS));

beforeAll(async () => {
  if (unavailable) return;
  redisUrl = await startRedis();
  process.env.REDIS_URL = redisUrl;
  await ownRedis(async (send) => {
    for (let i = 0; i < 3; i++) await send(['XADD', BAIT_STREAM, '*', 'body', JSON.stringify({ account: `bait-${i}`, amount: 1 })]);
    await send(['XGROUP', 'CREATE', BAIT_STREAM, 'ledger', '0']);
  });
  await rabbit(async (connection) => {
    await connection.deleteQueue(BAIT_QUEUE);
    await connection.assertQueue(BAIT_QUEUE);
    for (let i = 0; i < BAIT_MESSAGES; i++) await connection.send(BAIT_QUEUE, { account: `bait-${i}`, amount: 1 });
  });
  expect(await ours('redis')).toEqual([]);
  expect(await ours('rabbitmq')).toEqual([]);

  const submissions = path.join(work, 'submissions');
  plantSubmission(root, path.join(submissions, 'classmate'), { base: 'solution' });
  plantSubmission(root, path.join(submissions, 'mallory'), { base: 'solution', fixtures: { '10-broker-worker': 'spoils-classmates-queues', '16-stream-worker': 'spoils-classmates-streams' } });
  // While the class is graded, which accounts exist (RabbitMQ's listing is slow: it is looked at less often).
  let grading = true;
  const watch = async (service: 'redis' | 'rabbitmq', everyMs: number) => {
    while (grading) {
      for (const name of await ours(service)) seen[service].add(name);
      await new Promise((resolve) => setTimeout(resolve, everyMs));
    }
  };
  const watching = Promise.all([watch('redis', 100), watch('rabbitmq', 2000)]);
  try {
    // Both at once: the attacker is graded while its classmate is. What this proves is not speed:
    // the checks get time enough on a loaded machine.
    rows = await gradeClass({ submissionsDir: submissions, exercises: IDS, jobs: 2, timeLimitMs: 40_000 });
  } finally {
    grading = false;
    await watching;
  }
}, minutes(8));

afterAll(async () => {
  if (!unavailable) await rabbit((connection) => connection.deleteQueue(BAIT_QUEUE)).catch(() => {});
  redis?.kill();
  if (savedRedisUrl === undefined) delete process.env.REDIS_URL;
  else process.env.REDIS_URL = savedRedisUrl;
  fs.rmSync(work, { recursive: true, force: true });
});

const row = (student: string) => rows.find((r) => r.student === student) as StudentGrade;

describe.skipIf(Boolean(unavailable) && process.env.CI !== 'true')('npm run gradebook: each submission’s own Redis user and RabbitMQ vhost', () => {
  it('has what it needs: a sandbox, RabbitMQ with rabbitmqctl, Redis with redis-server', () => expect(unavailable).toBeUndefined());

  it('the classmate graded beside the attacker scores full points on both exercises', () => {
    const summary = (id: string) => {
      const { points, maxPoints, problems, failed } = row('classmate').exercises[id];
      return `${points}/${maxPoints} ${[...problems, ...failed.map((f) => f.check)].join('; ')}`;
    };
    expect(Object.fromEntries(IDS.map((id) => [id, summary(id)]))).toEqual({
      '10-broker-worker': '15/15 ',
      '16-stream-worker': '15/15 ',
    });
  });

  it('spoils-classmates-streams: KEYS, SCAN, EVAL, FLUSHALL, DEL and CLIENT KILL are refused, AUTH as another user, HELLO AUTH and RESET close the connection; the attacker scores nothing', () => {
    const attacker = row('mallory').exercises['16-stream-worker'];
    expect(attacker.reason).toBe('attack keys=no scan=no eval=no flushall=no del=no kill=no default=cut auth1=cut hello=cut reset=cut toolkit=no');
    expect(attacker.points).toBe(0);
  });

  it('spoils-classmates-queues: neither guest nor its own user reaches the default vhost; in its own vhost a classmate’s queue does not exist; the attacker scores nothing', () => {
    const attacker = row('mallory').exercises['10-broker-worker'];
    expect(attacker.reason).toBe('attack guest=no own-user-in-root=no own-vhost=absent');
    expect(attacker.points).toBe(0);
  });

  it('the stream and the queue the attackers went after are untouched', async () => {
    expect(await ownRedis((send) => send(['XLEN', BAIT_STREAM]))).toBe(3);
    expect(await rabbit((connection) => connection.messageCount(BAIT_QUEUE))).toBe(BAIT_MESSAGES);
  });

  it('each submission had a Redis user and a RabbitMQ user and vhost of its own while graded, and none is left after', async () => {
    expect(seen.redis.size, [...seen.redis].join(', ')).toBe(2);
    expect(seen.rabbitmq.size, [...seen.rabbitmq].join(', ')).toBeGreaterThanOrEqual(1);
    expect(await ours('redis')).toEqual([]);
    expect(await ours('rabbitmq')).toEqual([]);
    expect(await ownRedis((send) => send(['ACL', 'USERS']))).toEqual(['default']);
    // Every key the checks made under the submissions' prefixes is gone: only the bait is left.
    expect(await ownRedis((send) => send(['KEYS', '*']))).toEqual([BAIT_STREAM]);
  });

  it('removes a submission’s accounts when its grading is stopped (its time ran out)', async () => {
    const submissions = path.join(work, 'stopped');
    plantSubmission(root, path.join(submissions, 'slow'), { base: 'solution' });
    const [stopped] = await gradeClass({ submissionsDir: submissions, exercises: IDS, submissionLimitMs: 3000 });
    expect(stopped.exercises['16-stream-worker'].problems).toEqual(['grading took longer than 3 s and was stopped']);
    expect(await ownRedis((send) => send(['ACL', 'USERS']))).toEqual(['default']);
    expect(await ours('rabbitmq')).toEqual([]);
    expect(await ownRedis((send) => send(['KEYS', '*']))).toEqual([BAIT_STREAM]);
  }, minutes(2));

  it('removes the accounts a gradebook that died on this machine left behind, and only those', async () => {
    const dead = spawnSync('true').pid;
    const stale = accountName(dead, 0, '0123abcd');
    const live = accountName(process.pid, 9, '0123abcd');
    const elsewhere = `gradebook-othermachine-${dead}-0-0123abcd`;
    await ownRedis(async (send) => {
      for (const name of [stale, live, elsewhere]) await send(['ACL', 'SETUSER', name, 'on', '>x', `~${name}:*`, '-@all']);
      await send(['SET', `${stale}:left`, '1']);
    });
    spawnSync('rabbitmqctl', ['--quiet', 'add_vhost', stale]);
    spawnSync('rabbitmqctl', ['--quiet', 'add_user', stale, 'x']);
    const removed = await removeStaleAccounts(['redis', 'rabbitmq']);
    expect(removed).toContain(stale);
    expect(removed.filter((name) => name === live || name === elsewhere)).toEqual([]);
    expect(await listAccounts('redis')).toEqual([elsewhere, live].sort());
    expect(await listAccounts('rabbitmq')).not.toContain(stale);
    expect(await ownRedis((send) => send(['EXISTS', `${stale}:left`]))).toBe(0);
    await ownRedis((send) => send(['ACL', 'DELUSER', live, elsewhere]));
  }, minutes(1));
});

/** A `connection.start-ok` frame logging in with `mechanism` and `response`. */
function startOk(mechanism: string, response: string): Buffer {
  const table = Buffer.from([0, 0, 0, 0]);
  const mech = Buffer.concat([Buffer.from([mechanism.length]), Buffer.from(mechanism)]);
  const body = Buffer.from(response);
  const length = Buffer.alloc(4);
  length.writeUInt32BE(body.length);
  const payload = Buffer.concat([Buffer.from([0, 10, 0, 11]), table, mech, length, body, Buffer.from([5]), Buffer.from('en_US')]);
  const head = Buffer.from([1, 0, 0, 0, 0, 0, 0]);
  head.writeUInt32BE(payload.length, 3);
  return Buffer.concat([head, payload, Buffer.from([0xce])]);
}

describe('the bridge’s guards: a connection is the submission’s own account or nothing', () => {
  const account = { user: 'gradebook-1-0-aaaaaaaa', password: 'secret' };

  it('Redis: the connection is logged in first; commands pass whole, however they are split; no other user, no RESET, nothing but arrays of bulk strings', () => {
    const guard = () => redisGuard(account);
    expect(guard().preamble?.send.toString()).toBe(respCommand('AUTH', account.user, account.password).toString());
    const ping = respCommand('PING');
    const split = guard();
    expect(split.inspect(ping.subarray(0, 5))?.length).toBe(0);
    expect(split.inspect(Buffer.concat([ping.subarray(5), ping]))?.toString()).toBe(`${ping.toString()}${ping.toString()}`);
    for (const allowed of [['AUTH', account.user, account.password], ['HELLO', '3'], ['HELLO', '3', 'AUTH', account.user, account.password, 'SETNAME', 'w'], ['XADD', 'k', '*', 'body', 'AUTH']]) {
      expect(guard().inspect(respCommand(...allowed))?.toString(), allowed.join(' ')).toBe(respCommand(...allowed).toString());
    }
    for (const refused of [['RESET'], ['reset'], ['AUTH', 'default', 'x'], ['AUTH', account.password], ['AUTH', account.user, 'wrong'], ['HELLO', '3', 'AUTH', 'default', 'x'], ['HELLO', '3', 'SETNAME', 'a', 'SETNAME', 'b', 'SETNAME', 'c', 'AUTH', 'default', 'x'], ['HELLO', '3', 'AUTH']]) {
      expect(guard().inspect(Buffer.concat([respCommand('PING'), respCommand(...refused)])), refused.join(' ')).toBeUndefined();
    }
    expect(guard().inspect(Buffer.from('FLUSHALL\r\n'))).toBeUndefined();
    expect(guard().inspect(Buffer.from('*1\r\n+FLUSHALL\r\n'))).toBeUndefined();
  });

  it('RabbitMQ: the protocol header passes at once; the login passes only as the account, with PLAIN', () => {
    const header = Buffer.from('AMQP\x00\x00\x09\x01', 'latin1');
    const own = startOk('PLAIN', `\0${account.user}\0${account.password}`);
    const guard = amqpGuard(account);
    expect(guard.inspect(header)).toEqual(header);
    expect(guard.inspect(own.subarray(0, 10))?.length).toBe(0);
    expect(guard.inspect(Buffer.concat([own.subarray(10), Buffer.from('more')]))).toEqual(Buffer.concat([own, Buffer.from('more')]));
    expect(guard.inspect(Buffer.from('anything, once logged in'))?.toString()).toBe('anything, once logged in');
    for (const [mechanism, response] of [
      ['PLAIN', '\0guest\0guest'],
      ['PLAIN', `\0${account.user}\0wrong`],
      ['PLAIN', `other\0${account.user}\0${account.password}`],
      ['AMQPLAIN', `\0${account.user}\0${account.password}`],
    ]) {
      const refused = amqpGuard(account);
      refused.inspect(header);
      expect(refused.inspect(startOk(mechanism, response)), `${mechanism} ${JSON.stringify(response)}`).toBeUndefined();
    }
    expect(amqpGuard(account).inspect(Buffer.from('AMQP\x00\x00\x09\x02', 'latin1'))).toBeUndefined();
  });
});
