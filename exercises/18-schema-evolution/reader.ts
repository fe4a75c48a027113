/**
 * Exercise 18: a tolerant reader that upcasts every version of an `OrderPlaced` event, in its
 * versioned envelope, to the current shape.
 * Read README.md first. Run `npm run grade -- 18` to check your work.
 * @module
 */
// Validate with zod (a dependency of the workbook): import { z } from 'zod';

/** The current shape of an order placed (version 3). */
export interface OrderPlaced {
  orderId: string;
  customerId: string;
  amountCents: number;
  currency: string;
  coupon?: string;
}

/** What reading a message gives: the event in its current shape, or why it could not be read. */
export type ReadResult =
  | { ok: true; event: OrderPlaced }
  | { ok: false; reason: 'invalid' | 'newer-version'; field: string };

/** Reads a message of any version into the current shape; unknown fields are ignored. */
export function readOrderPlaced(raw: unknown): ReadResult {
  throw new Error('TODO: readOrderPlaced (exercise 18)');
}
