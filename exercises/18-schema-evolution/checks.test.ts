/**
 * Public checks of exercise 18: shipped to students, run by `npm run grade -- 18`.
 * Each title starts with the README item it checks; the hidden checks are in
 * solutions/18-schema-evolution/hidden.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { canaries } from '../../checker/shared/canary';
import { holds } from '../../checker/shared/property';
import { amountText, compatibility, expected, messageOf, messageSteps, randomMessages, reader, schemaPairs, schemaText, sorted, written, type Current } from './harness';

const ORDER: Current = { orderId: 'o-7', customerId: 'c-42', amountCents: 1250, currency: 'EUR' };

/** The event read from `raw`, or a failure that says what the reader answered instead. */
function read(raw: unknown, what: string): Current {
  const result = reader.readOrderPlaced(raw);
  if (!result.ok) throw new Error(`${what}: the reader refused it (${result.reason}, field "${result.field}"), but it is a valid message`);
  return result.event;
}

const keys = (event: object) => Object.keys(event).sort();

describe('readOrderPlaced', () => {
  it('[1] reads a version 3 message into the current shape, with a coupon only when the message has one', () => {
    const withCoupon = { ...ORDER, coupon: 'SPRING' };
    expect(read(written(3, withCoupon), 'a version 3 message with a coupon')).toEqual(withCoupon);
    const event = read(written(3, ORDER), 'a version 3 message without a coupon');
    expect(event).toEqual(ORDER);
    expect(keys(event), 'an event without a coupon has no coupon key at all (not even coupon: undefined)').toEqual(keys(ORDER));
  });

  it('[2] upcasts version 2: splits amount "12.50 EUR" into 1250 cents and "EUR"', () => {
    const event = read(written(2, ORDER), 'a version 2 message');
    expect(event, 'amount "12.50 EUR" is amountCents 1250 and currency "EUR"').toEqual(ORDER);
    expect(keys(event), 'a version 2 message has no coupon: the event has no coupon key, and no amount').toEqual(keys(ORDER));
  });

  it('[2] counts the cents exactly, with no floating-point error', () => {
    for (const cents of [29, 115, 435, 1005, 999_999, 0, 7]) {
      const event = read(written(2, { ...ORDER, amountCents: cents }), `amount "${amountText(cents, 'EUR')}"`);
      expect(event.amountCents, `amount "${amountText(cents, 'EUR')}" is ${cents} cents (multiplying a decimal by 100 is not exact: 4.35 * 100 = 434.99999999999994)`).toBe(cents);
    }
  });

  it('[3] upcasts version 1: customer is now customerId, and the amount is split as in version 2', () => {
    const event = read(written(1, ORDER), 'a version 1 message');
    expect(event, 'version 1 called the customer "customer"').toEqual(ORDER);
    expect(keys(event), 'the event has the current fields only (no "customer")').toEqual(keys(ORDER));
  });

  it('[4] ignores unknown fields in the envelope and in the data, and never copies them into the event', () => {
    for (const version of [1, 2, 3] as const) {
      const raw = { ...written(version, ORDER, { channel: 'web', giftWrap: true }), producedBy: 'shop-v9', traceId: 'abc' };
      const event = read(raw, `a version ${version} message with unknown fields (channel, giftWrap; producedBy, traceId in the envelope)`);
      expect(event, `version ${version} with unknown fields`).toEqual(ORDER);
      expect(keys(event), `the unknown fields of a version ${version} message are not copied into the event`).toEqual(keys(ORDER));
    }
  });

  it('[5] refuses a message that does not fit its version, naming the field at fault', () => {
    const cases: [string, unknown, string][] = [
      ['a message of another type', { ...written(3, ORDER), type: 'OrderShipped' }, 'type'],
      ['a message without a version', { type: 'OrderPlaced', data: written(3, ORDER).data }, 'version'],
      ['a version written as a string', { ...written(3, ORDER), version: '3' }, 'version'],
      ['version 0', { ...written(3, ORDER), version: 0 }, 'version'],
      ['a message whose data is missing', { type: 'OrderPlaced', version: 3 }, 'data'],
      ['a version 1 message without customer', { ...written(1, ORDER), data: { orderId: 'o-7', amount: '12.50 EUR' } }, 'data.customer'],
      ['a version 2 message that carries version 3 fields', { ...written(3, ORDER), version: 2 }, 'data.amount'],
      ['a version 2 amount without its currency', { ...written(2, ORDER), data: { orderId: 'o-7', customerId: 'c-42', amount: '12.50' } }, 'data.amount'],
      ['a version 3 amount with a fraction of a cent', written(3, { ...ORDER, amountCents: 12.5 }), 'data.amountCents'],
      ['a version 3 currency in lower case', written(3, { ...ORDER, currency: 'eur' }), 'data.currency'],
      ['a version 1 amount with more after its currency', { ...written(1, ORDER), data: { orderId: 'o-7', customer: 'c-42', amount: '12.50 EURO' } }, 'data.amount'],
      ['a version 2 amount with something before its units', { ...written(2, ORDER), data: { orderId: 'o-7', customerId: 'c-42', amount: 'x12.50 EUR' } }, 'data.amount'],
      ['a version 3 currency of four letters', written(3, { ...ORDER, currency: 'EURO' }), 'data.currency'],
      ['a version 3 currency with something before it', written(3, { ...ORDER, currency: 'xEUR' }), 'data.currency'],
      ['a version 3 coupon that is a number', { ...written(3, ORDER), data: { ...written(3, ORDER).data, coupon: 5 } }, 'data.coupon'],
    ];
    for (const [what, raw, field] of cases) {
      expect(reader.readOrderPlaced(raw), `${what}: ${JSON.stringify(raw)}`).toEqual({ ok: false, reason: 'invalid', field });
    }
  });

  it('[5] refuses what is not a message at all', () => {
    for (const raw of [null, 'OrderPlaced', 42, [written(3, ORDER)]]) {
      expect(reader.readOrderPlaced(raw), `reading ${JSON.stringify(raw)}`).toMatchObject({ ok: false, reason: 'invalid' });
    }
  });

  it('[6] refuses a version newer than it knows as newer-version, never reading it as version 3', () => {
    for (const version of [4, 9]) {
      const raw = { ...written(3, ORDER), version };
      expect(reader.readOrderPlaced(raw), `a version ${version} message that happens to hold every version 3 field`).toEqual({ ok: false, reason: 'newer-version', field: 'version' });
    }
  });

  it('[7] property: every valid message of every version, with unknown fields, reads to the event it holds', async () => {
    await holds(
      randomMessages,
      (m) => {
        const raw = messageOf(m);
        const before = JSON.stringify(raw);
        const event = read(raw, `a valid version ${m.version} message`);
        expect(event, `reading ${before}`).toEqual(expected(m.version, m.event));
        expect(keys(event), `the event read from ${before} has exactly the current fields`).toEqual(keys(expected(m.version, m.event)));
        expect(JSON.stringify(raw), 'reading a message must not change it (a replay reads it again)').toBe(before);
      },
      { seed: 18, numRuns: 200, steps: messageSteps },
    );
  });
});

