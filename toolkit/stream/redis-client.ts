/** An entry as the `redis` client returns it. */
export interface RedisStreamMessage {
  id: string;
  message: Record<string, string>;
}

/**
 * The commands of the `redis` client that {@link RedisStreamServer} sends, typed narrowly.
 *
 * The client's own types are large: checking them takes the TypeScript compiler more than ten
 * seconds, in every notebook that imports `toolkit/stream` (tslab type-checks each cell with its
 * imports). So redis.ts loads the client without its types and uses this interface instead;
 * stream.test.ts checks, at `npm run typecheck`, that the real client satisfies it.
 */
export interface RedisStreamClient {
  readonly isOpen: boolean;
  connect(): Promise<unknown>;
  on(event: 'error', listener: (error: Error) => void): unknown;
  destroy(): void;
  xAdd(key: string, id: string, message: Record<string, string>): Promise<string>;
  xGroupCreate(key: string, group: string, id: string, options: { MKSTREAM: boolean }): Promise<unknown>;
  xReadGroup(
    group: string,
    consumer: string,
    stream: { key: string; id: string },
    options: { COUNT: number; BLOCK?: number },
  ): Promise<{ name: string; messages: RedisStreamMessage[] }[] | null>;
  xAck(key: string, group: string, ids: string[]): Promise<number>;
  xPendingRange(
    key: string,
    group: string,
    start: string,
    end: string,
    count: number,
    options?: { consumer?: string },
  ): Promise<{ id: string; consumer: string; millisecondsSinceLastDelivery: number; deliveriesCounter: number }[]>;
  xAutoClaim(
    key: string,
    group: string,
    consumer: string,
    minIdleTime: number,
    start: string,
    options: { COUNT: number },
  ): Promise<{ nextId: string; messages: (RedisStreamMessage | null)[] }>;
  xRange(key: string, start: string, end: string, options?: { COUNT: number }): Promise<RedisStreamMessage[] | null>;
  xTrim(key: string, strategy: 'MAXLEN', threshold: number): Promise<number>;
  xLen(key: string): Promise<number>;
  exists(key: string): Promise<number>;
  xInfoGroups(key: string): Promise<{ name: string; consumers: number; pending: number; 'last-delivered-id': string }[]>;
  del(key: string): Promise<number>;
}
