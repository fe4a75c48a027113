/**
 * Exercise 18: a tolerant reader that upcasts every version of an `OrderPlaced` event, in its
 * versioned envelope, to the current shape.
 * Read README.md first. Run `npm run grade -- 18` to check your work.
 * @module
 */
import { z } from 'zod';

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

/** The newest version this reader knows. */
const LATEST = 3;

const amount = z.string().regex(/^\d+\.\d{2} [A-Z]{3}$/);
const v1 = z.object({ orderId: z.string(), customer: z.string(), amount });
const v2 = z.object({ orderId: z.string(), customerId: z.string(), amount });
const v3 = z.object({
  orderId: z.string(),
  customerId: z.string(),
  amountCents: z.number().int().nonnegative(),
  currency: z.string().regex(/^[A-Z]{3}$/),
  coupon: z.string().optional(),
});
const envelope = z.object({ type: z.literal('OrderPlaced'), version: z.number().int().positive(), data: z.object({}) });

type V1 = z.infer<typeof v1>;
type V2 = z.infer<typeof v2>;

/** Version 1 to 2: `customer` was renamed `customerId`. */
function upcast1(data: V1): V2 {
  return { orderId: data.orderId, customerId: data.customer, amount: data.amount };
}

/** Version 2 to 3: `amount` ("12.50 EUR") was split into whole cents and a currency. */
function upcast2(data: V2): OrderPlaced {
  const [value, currency] = data.amount.split(' ');
  const [units, cents] = value.split('.');
  return { orderId: data.orderId, customerId: data.customerId, amountCents: Number(units) * 100 + Number(cents), currency };
}

/** The failure for the first issue zod found, with its path from the envelope's root. */
function invalid(error: z.ZodError, prefix: string[]): ReadResult {
  return { ok: false, reason: 'invalid', field: [...prefix, ...error.issues[0].path.map(String)].join('.') };
}

/** Reads a message of any version into the current shape; unknown fields are ignored. */
export function readOrderPlaced(raw: unknown): ReadResult {
  const outer = envelope.safeParse(raw);
  if (!outer.success) return invalid(outer.error, []);
  const { version } = outer.data;
  const data = (raw as { data: unknown }).data;
  if (version > LATEST) return { ok: false, reason: 'newer-version', field: 'version' };
  const schema = [v1, v2, v3][version - 1];
  const parsed = schema.safeParse(data);
  if (!parsed.success) return invalid(parsed.error, ['data']);
  if (version === 1) return { ok: true, event: upcast2(upcast1(parsed.data as V1)) };
  if (version === 2) return { ok: true, event: upcast2(parsed.data as V2) };
  return { ok: true, event: parsed.data as OrderPlaced };
}
