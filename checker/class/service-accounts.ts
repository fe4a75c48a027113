/**
 * A submission's own accounts on the shared services, made before it is graded in its sandbox and
 * removed after, whatever happened: random key and queue names are no privacy (a Redis `KEYS` or a
 * guessed queue name reaches a classmate's), accounts are.
 * - Redis: an ACL user that may run only the stream commands the checks and a worker need, on
 *   keys under a prefix of its own ({@link REDIS_COMMANDS}); no `KEYS`, `SCAN`, `EVAL`, `FLUSH*`,
 *   `CONFIG`, `CLIENT KILL`, pub/sub. Removing it closes its connections and deletes its keys.
 * - RabbitMQ: a virtual host of its own and a user with every permission there and none
 *   elsewhere (rabbitmq-admin.ts). Deleting the virtual host deletes its queues and closes its
 *   connections.
 * The bridge (service-bridge.ts, service-guards.ts) lets a sandbox reach a service only as its
 * own user. Accounts are named `gradebook-<host>-<pid>-<n>-<random>`: those of a gradebook that
 * died on this machine before it could remove them are removed by the next one
 * ({@link removeStaleAccounts}).
 * @module
 */
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import { createClient } from 'redis';
import type { Service } from '../../tooling/course';
import { redisUrl } from '../../toolkit/stream';
import { addRabbitAccount, rabbitNames, removeRabbitAccount } from './rabbitmq-admin';
import type { Credentials } from './service-guards';

/**
 * What a submission's Redis user may run: what exercise 16's checks and a worker send through
 * toolkit/stream, and the stream commands a worker could reasonably add; every one of them
 * limited to keys under its prefix. `AUTH` and `HELLO` need no grant (Redis lets every user
 * send them); the bridge keeps them, and `RESET`, from changing the user.
 */
const REDIS_COMMANDS = [
  'ping',
  'echo',
  'client|setname',
  'multi',
  'exec',
  'discard',
  'exists',
  'del',
  'unlink',
  'type',
  'xadd',
  'xread',
  'xreadgroup',
  'xack',
  'xautoclaim',
  'xclaim',
  'xpending',
  'xgroup|create',
  'xgroup|createconsumer',
  'xgroup|delconsumer',
  'xgroup|destroy',
  'xgroup|setid',
  'xinfo|groups',
  'xinfo|stream',
  'xinfo|consumers',
  'xrange',
  'xrevrange',
  'xlen',
  'xdel',
  'xtrim',
];

/** The accounts of one submission, by service. */
export interface ServiceAccounts {
  redis?: Credentials & { keyPrefix: string };
  rabbitmq?: Credentials & { vhost: string };
}

/** The start of every account's name. */
const NAME_PREFIX = 'gradebook-';
/** This machine, in account names: gradebooks on several machines may share a service. */
const HOST = os.hostname().toLowerCase().replace(/[^a-z0-9]/g, '').slice(0, 20) || 'host';

/** The name of an account made by gradebook process `pid` for its `index`-th grading at once; `random` is 8 hex digits. */
export function accountName(pid: number, index: number, random: string): string {
  return `${NAME_PREFIX}${HOST}-${pid}-${index}-${random}`;
}

/** Runs `use` with an administrator's connection to Redis (`REDIS_URL`, the gradebook's own). */
async function asRedisAdmin<T>(use: (send: (args: string[]) => Promise<unknown>) => Promise<T>): Promise<T> {
  const client = createClient({ url: redisUrl(), socket: { reconnectStrategy: false } });
  client.on('error', () => {});
  await client.connect();
  try {
    return await use((args) => client.sendCommand(args));
  } finally {
    client.destroy();
  }
}

/** Deletes the Redis user `name` (closing its connections) and every key under `keyPrefix`. */
async function removeRedisUser(name: string, keyPrefix: string): Promise<void> {
  await asRedisAdmin(async (send) => {
    await send(['ACL', 'DELUSER', name]);
    let cursor = '0';
    do {
      const [next, keys] = (await send(['SCAN', cursor, 'MATCH', `${keyPrefix}*`, 'COUNT', '1000'])) as [string, string[]];
      if (keys.length > 0) await send(['UNLINK', ...keys]);
      cursor = next;
    } while (cursor !== '0');
  });
}

