/**
 * Exercise 15, the shipping service: a consumer that ships each order once, however often its
 * message is delivered, by keeping an inbox of the message ids it has handled.
 * Read README.md first. Run `npm run grade -- 15` to check your work.
 * @module
 */
import type { Delivery } from '../../toolkit/broker';
import type { Database } from '../../toolkit/db';
import type { OrderPlaced } from './outbox';

/**
 * Handles one delivery of an order-placed message: ships the order (a row of `shipments`) unless
 * this message id was handled before, records the id in `inbox`, both in one transaction, then
 * acks. When anything fails, nacks with requeue, so that the broker delivers it again: the
 * broker counts the failed deliveries and dead-letters a message past the queue's delivery limit.
 */
export async function handleOrderPlaced(db: Database, delivery: Delivery<OrderPlaced>): Promise<void> {
  throw new Error('TODO: handleOrderPlaced (exercise 15)');
}
