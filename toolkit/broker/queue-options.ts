import type { QueueOptions } from './types';

/**
 * Rejects queue options that RabbitMQ would refuse, with the same rule in both brokers.
 * @throws Error naming the problem.
 */
export function checkDeliveryLimit(options: QueueOptions): void {
  if (options.deliveryLimit === undefined) return;
  if (!Number.isInteger(options.deliveryLimit) || options.deliveryLimit < 0) {
    throw new Error(`deliveryLimit must be a whole number >= 0, not ${options.deliveryLimit}`);
  }
  if (options.exclusive) throw new Error('a queue with a deliveryLimit cannot be exclusive (RabbitMQ quorum queues never are)');
}
