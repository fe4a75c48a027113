/**
 * The canaries: two checks at the end of every check file that must fail. The grader gives an
 * exercise no points when one of them passed (its results were tampered with) or went missing
 * (the file did not run to its end). Their titles are a secret of the grading run, provided by
 * its vitest config and kept out of the environment the code under test sees.
 */
import { expect, inject, it } from 'vitest';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The secret the canaries' titles start with. */
    canary: string;
    /** The folder graded for each exercise (absolute), for checks that run code in another language. */
    submissionDirs: Record<string, string>;
  }
}

/** Registers the canaries; call it as the last line of every check file. */
export function canaries(): void {
  const secret = inject('canary');
  it(`${secret} one`, () => {
    expect(secret).toBe(`${secret}, never`);
  });
  it(`${secret} two`, () => {
    throw new Error(secret);
  });
}
