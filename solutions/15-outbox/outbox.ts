/**
 * Exercise 15, reference solution: the order service writes each order and its message in one
 * transaction (the outbox), and the relay publishes unsent rows, marking each sent only after the
 * broker confirmed it.
 * @module
 */
import { randomUUID } from 'node:crypto';
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

/** Rows a relay pass publishes at most. */
const BATCH = 100;

/**
 * Stores `order` and the message that announces it, in one transaction: a row of `orders` and an
 * unsent row of `outbox`. Publishes nothing itself: the relay does.
 */
export async function placeOrder(service: OrderService, order: Order): Promise<void> {
  const message: OrderPlaced = { orderId: order.id, item: order.item, quantity: order.quantity };
  await service.db.transaction(async (tx) => {
    await tx.query('INSERT INTO orders (id, item, quantity) VALUES ($1, $2, $3)', [order.id, order.item, order.quantity]);
    // The message id is chosen once, here: every publish of this row carries the same one.
    await tx.query('INSERT INTO outbox (message_id, payload) VALUES ($1, $2)', [randomUUID(), message]);
  });
}

/**
 * One pass of the relay: publishes the unsent rows of `outbox`, oldest first, each with its
 * payload as the body and its `message_id` as the message id, and marks each sent once the
 * broker has confirmed it. Returns how many rows it published (0: nothing was waiting).
 */
export async function relayOnce(service: OrderService): Promise<number> {
  const { db, publisher } = service;
  // By the flag, not "ids above the last one sent": ids are handed out at insert, not at commit.
  const { rows } = await db.query<{ id: number; message_id: string; payload: OrderPlaced }>(
    'SELECT id, message_id, payload FROM outbox WHERE sent_at IS NULL ORDER BY id LIMIT $1',
    [BATCH],
  );
  for (const row of rows) {
    await publisher.publish(row.payload, { messageId: row.message_id });
    // Dying before this line publishes the row again after a restart: at least once, never lost.
    await db.query('UPDATE outbox SET sent_at = now() WHERE id = $1', [row.id]);
  }
  return rows.length;
}
