import { connectService, serviceUrl, type ServiceKind } from '../service/connect';
import { isListening } from '../service/reachable';
import { InProcessBroker } from './in-process';
import { RabbitBroker } from './rabbitmq';
import type { MessageBroker } from './types';

/** Where the workbook looks for RabbitMQ unless `AMQP_URL` says otherwise. */
export const DEFAULT_AMQP_URL = 'amqp://guest:guest@127.0.0.1:5672';

/** How to get a broker, for the message shown when none answers. */
export const HOW_TO_START_RABBITMQ = [
  'No RabbitMQ answered at AMQP_URL. To start one:',
  '  Debian/Ubuntu: sudo apt-get install rabbitmq-server && sudo rabbitmq-server -detached',
  '  with a container: docker run -d -p 5672:5672 rabbitmq:3',
  'or point AMQP_URL at a broker you have.',
].join('\n');

const RABBITMQ: ServiceKind<MessageBroker> = {
  variable: 'AMQP_URL',
  defaultUrl: DEFAULT_AMQP_URL,
  defaultPort: 5672,
  howToStart: HOW_TO_START_RABBITMQ,
  real: (url) => new RabbitBroker(url),
  inProcess: () => new InProcessBroker(),
};

/** `AMQP_URL` from the environment, else {@link DEFAULT_AMQP_URL}. */
export function amqpUrl(): string {
  return serviceUrl(RABBITMQ);
}

/** Whether something accepts TCP connections at the URL's host and port, within `timeoutMs`. */
export function isBrokerReachable(url: string = amqpUrl(), timeoutMs = 1000): Promise<boolean> {
  return isListening(url, RABBITMQ.defaultPort, timeoutMs);
}

/**
 * RabbitMQ at `url` (default `AMQP_URL`) when it is reachable, else, with `fallback: true`, the
 * workbook's in-process broker, so code written against {@link MessageBroker} runs either way.
 * @throws Error explaining how to start RabbitMQ when it is unreachable and `fallback` is false.
 */
export function connectBroker(options: { url?: string; fallback?: boolean } = {}): Promise<MessageBroker> {
  return connectService(RABBITMQ, options);
}
