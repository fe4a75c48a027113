/**
 * What the public and hidden checks of exercise 18 share; see checks.test.ts beside it: the code
 * under test, messages of each version written from an event in its current shape, and random
 * messages and schemas for the property checks.
 * The code under test is imported in `beforeEach`, so that the checks are counted even when it
 * does not load.
 */
import { beforeEach } from 'vitest';
import { fc } from '../../checker/shared/property';
type Reader = typeof import('@submission/18-schema-evolution/reader');
type Compatibility = typeof import('@submission/18-schema-evolution/compatibility');
type Schema = import('@submission/18-schema-evolution/compatibility').ObjectSchema;

export let reader: Reader;
export let compatibility: Compatibility;

beforeEach(async () => {
  reader = await import('@submission/18-schema-evolution/reader');
  compatibility = await import('@submission/18-schema-evolution/compatibility');
});

/** An event in its current shape, as the checks expect the reader to return it. */
export interface Current {
  orderId: string;
  customerId: string;
  amountCents: number;
  currency: string;
  coupon?: string;
}

/** "12.50 EUR": an amount as versions 1 and 2 wrote it. */
export const amountText = (cents: number, currency: string) => `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, '0')} ${currency}`;

/** The message a producer of `version` wrote for `event` (versions 1 and 2 had no coupon), with `extra` fields in its data. */
export function written(version: 1 | 2 | 3, event: Current, extra: Record<string, unknown> = {}): { type: 'OrderPlaced'; version: number; data: Record<string, unknown> } {
  const { orderId, customerId, amountCents, currency, coupon } = event;
  const amount = amountText(amountCents, currency);
  const data =
    version === 1 ? { orderId, customer: customerId, amount } :
    version === 2 ? { orderId, customerId, amount } :
    { orderId, customerId, amountCents, currency, ...(coupon === undefined ? {} : { coupon }) };
  return { type: 'OrderPlaced', version, data: { ...extra, ...data } };
}

/** What reading `version`'s message of `event` must give: the event, without a coupon before version 3. */
export function expected(version: 1 | 2 | 3, event: Current): Current {
  if (version === 3 || event.coupon === undefined) return event;
  const { coupon: _dropped, ...rest } = event;
  return rest;
}

/** A random valid message: its version, the event it holds, and unknown fields added to its envelope and data. */
export interface RandomMessage {
  version: 1 | 2 | 3;
  event: Current;
  envelopeExtra: Record<string, unknown>;
  dataExtra: Record<string, unknown>;
}

const extraFields = fc.dictionary(fc.stringMatching(/^x[A-Za-z]{0,6}$/), fc.oneof(fc.string(), fc.integer(), fc.boolean(), fc.constant(null)), { maxKeys: 3 });

/** Random valid messages of versions 1 to 3, with up to three unknown fields in the envelope and in the data. */
export const randomMessages: fc.Arbitrary<RandomMessage> = fc.record({
  version: fc.constantFrom(1 as const, 2 as const, 3 as const),
  event: fc.record(
    {
      orderId: fc.string({ maxLength: 8 }),
      customerId: fc.string({ maxLength: 8 }),
      amountCents: fc.integer({ min: 0, max: 10_000_000 }),
      currency: fc.stringMatching(/^[A-Z]{3}$/),
      coupon: fc.string({ maxLength: 6 }),
    },
    { requiredKeys: ['orderId', 'customerId', 'amountCents', 'currency'] },
  ),
  envelopeExtra: extraFields,
  dataExtra: extraFields,
});

/** The envelope of a random message, as the reader is given it. */
export const messageOf = (m: RandomMessage) => ({ ...m.envelopeExtra, ...written(m.version, m.event, m.dataExtra) });

/** A random message in words, for a failing property's report. */
export const messageSteps = (m: RandomMessage) => [`read ${JSON.stringify(messageOf(m))}`, `it holds ${JSON.stringify(expected(m.version, m.event))}`];

const TYPES = ['string', 'number', 'integer', 'boolean'];

/** A random flat object schema over the fields a to e (each absent, optional or required, of one of four types). */
const randomSchemas: fc.Arbitrary<Schema> = fc
  .array(fc.record({ presence: fc.constantFrom('absent', 'optional', 'required'), type: fc.constantFrom(...TYPES) }), { minLength: 5, maxLength: 5 })
  .map((fields) => {
    const schema: Schema = { properties: {}, required: [] };
    fields.forEach((f, i) => {
      const name = 'abcde'[i];
      if (f.presence === 'absent') return;
      schema.properties[name] = { type: f.type };
      if (f.presence === 'required') schema.required!.push(name);
    });
    return schema;
  });

/** Two random schemas, an older and a newer. */
export const schemaPairs = fc.tuple(randomSchemas, randomSchemas);

/** A schema in words: `a: string (required), c: number`. */
export const schemaText = (s: Schema) =>
  Object.entries(s.properties).map(([name, p]) => `${name}: ${p.type}${(s.required ?? []).includes(name) ? ' (required)' : ''}`).join(', ') || '(no fields)';

/** A list of breaks in a fixed order, to compare two lists whatever order they came in. */
export const sorted = <B extends { field: string; kind: string; direction: string }>(breaks: B[]) =>
  [...breaks].map((b) => `${b.field}: ${b.kind} (${b.direction})`).sort();