const schema = (fields: Record<string, string>, required: string[] = Object.keys(fields)) => ({
  properties: Object.fromEntries(Object.entries(fields).map(([name, type]) => [name, { type }])),
  required,
});
const V1 = schema({ orderId: 'string', customer: 'string', amount: 'string' });

describe('checkCompatibility', () => {
  it('[8] backward: a field the newer schema requires and older messages lack, or may lack, is a break', () => {
    const added = schema({ orderId: 'string', customer: 'string', amount: 'string', channel: 'string' });
    expect(compatibility.checkCompatibility(V1, added, 'backward'), 'newer requires "channel", which no old message has').toEqual([{ field: 'channel', kind: 'added-required', direction: 'backward' }]);
    const optional = schema({ orderId: 'string', customer: 'string', amount: 'string', channel: 'string' }, ['orderId', 'amount', 'channel']);
    const required = schema({ orderId: 'string', customer: 'string', amount: 'string', channel: 'string' });
    expect(compatibility.checkCompatibility(optional, required, 'backward'), '"customer" was optional and is now required').toEqual([{ field: 'customer', kind: 'made-required', direction: 'backward' }]);
    const retyped = schema({ orderId: 'string', customer: 'integer', amount: 'string', channel: 'string' });
    expect(sorted(compatibility.checkCompatibility(optional, retyped, 'backward')), '"customer" was an optional string and is now a required integer: two breaks, one for each row of the table that applies (a changed type does not hide made-required)').toEqual(['customer: made-required (backward)', 'customer: type-changed (backward)']);
  });

  it('[9] forward: a field the older schema requires and newer messages lack, or may lack, is a break', () => {
    const removed = schema({ orderId: 'string', amount: 'string' });
    expect(compatibility.checkCompatibility(V1, removed, 'forward'), 'old consumers require "customer", which new messages lack').toEqual([{ field: 'customer', kind: 'removed', direction: 'forward' }]);
    const optional = schema({ orderId: 'string', customer: 'string', amount: 'string' }, ['orderId', 'amount']);
    expect(compatibility.checkCompatibility(V1, optional, 'forward'), '"customer" is now optional: new messages may lack it').toEqual([{ field: 'customer', kind: 'made-optional', direction: 'forward' }]);
    const retyped = schema({ orderId: 'string', customer: 'integer', amount: 'string' }, ['orderId', 'amount']);
    expect(sorted(compatibility.checkCompatibility(V1, retyped, 'forward')), '"customer" was a required string and is now an optional integer: two breaks, one for each row of the table that applies (a changed type does not hide made-optional)').toEqual(['customer: made-optional (forward)', 'customer: type-changed (forward)']);
  });

  it('[8] a changed type is a backward break, and so is the new name of a renamed field', () => {
    const retyped = schema({ orderId: 'string', customer: 'string', amount: 'number' });
    expect(compatibility.checkCompatibility(V1, retyped, 'backward'), 'amount went from string to number').toEqual([{ field: 'amount', kind: 'type-changed', direction: 'backward' }]);
    const cents = schema({ amountCents: 'integer' });
    const widened = schema({ amountCents: 'number' });
    expect(compatibility.checkCompatibility(cents, widened, 'backward'), 'amountCents went from integer to number: the table counts any change of type as a break, even a widening where every integer is a number').toEqual([{ field: 'amountCents', kind: 'type-changed', direction: 'backward' }]);
    const renamed = schema({ orderId: 'string', customerId: 'string', amount: 'string' });
    expect(compatibility.checkCompatibility(V1, renamed, 'backward'), 'customer renamed customerId: newer requires customerId, which old messages lack').toEqual([{ field: 'customerId', kind: 'added-required', direction: 'backward' }]);
  });

  it('[9] a changed type is a forward break, and so is the old name of a renamed field', () => {
    const retyped = schema({ orderId: 'string', customer: 'string', amount: 'number' });
    expect(compatibility.checkCompatibility(V1, retyped, 'forward'), 'amount went from string to number').toEqual([{ field: 'amount', kind: 'type-changed', direction: 'forward' }]);
    const widened = schema({ amountCents: 'number' });
    const cents = schema({ amountCents: 'integer' });
    expect(compatibility.checkCompatibility(widened, cents, 'forward'), 'amountCents went from number to integer: the table counts any change of type as a break, even when the old consumer expects a number and every integer is one').toEqual([{ field: 'amountCents', kind: 'type-changed', direction: 'forward' }]);
    const renamed = schema({ orderId: 'string', customerId: 'string', amount: 'string' });
    expect(compatibility.checkCompatibility(V1, renamed, 'forward'), 'customer renamed customerId: old consumers require customer, which new messages lack').toEqual([{ field: 'customer', kind: 'removed', direction: 'forward' }]);
  });

  it('[10] full lists the breaks of both directions; optional fields added or removed and other keywords break nothing', () => {
    const both = schema({ orderId: 'integer', amount: 'string', channel: 'string' });
    expect(sorted(compatibility.checkCompatibility(V1, both, 'full'))).toEqual([
      'channel: added-required (backward)',
      'customer: removed (forward)',
      'orderId: type-changed (backward)',
      'orderId: type-changed (forward)',
    ]);
    const additive = { ...schema({ orderId: 'string', customer: 'string', amount: 'string', coupon: 'string' }, ['orderId', 'customer', 'amount']), additionalProperties: false, $schema: 'https://json-schema.org/draft/2020-12/schema' };
    (additive.properties.amount as Record<string, unknown>).pattern = '^\\d+$';
    expect(compatibility.checkCompatibility(V1, additive, 'full'), 'an optional "coupon" added (and a pattern, which is not compared)').toEqual([]);
    expect(compatibility.checkCompatibility(additive, V1, 'full'), 'the optional "coupon" removed').toEqual([]);
    expect(compatibility.checkCompatibility(V1, V1, 'full'), 'a schema against itself').toEqual([]);
  });

  it('[11] assertCompatible accepts a compatible change and refuses a breaking one, listing each break', () => {
    const additive = schema({ orderId: 'string', customer: 'string', amount: 'string', coupon: 'string' }, ['orderId', 'customer', 'amount']);
    expect(() => compatibility.assertCompatible(V1, additive, 'full'), 'an optional field added is compatible both ways').not.toThrow();
    const renamed = schema({ orderId: 'string', customerId: 'string', amount: 'string' });
    expect(() => compatibility.assertCompatible(V1, renamed, 'backward'), 'customer renamed customerId breaks backward compatibility').toThrow('customerId: added-required (backward)');
    expect(() => compatibility.assertCompatible(V1, renamed, 'forward'), 'customer renamed customerId breaks forward compatibility').toThrow('customer: removed (forward)');
    expect(() => compatibility.assertCompatible(V1, renamed, 'forward'), 'in forward mode, only forward breaks are listed').not.toThrow('backward');
    let message = '';
    try {
      compatibility.assertCompatible(V1, renamed, 'full');
    } catch (error) {
      message = error instanceof Error ? error.message : String(error);
    }
    const lines = message.split('\n');
    expect(lines, `the message of a full check of customer renamed customerId, line by line: each break on a line of its own (item 11): ${JSON.stringify(message)}`).toEqual(
      expect.arrayContaining(['customerId: added-required (backward)', 'customer: removed (forward)']),
    );
  });

  it('[12] property: the backward breaks of older to newer are the forward breaks of newer to older, kinds mirrored', async () => {
    const MIRROR: Record<string, string> = { 'added-required': 'removed', removed: 'added-required', 'made-required': 'made-optional', 'made-optional': 'made-required', 'type-changed': 'type-changed' };
    await holds(
      schemaPairs,
      ([a, b]) => {
        const backward = compatibility.checkCompatibility(a, b, 'backward');
        const mirrored = sorted(backward.map((x) => ({ field: x.field, kind: MIRROR[x.kind] ?? `${x.kind}?`, direction: 'forward' })));
        expect(sorted(compatibility.checkCompatibility(b, a, 'forward')), `backward(A, B) is ${JSON.stringify(sorted(backward))}: forward(B, A) must be the same breaks seen from the other side`).toEqual(mirrored);
        expect(sorted(compatibility.checkCompatibility(a, b, 'full')), 'full lists the backward and the forward breaks').toEqual(sorted([...backward, ...compatibility.checkCompatibility(a, b, 'forward')]));
      },
      { seed: 18, numRuns: 200, steps: ([a, b]) => [`A = ${schemaText(a)}`, `B = ${schemaText(b)}`] },
    );
  });
});

canaries();
