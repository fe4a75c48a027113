/**
 * Hidden checks of exercise 18 (kept by the instructor, used for the final grade; the public
 * ones are in exercises/18-schema-evolution/checks.test.ts): harsher inputs for the same README items.
 */
import { describe, expect, it } from 'vitest';
import { canaries } from '../../checker/shared/canary';
import { code } from '../../exercises/18-schema-evolution/harness';

describe('total', () => {
  it('[1] adds up negative numbers and a single number', () => {
    expect(code.total([-5, 2]), 'total([-5, 2])').toBe(-3);
    expect(code.total([7]), 'total([7])').toBe(7);
  });
});

canaries();
