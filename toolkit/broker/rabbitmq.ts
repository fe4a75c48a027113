import amqp from 'amqplib';
import type {
  BrokerConnection,
  ConnectOptions,
  ConsumeOptions,
  Consumer,
  DeadLetterInfo,
  DeliveryHandler,
  MessageBroker,
  MessageProperties,
  QueueOptions,
} from './types';
import { checkDeliveryLimit } from './queue-options';

type Channel = amqp.Channel | amqp.ConfirmChannel;

/** RabbitMQ through amqplib, behind the workbook's small {@link MessageBroker} interface. */
export class RabbitBroker implements MessageBroker {
  readonly kind = 'rabbitmq' as const;
  readonly description: string;

  /** @param url an AMQP URL, e.g. `amqp://guest:guest@127.0.0.1:5672` */
  constructor(readonly url: string) {
    this.description = `RabbitMQ at ${url.replace(/\/\/[^@/]*@/, '//')}`;
  }

  async connect(options: ConnectOptions = {}): Promise<BrokerConnection> {
    const connection = await amqp.connect(this.url);
    const confirms = options.confirms ?? true;
    const channel = confirms ? await connection.createConfirmChannel() : await connection.createChannel();
    return new RabbitConnection(connection, channel, confirms);
  }
}

function toAmqpOptions(properties: MessageProperties): amqp.Options.Publish {
  return { persistent: true, contentType: 'application/json', ...properties };
}

/** The most recent entry of RabbitMQ's `x-death` header, if it is one the interface knows. */
function deadLetterInfo(headers: Record<string, unknown> | undefined): DeadLetterInfo | undefined {
  const [latest] = (headers?.['x-death'] as { queue?: string; reason?: string }[] | undefined) ?? [];
  const reasons: Record<string, DeadLetterInfo['reason']> = { rejected: 'rejected', delivery_limit: 'delivery-limit' };
  const reason = reasons[latest?.reason ?? ''];
  return latest?.queue && reason ? { from: latest.queue, reason } : undefined;
}

class RabbitConnection implements BrokerConnection {
  /** Resolves when the socket's write buffer has drained; shared by every send that waits for it. */
  private drained: Promise<void> | null = null;

  constructor(
    private readonly connection: amqp.ChannelModel,
    private readonly channel: Channel,
    private readonly confirms: boolean,
  ) {
    // An unhandled 'error' event would crash the process; closing reports the problem instead.
    connection.on('error', () => {});
    channel.on('error', () => {});
  }

  async assertQueue(name: string, options: QueueOptions = {}): Promise<string> {
    checkDeliveryLimit(options);
    const args: Record<string, string | number> = {};
    if (options.deadLetterQueue) {
      args['x-dead-letter-exchange'] = '';
      args['x-dead-letter-routing-key'] = options.deadLetterQueue;
    }
    if (options.deliveryLimit !== undefined) {
      args['x-queue-type'] = 'quorum'; // only quorum queues count deliveries
      args['x-delivery-limit'] = options.deliveryLimit;
    }
    const reply = await this.channel.assertQueue(name, {
      durable: !options.exclusive,
      exclusive: options.exclusive ?? false,
      arguments: args,
    });
    return reply.queue;
  }

  async assertFanout(exchange: string): Promise<void> {
    await this.channel.assertExchange(exchange, 'fanout', { durable: false });
  }

  async bindQueue(queue: string, exchange: string): Promise<void> {
    await this.channel.bindQueue(queue, exchange, '');
  }

  send(queue: string, body: unknown, properties: MessageProperties = {}): Promise<void> {
    return this.write((done) => this.channel.sendToQueue(queue, Buffer.from(JSON.stringify(body)), toAmqpOptions(properties), done));
  }

  publish(exchange: string, body: unknown, properties: MessageProperties = {}): Promise<void> {
    return this.write((done) => this.channel.publish(exchange, '', Buffer.from(JSON.stringify(body)), toAmqpOptions(properties), done));
  }

  async consume<T>(queue: string, handler: DeliveryHandler<T>, options: ConsumeOptions = {}): Promise<Consumer> {
    await this.channel.prefetch(options.prefetch ?? 1, false); // applies to consumers started after it
    const { consumerTag } = await this.channel.consume(
      queue,
      (message) => {
        if (!message) return; // the broker cancelled the consumer (queue deleted)
        let settled = false;
        const settle = (action: () => void) => {
          if (settled) return;
          settled = true;
          try {
            action();
          } catch {
            /* the channel is closed: the broker requeues the message itself */
          }
        };
        const headers = message.properties.headers;
        const deadLettered = deadLetterInfo(headers);
        void Promise.resolve()
          .then(() =>
            handler({
              body: JSON.parse(message.content.toString('utf8')) as T,
              properties: {
                messageId: message.properties.messageId as string | undefined,
                correlationId: message.properties.correlationId as string | undefined,
                replyTo: message.properties.replyTo as string | undefined,
              },
              redelivered: message.fields.redelivered,
              deliveryCount: Number(headers?.['x-delivery-count'] ?? 0),
              ...(deadLettered && { deadLettered }),
              queue,
              ack: () => settle(() => this.channel.ack(message)),
              // basic.reject, not basic.nack: from RabbitMQ 4.3 on, only a reject counts as a
              // failed delivery towards a quorum queue's delivery limit.
              nack: (opts = {}) => settle(() => this.channel.reject(message, opts.requeue ?? true)),
            }),
          )
          .catch(() => {
            /* as with any AMQP client: a failing handler leaves the message unacked */
          });
      },
      { noAck: false },
    );
    return { cancel: async () => void (await this.channel.cancel(consumerTag)) };
  }

  async messageCount(queue: string): Promise<number> {
    return (await this.channel.checkQueue(queue)).messageCount;
  }

  async deleteQueue(queue: string): Promise<void> {
    await this.channel.deleteQueue(queue);
  }

  async close(): Promise<void> {
    try {
      await this.connection.close();
    } catch {
      /* already closed */
    }
  }

  /**
   * With confirms, waits for the broker's ack of this message (messages stay pipelined: many can
   * be awaiting their confirm at once). Without, waits only when the socket's buffer is full.
   */
  private write(publish: (done: (err: unknown) => void) => boolean): Promise<void> {
    return new Promise((resolve, reject) => {
      if (this.confirms) {
        publish((err) => (err ? reject(new Error('the broker refused the message (nack)')) : resolve()));
      } else if (publish(() => {})) {
        resolve();
      } else {
        this.drained ??= new Promise<void>((drained) =>
          this.channel.once('drain', () => {
            this.drained = null;
            drained();
          }),
        );
        void this.drained.then(resolve);
      }
    });
  }
}
