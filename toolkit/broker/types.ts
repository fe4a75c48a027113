/** Metadata that travels with a message, as in AMQP. */
export interface MessageProperties {
  /** The producer's id for this message: what a consumer deduplicates on. */
  messageId?: string;
  /** Ties a reply to its request. */
  correlationId?: string;
  /** The queue the reply should be sent to. */
  replyTo?: string;
}

/** A message handed to a consumer. It stays "unacked" until {@link ack} or {@link nack}. */
export interface Delivery<T = unknown> {
  /** The message body (sent as JSON). */
  readonly body: T;
  readonly properties: MessageProperties;
  /**
   * True when the broker may have delivered this message before: it was nacked with requeue, or
   * the consumer holding it went away without settling it. A flag, not a count, and it is set
   * whatever the reason: a message whose worker was killed before it even started arrives
   * `redelivered` too. Use {@link deliveryCount} to bound retries.
   */
  readonly redelivered: boolean;
  /**
   * How many earlier deliveries of this message failed: ended in a nack with requeue, or in the
   * consumer's connection closing before it settled the message. Counted only on queues declared
   * with a {@link QueueOptions.deliveryLimit} (RabbitMQ counts in quorum queues only, in the
   * `x-delivery-count` header); 0 on every other queue.
   */
  readonly deliveryCount: number;
  /** Set on a message that reached its queue by being dead-lettered: where it was, and why it left. */
  readonly deadLettered?: DeadLetterInfo;
  /** The queue it came from. */
  readonly queue: string;
  /** Tells the broker the message is done: it is removed for good. */
  ack(): void;
  /**
   * Tells the broker the message failed. With `requeue: true` (the default) it goes back to the
   * queue, unless that was its last delivery under the queue's `deliveryLimit`; with
   * `requeue: false` it goes to the queue's dead-letter queue at once, or is dropped.
   */
  nack(options?: { requeue?: boolean }): void;
}

/** Why a message was dead-lettered (RabbitMQ's `x-death` header). */
export interface DeadLetterInfo {
  /** The queue it was dead-lettered from. */
  from: string;
  /**
   * `rejected`: a consumer nacked it with `requeue: false`. `delivery-limit`: it failed more
   * times than its queue's {@link QueueOptions.deliveryLimit}.
   */
  reason: 'rejected' | 'delivery-limit';
}

/** Handles one delivery; it must ack or nack it, now or later. */
export type DeliveryHandler<T = unknown> = (delivery: Delivery<T>) => void | Promise<void>;

/** Options of {@link BrokerConnection.consume}. */
export interface ConsumeOptions {
  /** The most unacknowledged deliveries this consumer holds at once. Default 1. */
  prefetch?: number;
}

/** Options of {@link BrokerConnection.assertQueue}. */
export interface QueueOptions {
  /**
   * Messages nacked with `requeue: false`, or past their {@link deliveryLimit}, go to this queue
   * instead of being dropped.
   */
  deadLetterQueue?: string;
  /**
   * The most failed deliveries a message may have (see {@link Delivery.deliveryCount}): when one
   * more delivery fails, the broker dead-letters the message instead of delivering it again. A
   * consumer crash counts as a failed delivery too. On RabbitMQ this makes the queue a quorum
   * queue with `x-delivery-limit`; it cannot be combined with `exclusive`.
   */
  deliveryLimit?: number;
  /** Belongs to this connection and is deleted when it closes (reply queues, subscriber queues). */
  exclusive?: boolean;
}

/** A running consumer. */
export interface Consumer {
  /** Stops deliveries to this consumer; unacked ones stay with it until acked or its connection closes. */
  cancel(): Promise<void>;
}

/**
 * One client's connection to a broker: what a producer or a worker process holds.
 * Closing it (or the process dying) returns every unacknowledged delivery to its queue.
 */
export interface BrokerConnection {
  /**
   * Declares a queue (doing nothing if it exists). Pass `''` with `exclusive: true` to get a
   * fresh queue with a broker-chosen name.
   * @returns the queue's name.
   */
  assertQueue(name: string, options?: QueueOptions): Promise<string>;
  /** Declares a fanout exchange: every queue bound to it gets a copy of every message. */
  assertFanout(exchange: string): Promise<void>;
  /** Binds a queue to a fanout exchange. */
  bindQueue(queue: string, exchange: string): Promise<void>;
  /**
   * Puts a message on a queue. With publisher confirms on, resolves once the broker has taken
   * responsibility for it; without, once it is written to the connection.
   */
  send(queue: string, body: unknown, properties?: MessageProperties): Promise<void>;
  /** Publishes a message to a fanout exchange (same confirm rule as {@link send}). */
  publish(exchange: string, body: unknown, properties?: MessageProperties): Promise<void>;
  /** Starts delivering a queue's messages to `handler`. */
  consume<T = unknown>(queue: string, handler: DeliveryHandler<T>, options?: ConsumeOptions): Promise<Consumer>;
  /** How many messages wait in a queue (not counting unacked ones). */
  messageCount(queue: string): Promise<number>;
  /** Deletes a queue and its messages. */
  deleteQueue(queue: string): Promise<void>;
  /** Closes the connection; unacknowledged deliveries go back to their queues. */
  close(): Promise<void>;
}

/** Options of {@link MessageBroker.connect}. */
export interface ConnectOptions {
  /** Wait for the broker to confirm each message sent (publisher confirms). Default true. */
  confirms?: boolean;
}

/** A broker that client connections can be opened to: RabbitMQ, or the workbook's in-process one. */
export interface MessageBroker {
  /** Which implementation this is. */
  readonly kind: 'rabbitmq' | 'in-process';
  /** A one-line description for humans, e.g. where it is. */
  readonly description: string;
  /** Opens a new client connection. */
  connect(options?: ConnectOptions): Promise<BrokerConnection>;
}
