/**
 * Property-based checks with fast-check, made to read like the other checks: deterministic (a fixed
 * seed, a bounded number of runs), and when a property fails, the failure says in words what the
 * smallest case fast-check found was, what went wrong in it, and the seed that replays it.
 */
import fc from 'fast-check';

export { fc };

/** How a property is run. */
interface PropertyRun<T> {
  /** The fast-check seed: the same seed draws the same cases. */
  seed: number;
  /** How many cases to draw. */
  runs: number;
  /** The case in words, as the failure shows it. */
  describe: (input: T) => string;
}

/**
 * Checks that `problem` finds nothing wrong in any case drawn from `arbitrary`: `problem` returns
 * undefined when the case is fine, or what went wrong in plain words. Throws, on the smallest
 * failing case found, an error naming that case, the problem and the seed.
 */
export async function holdsFor<T>(arbitrary: fc.Arbitrary<T>, problem: (input: T) => Promise<string | undefined>, run: PropertyRun<T>): Promise<void> {
  const details = await fc.check(
    fc.asyncProperty(arbitrary, async (input) => (await problem(input)) === undefined),
    { seed: run.seed, numRuns: run.runs, endOnFailure: false },
  );
  if (!details.failed) return;
  const where = `(fast-check seed ${run.seed}, failed at case ${details.numRuns} of ${run.runs}, shrunk ${details.numShrinks} times)`;
  if (!details.counterexample) throw new Error(`the property failed without a case ${where}`);
  const input = details.counterexample[0];
  let wrong: string | undefined;
  try {
    wrong = await problem(input);
  } catch (error) {
    wrong = `it threw: ${error instanceof Error ? error.message : String(error)}`;
  }
  throw new Error(`${wrong ?? 'it failed once and passed when replayed'}\n  in the smallest failing case found: ${run.describe(input)}\n  ${where}`);
}
