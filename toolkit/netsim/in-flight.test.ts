import { describe, expect, it } from 'vitest';
import { InFlight } from './in-flight';

describe('InFlight', () => {
  it('stores messages in slots, reuses freed slots, and lets go of their payloads', () => {
    const wire = new InFlight();
    const slots = Array.from({ length: 3000 }, (_, i) => wire.add(i + 1, i % 7, i % 5, { n: i }, i / 2, i % 2 === 0));
    expect(new Set(slots).size).toBe(3000); // grew past its first 1,024 slots
    const slot = slots[2500];
    expect([wire.ids[slot], wire.senders[slot], wire.receivers[slot], wire.sentAts[slot], wire.copies[slot]]).toEqual([2501, 2500 % 7, 0, 1250, 1]);
    expect(wire.payloads[slot]).toEqual({ n: 2500 });
    wire.release(slot);
    expect(wire.payloads[slot]).toBeUndefined();
    expect(wire.add(9999, 1, 2, 'again', 0, false)).toBe(slot);
    expect(wire.payloads[slot]).toBe('again');
  });
});
