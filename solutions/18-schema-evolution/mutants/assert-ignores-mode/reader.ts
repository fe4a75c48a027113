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

const CURRENT_VERSION = 3;

const Envelope = z.object({
  type: z.literal('OrderPlaced'),
  version: z.number(),
  data: z.looseObject({}),
});

const Amount = z.string().regex(/^\d+\.\d{2} [A-Z]{3}$/);

const V1 = z.object({
  orderId: z.string(),
  customer: z.string(),
  amount: Amount,
});

const V2 = z.object({
  orderId: z.string(),
  customerId: z.string(),
  amount: Amount,
});

const V3 = z.object({
  orderId: z.string(),
  customerId: z.string(),
  amountCents: z.number().int().min(0),
  currency: z.string().regex(/^[A-Z]{3}$/),
  coupon: z.string().optional(),
});

type DataV1 = z.infer<typeof V1>;
type DataV2 = z.infer<typeof V2>;

function fieldOf(error: z.ZodError, prefix: string): string {
  const path = error.issues[0]?.path ?? [];
  return [prefix, ...path.map(String)].filter((p) => p !== '').join('.');
}

/** Version 1 to 2: `customer` was renamed `customerId`. */
function v1ToV2(d: DataV1): DataV2 {
  return { orderId: d.orderId, customerId: d.customer, amount: d.amount };
}

/** Version 2 to 3: `amount` ("12.50 EUR") is split into whole cents and a currency. */
function v2ToV3(d: DataV2): OrderPlaced {
  const [value, currency] = d.amount.split(' ');
  const [units, cents] = value.split('.');
  return {
    orderId: d.orderId,
    customerId: d.customerId,
    amountCents: Number(units) * 100 + Number(cents),
    currency,
  };
}

/** Reads a message of any version into the current shape; unknown fields are ignored. */
export function readOrderPlaced(raw: unknown): ReadResult {
  const env = Envelope.safeParse(raw);
  if (!env.success) return { ok: false, reason: 'invalid', field: fieldOf(env.error, '') };
  const { version, data } = env.data;
  if (Number.isInteger(version) && version > CURRENT_VERSION) {
    return { ok: false, reason: 'newer-version', field: 'version' };
  }
  if (version === 1) {
    const parsed = V1.safeParse(data);
    if (!parsed.success) return { ok: false, reason: 'invalid', field: fieldOf(parsed.error, 'data') };
    return { ok: true, event: v2ToV3(v1ToV2(parsed.data)) };
  }
  if (version === 2) {
    const parsed = V2.safeParse(data);
    if (!parsed.success) return { ok: false, reason: 'invalid', field: fieldOf(parsed.error, 'data') };
    return { ok: true, event: v2ToV3(parsed.data) };
  }
  if (version === 3) {
    const parsed = V3.safeParse(data);
    if (!parsed.success) return { ok: false, reason: 'invalid', field: fieldOf(parsed.error, 'data') };
    const { coupon, ...rest } = parsed.data;
    return { ok: true, event: coupon === undefined ? rest : { ...rest, coupon } };
  }
  return { ok: false, reason: 'invalid', field: 'version' };
}
