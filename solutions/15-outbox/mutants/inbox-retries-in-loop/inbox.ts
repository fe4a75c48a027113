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
  // a transient database error (a serialization failure, a dropped connection) often goes away at once:
  // try the transaction a few times before handing the message back to the broker
  for (let attempt = 1; attempt <= 3; attempt++) {
    try {
      await db.transaction(async (tx) => {
        const inserted = await tx.query("INSERT INTO inbox (message_id) VALUES ($1) ON CONFLICT DO NOTHING", [messageId]);
        if (inserted.rowCount === 1) {
          await tx.query("INSERT INTO shipments (order_id, item, quantity) VALUES ($1, $2, $3)", [order.orderId, order.item, order.quantity]);
        }
      });
      delivery.ack();
      return;
    } catch {
      // try again
    }
  }
  delivery.nack({ requeue: true });
}
