/**
 * The outside half of a sandbox's bridge to a service (RabbitMQ, Redis): a unix socket in the
 * sandbox's support folder whose every connection is forwarded to the real server. Inside, the
 * sandbox's entry script (sandbox-entry.cjs) offers the service on its own loopback at the same
 * port, so `AMQP_URL` there names 127.0.0.1 and reaches only that server.
 * @module
 */
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { SANDBOX_SUPPORT } from './sandbox';
import type { Service } from '../../tooling/course';

/** Where each service is, by default and in the environment variable that moves it. */
const SERVICE_URLS: Record<Service, { variable: string; fallback: string }> = {
  rabbitmq: { variable: 'AMQP_URL', fallback: 'amqp://guest:guest@127.0.0.1:5672' },
  redis: { variable: 'REDIS_URL', fallback: 'redis://127.0.0.1:6379' },
};

/** A running bridge: the environment the inside needs, and how to stop it. */
export interface Bridges {
  /** Environment of the grading inside: the services' URLs and SANDBOX_BRIDGES for the entry script. */
  env: Record<string, string>;
  close(): Promise<void>;
}

/** Starts a bridge for each service, with its socket in `supportDir` (mounted at /sandbox). */
export async function startBridges(services: Service[], supportDir: string): Promise<Bridges> {
  const servers: net.Server[] = [];
  const open = new Set<net.Socket>();
  const env: Record<string, string> = {};
  const inside: { port: number; socket: string }[] = [];
  for (const service of services) {
    const { variable, fallback } = SERVICE_URLS[service];
    const url = new URL(process.env[variable] ?? fallback);
    const port = Number(url.port);
    const socket = path.join(supportDir, `${service}.sock`);
    const server = net.createServer((client) => {
      const upstream = net.connect(port, url.hostname);
      for (const end of [client, upstream]) {
        open.add(end);
        end.once('close', () => open.delete(end));
      }
      client.on('error', () => upstream.destroy());
      upstream.on('error', () => client.destroy());
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((resolve, reject) => server.once('error', reject).listen(socket, resolve));
    // The sandbox runs as another user when the gradebook is root: it must be able to connect.
    fs.chmodSync(socket, 0o777);
    servers.push(server);
    url.hostname = '127.0.0.1';
    env[variable] = url.toString().replace(/\/$/, '');
    inside.push({ port, socket: path.posix.join(SANDBOX_SUPPORT, `${service}.sock`) });
  }
  env.SANDBOX_BRIDGES = JSON.stringify(inside);
  const close = async () => {
    for (const end of open) end.destroy();
    await Promise.all(servers.map((server) => new Promise<void>((resolve) => server.close(() => resolve()))));
  };
  return { env, close };
}
