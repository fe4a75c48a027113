/**
 * A small interface over a log with consumer groups, with two implementations: Redis Streams
 * (through the `redis` client) and an in-process stream server with the same semantics, so
 * lesson 15 runs with or without a real Redis.
 *
 * @module
 */
export type {
  ClaimOptions,
  GroupEntry,
  GroupInfo,
  PendingEntry,
  RangeOptions,
  ReadGroupOptions,
  StreamConnection,
  StreamEntry,
  StreamServer,
} from './types';
export { InProcessStreamServer } from './in-process';
export { RedisStreamServer } from './redis';
export { measureStreamThroughput, type StreamThroughputOptions } from './measure';
export { connectStreams, isRedisReachable, redisKeyPrefix, redisUrl, DEFAULT_REDIS_URL, HOW_TO_START_REDIS } from './connect';
