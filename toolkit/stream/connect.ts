import { connectService, serviceUrl, type ServiceKind } from '../service/connect';
import { isListening } from '../service/reachable';
import { InProcessStreamServer } from './in-process';
import { RedisStreamServer } from './redis';
import type { StreamServer } from './types';

/** Where the workbook looks for Redis unless `REDIS_URL` says otherwise. */
export const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379';

/**
 * What the name of every key a program makes starts with: `REDIS_KEY_PREFIX` from the
 * environment, else nothing. The gradebook gives each submission a Redis user that may touch only
 * keys under a prefix of its own, and says which here.
 */
export function redisKeyPrefix(): string {
  return process.env.REDIS_KEY_PREFIX ?? '';
}

/** How to get Redis, for the message shown when none answers. */
export const HOW_TO_START_REDIS = [
  'No Redis answered at REDIS_URL. To start one (Redis 7 or later):',
  '  Debian/Ubuntu: sudo apt-get install redis-server && redis-server --daemonize yes',
  '  with a container: docker run -d -p 6379:6379 redis:7',
  'or point REDIS_URL at a Redis you have.',
].join('\n');

const REDIS: ServiceKind<StreamServer> = {
  variable: 'REDIS_URL',
  defaultUrl: DEFAULT_REDIS_URL,
  defaultPort: 6379,
  howToStart: HOW_TO_START_REDIS,
  real: (url) => new RedisStreamServer(url),
  inProcess: () => new InProcessStreamServer(),
};

/** `REDIS_URL` from the environment, else {@link DEFAULT_REDIS_URL}. */
export function redisUrl(): string {
  return serviceUrl(REDIS);
}

/** Whether something accepts TCP connections at the URL's host and port, within `timeoutMs`. */
export function isRedisReachable(url: string = redisUrl(), timeoutMs = 1000): Promise<boolean> {
  return isListening(url, REDIS.defaultPort, timeoutMs);
}

/**
 * Redis at `url` (default `REDIS_URL`) when it is reachable, else, with `fallback: true`, the
 * workbook's in-process stream server, so code written against {@link StreamServer} runs either way.
 * @throws Error explaining how to start Redis when it is unreachable and `fallback` is false.
 */
export function connectStreams(options: { url?: string; fallback?: boolean } = {}): Promise<StreamServer> {
  return connectService(REDIS, options);
}
