/**
 * Exercise 15, the order service: store each order and its message in one transaction (the
 * transactional outbox), and relay the unsent messages to the broker.
 * Read README.md first. Run `npm run grade -- 15` to check your work.
 * @module
 */
import type { Database } from '../../toolkit/db';

/** An order, as a client places it. */
export interface Order {
  id: string;
  item: string;
  quantity: number;
}

/** The body of the message that announces an order: what the shipping service reads. */
export interface OrderPlaced {
  orderId: string;
  item: string;
  quantity: number;
}

/** The order service's way to the broker. */
export interface Publisher {
  /**
   * Publishes a message announcing an order. Resolves once the broker has confirmed it (it is then
   * safely in the broker); rejects when the broker did not take it.
   */
  publish(body: OrderPlaced, properties: { messageId: string }): Promise<void>;
}

/** What one process of the order service holds: its database and its connection to the broker. */
export interface OrderService {
  db: Database;
  publisher: Publisher;
}

/**
 * Stores `order` and the message that announces it, in one transaction: a row of `orders` and an
 * unsent row of `outbox`. Publishes nothing itself: the relay does.
 */
export async function placeOrder(service: OrderService, order: Order): Promise<void> {
  throw new Error('TODO: placeOrder (exercise 15)');
}

/**
 * One pass of the relay: publishes the unsent rows of `outbox`, oldest first, each with its
 * payload as the body and its `message_id` as the message id, and marks each sent once the
 * broker has confirmed it. Returns how many rows it published (0: nothing was waiting).
 */
export async function relayOnce(service: OrderService): Promise<number> {
  throw new Error('TODO: relayOnce (exercise 15)');
}
