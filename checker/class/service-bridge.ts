/**
 * The outside half of a sandbox's bridge to a service (RabbitMQ, Redis): a unix socket in the
 * sandbox's support folder whose every connection is forwarded to the real server, logged in as
 * the submission's own account (service-accounts.ts) and kept so (service-guards.ts). Inside, the
 * sandbox's entry script (sandbox-entry.cjs) offers the service on its own loopback at the same
 * port, so `AMQP_URL` and `REDIS_URL` there name 127.0.0.1, with the account's credentials (and
 * its vhost, its key prefix in `REDIS_KEY_PREFIX`), and reach only that server as that account.
 * @module
 */
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { SANDBOX_SUPPORT } from './sandbox';
import { insideUrl, type ServiceAccounts } from './service-accounts';
import { amqpGuard, redisGuard, type Guard } from './service-guards';
import type { Service } from '../../tooling/course';

/** Where each service is, by default and in the environment variable that moves it. */
const SERVICE_URLS: Record<Service, { variable: string; fallback: string }> = {
  rabbitmq: { variable: 'AMQP_URL', fallback: 'amqp://guest:guest@127.0.0.1:5672' },
  redis: { variable: 'REDIS_URL', fallback: 'redis://127.0.0.1:6379' },
};

/** A running bridge: the environment the inside needs, and how to stop it. */
export interface Bridges {
  /** Environment of the grading inside: the services' URLs, REDIS_KEY_PREFIX and SANDBOX_BRIDGES for the entry script. */
  env: Record<string, string>;
  close(): Promise<void>;
}

/** The guard of a connection to `service`, for the submission's account there. */
function guardOf(service: Service, accounts: ServiceAccounts): Guard {
  if (service === 'redis' && accounts.redis) return redisGuard(accounts.redis);
  if (service === 'rabbitmq' && accounts.rabbitmq) return amqpGuard(accounts.rabbitmq);
  throw new Error(`no account on ${service} to bridge`);
}

/**
 * Forwards `client` to `upstream` through `guard`: the guard's preamble first (its reply kept from
 * the client), then what the guard lets through; the first thing it refuses closes both ends.
 */
function forward(client: net.Socket, upstream: net.Socket, guard: Guard): void {
  const close = () => {
    client.destroy();
    upstream.destroy();
  };
  const open = () => {
    client.on('data', (chunk: Buffer) => {
      const allowed = guard.inspect(chunk);
      if (allowed === undefined) close();
      else if (allowed.length > 0 && !upstream.write(allowed)) client.pause();
    });
    upstream.on('drain', () => client.resume());
    upstream.pipe(client);
    client.resume();
  };
  client.pause();
  if (!guard.preamble) return open();
  const { send, reply } = guard.preamble;
  upstream.write(send);
  let received: Buffer = Buffer.alloc(0);
  const onReply = (chunk: Buffer) => {
    received = Buffer.concat([received, chunk]);
    if (!reply.subarray(0, Math.min(received.length, reply.length)).equals(received.subarray(0, reply.length))) return close();
    if (received.length < reply.length) return;
    upstream.off('data', onReply);
    upstream.pause();
    if (received.length > reply.length) client.write(received.subarray(reply.length));
    open();
  };
  upstream.on('data', onReply);
}

/**
 * Starts a bridge for each service, with its socket in `supportDir` (mounted at /sandbox), through
 * which the sandbox reaches the service as its account in `accounts` only.
 */
export async function startBridges(services: Service[], supportDir: string, accounts: ServiceAccounts): Promise<Bridges> {
  const servers: net.Server[] = [];
  const open = new Set<net.Socket>();
  const env: Record<string, string> = {};
  const inside: { port: number; socket: string }[] = [];
  for (const service of services) {
    const { variable, fallback } = SERVICE_URLS[service];
    const url = new URL(process.env[variable] ?? fallback);
    const port = Number(url.port);
    const socket = path.join(supportDir, `${service}.sock`);
    guardOf(service, accounts); // refuses before anything listens
    const server = net.createServer((client) => {
      const upstream = net.connect(port, url.hostname);
      for (const end of [client, upstream]) {
        open.add(end);
        end.once('close', () => open.delete(end));
      }
      client.on('error', () => upstream.destroy());
      upstream.on('error', () => client.destroy());
      client.once('close', () => upstream.destroy());
      upstream.once('close', () => client.destroy());
      forward(client, upstream, guardOf(service, accounts));
    });
    await new Promise<void>((resolve, reject) => server.once('error', reject).listen(socket, resolve));
    // The sandbox runs as another user when the gradebook is root: it must be able to connect.
    fs.chmodSync(socket, 0o777);
    servers.push(server);
    env[variable] = insideUrl(service, port, accounts);
    if (service === 'redis' && accounts.redis) env.REDIS_KEY_PREFIX = accounts.redis.keyPrefix;
    inside.push({ port, socket: path.posix.join(SANDBOX_SUPPORT, `${service}.sock`) });
  }
  env.SANDBOX_BRIDGES = JSON.stringify(inside);
  const close = async () => {
    for (const end of open) end.destroy();
    await Promise.all(servers.map((server) => new Promise<void>((resolve) => server.close(() => resolve()))));
  };
  return { env, close };
}
