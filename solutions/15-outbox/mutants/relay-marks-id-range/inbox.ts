/**
 * Exercise 15, the shipping service: a consumer that ships each order once, however often its
 * message is delivered, by keeping an inbox of the message ids it has handled.
 * @module
 */
import type { Delivery } from '../../../../toolkit/broker';
import type { Database } from '../../../../toolkit/db';
import type { OrderPlaced } from './outbox';

export async function handleOrderPlaced(db: Database, delivery: Delivery<OrderPlaced>): Promise<void> {
  const messageId = delivery.properties.messageId;
  const order = delivery.body;
  try {
    await db.transaction(async (tx) => {
      const inserted = await tx.query("INSERT INTO inbox (message_id) VALUES ($1) ON CONFLICT DO NOTHING", [messageId]);
      if (inserted.rowCount === 1) {
        await tx.query("INSERT INTO shipments (order_id, item, quantity) VALUES ($1, $2, $3)", [order.orderId, order.item, order.quantity]);
      }
    });
  } catch {
    delivery.nack({ requeue: true });
    return;
  }
  delivery.ack();
}
