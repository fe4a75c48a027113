/**
 * Exercise 15, the order service: store each order and its message in one transaction (the
 * transactional outbox), and relay the unsent messages to the broker.
 * @module
 */
import { randomUUID } from 'node:crypto';
import type { Database } from '../../../../toolkit/db';

export interface Order {
  id: string;
  item: string;
  quantity: number;
}

export interface OrderPlaced {
  orderId: string;
  item: string;
  quantity: number;
}

export interface Publisher {
  publish(body: OrderPlaced, properties: { messageId: string }): Promise<void>;
}

export interface OrderService {
  db: Database;
  publisher: Publisher;
}

export async function placeOrder(service: OrderService, order: Order): Promise<void> {
  const payload: OrderPlaced = { orderId: order.id, item: order.item, quantity: order.quantity };
  await service.db.transaction(async (tx) => {
    await tx.query('INSERT INTO orders (id, item, quantity) VALUES ($1, $2, $3)', [order.id, order.item, order.quantity]);
    await tx.query('INSERT INTO outbox (message_id, payload) VALUES ($1, $2)', [randomUUID(), payload]);
  });
}

interface OutboxRow {
  id: string;
  message_id: string;
  payload: OrderPlaced;
}

export async function relayOnce(service: OrderService): Promise<number> {
  const { rows } = await service.db.query<OutboxRow>("SELECT id, message_id, payload FROM outbox WHERE sent_at IS NULL ORDER BY id");
  let published = 0;
  let lastId: string | undefined;
  for (const row of rows) {
    try {
      await service.publisher.publish(row.payload, { messageId: row.message_id });
    } catch {
      break; // the broker refused it: it and the rows after it stay unsent
    }
    lastId = row.id;
    published++;
  }
  if (lastId !== undefined) {
    // one UPDATE for the whole batch: everything up to the last row the broker took is sent
    await service.db.query("UPDATE outbox SET sent_at = now() WHERE sent_at IS NULL AND id <= $1", [lastId]);
  }
  return published;
}
