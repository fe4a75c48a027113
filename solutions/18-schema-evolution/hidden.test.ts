/**
 * Hidden checks of exercise 18 (kept by the instructor, used for the final grade; the public
 * ones are in exercises/18-schema-evolution/checks.test.ts): harsher inputs for the same README items.
 */
import { describe, expect, it } from 'vitest';
import { canaries } from '../../checker/shared/canary';
import { holds } from '../../checker/shared/property';
import { amountText, compatibility, expected, messageOf, messageSteps, randomMessages, reader, schemaPairs, schemaText, sorted, written } from '../../exercises/18-schema-evolution/harness';
import { tableBreaks } from './hidden-harness';

const ORDER = { orderId: '', customerId: 'c', amountCents: 5, currency: 'USD' };

describe('readOrderPlaced', () => {
  it('[2] counts every amount from 0.00 to 20.99 exactly', () => {
    for (let cents = 0; cents < 2100; cents++) {
      const result = reader.readOrderPlaced(written(2, { ...ORDER, amountCents: cents }));
      expect(result.ok && result.event.amountCents, `amount "${amountText(cents, 'USD')}"`).toBe(cents);
    }
  });

  it('[4] ignores unknown fields named like fields of other versions', () => {
    const raw = written(3, ORDER, { customer: 'someone else', amount: '99.99 GBP' });
    expect(reader.readOrderPlaced({ ...raw, schema: 'v9' })).toEqual({ ok: true, event: ORDER });
  });

  it('[5] refuses a malformed amount of a version 1 message and a missing field of version 3', () => {
    for (const amount of ['12.5 EUR', '12.50 eur', '12,50 EUR', '-1.00 EUR', '12.50EUR', 1250]) {
      expect(reader.readOrderPlaced({ ...written(1, ORDER), data: { ...written(1, ORDER).data, amount } }), `amount ${JSON.stringify(amount)}`).toEqual({ ok: false, reason: 'invalid', field: 'data.amount' });
    }
    const data = { ...written(3, ORDER).data };
    delete data.currency;
    expect(reader.readOrderPlaced({ type: 'OrderPlaced', version: 3, data })).toEqual({ ok: false, reason: 'invalid', field: 'data.currency' });
    expect(reader.readOrderPlaced({ type: 'OrderPlaced', version: 2.5, data })).toEqual({ ok: false, reason: 'invalid', field: 'version' });
  });

  it('[7] property: 1,000 random valid messages read to the events they hold', async () => {
    await holds(
      randomMessages,
      (m) => {
        const result = reader.readOrderPlaced(messageOf(m));
        expect(result).toEqual({ ok: true, event: expected(m.version, m.event) });
        expect(result.ok && Object.keys(result.event).sort(), 'the event has exactly the current fields').toEqual(Object.keys(expected(m.version, m.event)).sort());
      },
      { seed: 1018, numRuns: 1000, steps: messageSteps },
    );
  });
});

describe('checkCompatibility', () => {
  it('[10] property: every break list is the table of the README, on 500 random pairs', async () => {
    await holds(
      schemaPairs,
      ([a, b]) => {
        expect(sorted(compatibility.checkCompatibility(a, b, 'full')), 'the breaks from A to B').toEqual(tableBreaks(a, b));
        expect(sorted(compatibility.checkCompatibility(a, b, 'backward')), 'the backward breaks from A to B').toEqual(tableBreaks(a, b).filter((x) => x.endsWith('(backward)')));
      },
      { seed: 1018, numRuns: 500, steps: ([a, b]) => [`A = ${schemaText(a)}`, `B = ${schemaText(b)}`] },
    );
  });
});

canaries();