/**
 * Makes the accounts a submission needs on `services`, named after this process and `index` (a
 * number unique among the submissions graded at once).
 * @returns them, and how to remove them (which never throws; it says what it could not remove)
 */
export async function createAccounts(services: Service[], index: number): Promise<{ accounts: ServiceAccounts; remove: () => Promise<string[]> }> {
  const name = accountName(process.pid, index, randomBytes(4).toString('hex'));
  const password = randomBytes(24).toString('hex');
  const accounts: ServiceAccounts = {};
  const remove = async () => {
    const failures: string[] = [];
    const attempt = (what: string, work: () => Promise<void>) => work().catch((error: unknown) => failures.push(`${what}: ${error instanceof Error ? error.message : String(error)}`));
    await Promise.all([
      accounts.redis && attempt(`Redis user ${name}`, () => removeRedisUser(name, `${name}:`)),
      accounts.rabbitmq && attempt(`RabbitMQ vhost and user ${name}`, () => removeRabbitAccount(name)),
    ]);
    return failures;
  };
  try {
    if (services.includes('redis')) {
      const keyPrefix = `${name}:`;
      accounts.redis = { user: name, password, keyPrefix };
      const grants = REDIS_COMMANDS.map((command) => `+${command}`);
      await asRedisAdmin((send) => send(['ACL', 'SETUSER', name, 'reset', 'on', `>${password}`, `~${keyPrefix}*`, 'resetchannels', '-@all', ...grants]));
    }
    if (services.includes('rabbitmq')) {
      accounts.rabbitmq = { user: name, password, vhost: name };
      await addRabbitAccount(name, password);
    }
  } catch (error) {
    await remove();
    throw error;
  }
  return { accounts, remove };
}

/** Whether an account was made on this machine by a gradebook process that no longer runs. */
function isStale(account: string): boolean {
  const match = new RegExp(`^${NAME_PREFIX}${HOST}-(\\d+)-\\d+-[0-9a-f]{8}$`).exec(account);
  if (!match) return false;
  try {
    process.kill(Number(match[1]), 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

/**
 * Removes the accounts of gradebooks that died before they could (killed, the machine rebooted).
 * @returns the names removed
 */
export async function removeStaleAccounts(services: Service[]): Promise<string[]> {
  const removed = new Set<string>();
  if (services.includes('redis')) {
    const users = await asRedisAdmin((send) => send(['ACL', 'USERS']) as Promise<string[]>);
    for (const user of users.filter(isStale)) {
      await removeRedisUser(user, `${user}:`);
      removed.add(user);
    }
  }
  if (services.includes('rabbitmq')) {
    const names = new Set(await rabbitNames());
    for (const name of [...names].filter(isStale)) {
      await removeRabbitAccount(name);
      removed.add(name);
    }
  }
  return [...removed].sort();
}

/** The names of the accounts on `service` that gradebooks made and have not removed (for the proofs). */
export async function listAccounts(service: Service): Promise<string[]> {
  const names =
    service === 'redis'
      ? await asRedisAdmin((send) => send(['ACL', 'USERS']) as Promise<string[]>)
      : await rabbitNames();
  return [...new Set(names.filter((name) => name.startsWith(NAME_PREFIX)))].sort();
}

/** The URL a sandbox reaches `service` at (port `port` on its own loopback) as its own account. */
export function insideUrl(service: Service, port: number, accounts: ServiceAccounts): string {
  if (service === 'redis' && accounts.redis) return `redis://${accounts.redis.user}:${accounts.redis.password}@127.0.0.1:${port}`;
  if (service === 'rabbitmq' && accounts.rabbitmq) return `amqp://${accounts.rabbitmq.user}:${accounts.rabbitmq.password}@127.0.0.1:${port}/${accounts.rabbitmq.vhost}`;
  throw new Error(`no account on ${service}`);
}
