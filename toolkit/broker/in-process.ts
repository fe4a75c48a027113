import type {
  BrokerConnection,
  ConnectOptions,
  ConsumeOptions,
  Consumer,
  DeadLetterInfo,
  Delivery,
  DeliveryHandler,
  MessageBroker,
  MessageProperties,
  QueueOptions,
} from './types';
import { checkDeliveryLimit } from './queue-options';

interface StoredMessage {
  /** JSON text: a message is copied, as it would be over a network. */
  json: string;
  properties: MessageProperties;
  redelivered: boolean;
  /** Failed deliveries so far; counted on queues with a delivery limit only, as RabbitMQ does. */
  deliveryCount: number;
  deadLettered?: DeadLetterInfo;
}

interface ConsumerState {
  connection: InProcessConnection;
  handler: DeliveryHandler;
  prefetch: number;
  unacked: number;
  active: boolean;
}

interface QueueState {
  name: string;
  messages: StoredMessage[];
  consumers: ConsumerState[];
  nextConsumer: number;
  deadLetterQueue?: string;
  deliveryLimit?: number;
  owner?: InProcessConnection;
}

/**
 * A message broker inside this process, with RabbitMQ's semantics for the parts the workbook
 * uses: queues with competing consumers and prefetch, manual acks, redelivery of unacked messages
 * when a connection closes, dead-lettering, delivery limits (as in RabbitMQ's quorum queues),
 * fanout exchanges and exclusive queues.
 * It is what lesson 09 falls back to when no RabbitMQ is reachable.
 */
export class InProcessBroker implements MessageBroker {
  readonly kind = 'in-process' as const;
  readonly description = 'the workbook’s in-process broker (no RabbitMQ reachable)';
  /** @internal */ readonly queues = new Map<string, QueueState>();
  /** @internal */ readonly exchanges = new Map<string, Set<string>>();
  private nextQueueNumber = 1;

  async connect(_options: ConnectOptions = {}): Promise<BrokerConnection> {
    return new InProcessConnection(this);
  }

  /** @internal */
  queue(name: string): QueueState {
    const queue = this.queues.get(name);
    if (!queue) throw new Error(`no queue "${name}" (declare it with assertQueue first)`);
    return queue;
  }

  /** @internal */
  freshQueueName(): string {
    return `amq.gen-${this.nextQueueNumber++}`;
  }

  /** @internal Puts a message at the back of a queue. */
  enqueue(queueName: string, message: StoredMessage): void {
    const queue = this.queue(queueName);
    queue.messages.push(message);
    this.dispatch(queue);
  }

  /**
   * @internal A delivery of `message` failed (a nack with requeue, or its consumer went away):
   * it goes back to the front of its queue, or, past the queue's delivery limit, is dead-lettered.
   * The caller dispatches the queue afterwards.
   */
  failedDelivery(queue: QueueState, message: StoredMessage): void {
    const deliveryCount = queue.deliveryLimit === undefined ? 0 : message.deliveryCount + 1;
    if (queue.deliveryLimit !== undefined && deliveryCount > queue.deliveryLimit) {
      this.deadLetter(queue, message, 'delivery-limit');
    } else {
      queue.messages.unshift({ ...message, redelivered: true, deliveryCount });
    }
  }

  /** @internal Moves a message to its queue's dead-letter queue, or drops it when there is none. */
  deadLetter(queue: QueueState, message: StoredMessage, reason: DeadLetterInfo['reason']): void {
    if (!queue.deadLetterQueue || !this.queues.has(queue.deadLetterQueue)) return;
    this.enqueue(queue.deadLetterQueue, {
      json: message.json,
      properties: message.properties,
      redelivered: false,
      deliveryCount: 0,
      deadLettered: { from: queue.name, reason },
    });
  }

  /** @internal Hands waiting messages to consumers with room under their prefetch, round robin. */
  dispatch(queue: QueueState): void {
    while (queue.messages.length > 0) {
      const consumer = this.nextFreeConsumer(queue);
      if (!consumer) return;
      const message = queue.messages.shift() as StoredMessage;
      consumer.unacked++;
      consumer.connection.deliver(queue, consumer, message);
    }
  }

  private nextFreeConsumer(queue: QueueState): ConsumerState | undefined {
    const count = queue.consumers.length;
    for (let i = 0; i < count; i++) {
      const consumer = queue.consumers[(queue.nextConsumer + i) % count];
      if (consumer.active && consumer.unacked < consumer.prefetch) {
        queue.nextConsumer = (queue.nextConsumer + i + 1) % count;
        return consumer;
      }
    }
    return undefined;
  }
}

class InProcessConnection implements BrokerConnection {
  private closed = false;
  private readonly unacked = new Set<{ queue: QueueState; consumer: ConsumerState; message: StoredMessage }>();

  constructor(private readonly broker: InProcessBroker) {}

