/**
 * Exercise 15, reference solution: the shipping service's consumer, which records each message id
 * in its inbox in the same transaction as the shipment, and acks only after that commit.
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
  const { orderId, item, quantity } = delivery.body;
  try {
    await db.transaction(async (tx) => {
      // The primary key decides, inside the transaction: one row means first time, none means seen.
      const claimed = await tx.query('INSERT INTO inbox (message_id) VALUES ($1) ON CONFLICT DO NOTHING', [delivery.properties.messageId]);
      if (claimed.rowCount === 1) {
        await tx.query('INSERT INTO shipments (order_id, item, quantity) VALUES ($1, $2, $3)', [orderId, item, quantity]);
      }
    });
  } catch {
    // No retry loop here: the broker counts this failed delivery, and its delivery limit bounds the
    // retries of a message that always fails (a poison message goes to the dead-letter queue).
    delivery.nack({ requeue: true });
    return;
  }
  // Only now is the shipment durable; dying before this line means a redelivery, which the inbox absorbs.
  delivery.ack();
}