  async assertQueue(name: string, options: QueueOptions = {}): Promise<string> {
    this.checkOpen();
    checkDeliveryLimit(options);
    const queueName = name === '' ? this.broker.freshQueueName() : name;
    if (!this.broker.queues.has(queueName)) {
      this.broker.queues.set(queueName, {
        name: queueName,
        messages: [],
        consumers: [],
        nextConsumer: 0,
        deadLetterQueue: options.deadLetterQueue,
        deliveryLimit: options.deliveryLimit,
        owner: options.exclusive ? this : undefined,
      });
    }
    return queueName;
  }

  async assertFanout(exchange: string): Promise<void> {
    this.checkOpen();
    if (!this.broker.exchanges.has(exchange)) this.broker.exchanges.set(exchange, new Set());
  }

  async bindQueue(queue: string, exchange: string): Promise<void> {
    this.checkOpen();
    this.broker.queue(queue);
    const bound = this.broker.exchanges.get(exchange);
    if (!bound) throw new Error(`no exchange "${exchange}" (declare it with assertFanout first)`);
    bound.add(queue);
  }

  async send(queue: string, body: unknown, properties: MessageProperties = {}): Promise<void> {
    this.checkOpen();
    this.broker.enqueue(queue, { json: JSON.stringify(body), properties: { ...properties }, redelivered: false, deliveryCount: 0 });
  }

  async publish(exchange: string, body: unknown, properties: MessageProperties = {}): Promise<void> {
    this.checkOpen();
    const bound = this.broker.exchanges.get(exchange);
    if (!bound) throw new Error(`no exchange "${exchange}" (declare it with assertFanout first)`);
    const json = JSON.stringify(body);
    for (const queue of bound) {
      if (this.broker.queues.has(queue)) this.broker.enqueue(queue, { json, properties: { ...properties }, redelivered: false, deliveryCount: 0 });
    }
  }

  async consume<T>(queueName: string, handler: DeliveryHandler<T>, options: ConsumeOptions = {}): Promise<Consumer> {
    this.checkOpen();
    const queue = this.broker.queue(queueName);
    const consumer: ConsumerState = {
      connection: this,
      handler: handler as DeliveryHandler,
      prefetch: options.prefetch ?? 1,
      unacked: 0,
      active: true,
    };
    queue.consumers.push(consumer);
    this.broker.dispatch(queue);
    return {
      cancel: async () => {
        consumer.active = false;
        queue.consumers = queue.consumers.filter((c) => c !== consumer);
      },
    };
  }

  async messageCount(queue: string): Promise<number> {
    return this.broker.queue(queue).messages.length;
  }

  async deleteQueue(queue: string): Promise<void> {
    this.broker.queues.delete(queue);
    for (const bound of this.broker.exchanges.values()) bound.delete(queue);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    // Like a dead TCP connection: every unacked message failed its delivery, and goes back to the
    // front of its queue (in its old order) or, past its queue's delivery limit, is dead-lettered.
    const returned = [...this.unacked].reverse();
    this.unacked.clear();
    for (const { queue, consumer, message } of returned) {
      consumer.active = false;
      queue.consumers = queue.consumers.filter((c) => c.connection !== this);
      if (this.broker.queues.get(queue.name) === queue) this.broker.failedDelivery(queue, message);
    }
    for (const queue of [...this.broker.queues.values()]) {
      queue.consumers = queue.consumers.filter((c) => c.connection !== this);
      if (queue.owner === this) await this.deleteQueue(queue.name);
      else this.broker.dispatch(queue);
    }
  }

  /** @internal Called by the broker: hands a message to a consumer on the next tick. */
  deliver(queue: QueueState, consumer: ConsumerState, message: StoredMessage): void {
    const entry = { queue, consumer, message };
    this.unacked.add(entry);
    let settled = false;
    const settle = (requeue: boolean | null) => {
      if (settled || this.closed) return;
      settled = true;
      this.unacked.delete(entry);
      consumer.unacked--;
      if (requeue === true) this.broker.failedDelivery(queue, message);
      else if (requeue === false) this.broker.deadLetter(queue, message, 'rejected');
      this.broker.dispatch(queue);
    };
    const delivery: Delivery = {
      body: JSON.parse(message.json),
      properties: { ...message.properties },
      redelivered: message.redelivered,
      deliveryCount: message.deliveryCount,
      ...(message.deadLettered && { deadLettered: { ...message.deadLettered } }),
      queue: queue.name,
      ack: () => settle(null),
      nack: (options = {}) => settle(options.requeue ?? true),
    };
    setImmediate(() => {
      if (this.closed) return;
      if (!consumer.active) return settle(true); // cancelled before it got the message
      void Promise.resolve()
        .then(() => consumer.handler(delivery))
        .catch(() => {
          /* like amqplib: a failing handler leaves the message unacked until the connection closes */
        });
    });
  }

  private checkOpen(): void {
    if (this.closed) throw new Error('the connection is closed');
  }
}
