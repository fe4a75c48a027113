/**
 * Property-based checks with fast-check, with a failure a student can read: when a property fails,
 * fast-check shrinks the failing run to the smallest one it can find, and {@link holds} throws an
 * error of three lines, the three the grader shows (checker/grade/messages.ts keeps 3 lines):
 *
 *     what went wrong in the smallest failing run (the property's own error message, first line)
 *     smallest failing run (after N shrinks): 1. a step; 2. the next step; ...
 *     replay: fast-check seed 11, path "4:0:2" (fc.assert(property, { seed: 11, path: "4:0:2" }))
 *
 * Runs are deterministic: the seed is fixed by the check, and so is the number of runs. So is the
 * time shrinking may take: after the first failure, at most `shrinkRuns` more cases are run (the
 * rest pass without running), and the smallest failing case found by then is the one shown.
 * Checks whose cases are slow (each boots a database) may also bound the wall time, `timeLimitMs`:
 * then how many cases run depends on the machine's speed.
 * @module
 */
import fc from 'fast-check';

/** How a property is run. */
export interface PropertyOptions<T> {
  /** fast-check's seed: a fixed one, so that every grading run tries the same cases. */
  seed: number;
  /** How many generated cases are tried (before shrinking). */
  numRuns: number;
  /** How many cases shrinking may run after the first failure (default 60): a bound on its time. */
  shrinkRuns?: number;
  /**
   * A bound on wall time, for checks whose cases are slow: no case starts after it, and a failure
   * found by then is shown with the smallest failing case found so far (none found: it holds).
   */
  timeLimitMs?: number;
  /**
   * The failing case in words, as short steps ("a sends 2", "ack item 3"). Called after the
   * smallest failing case has been run once more, so it may also read what that run recorded.
   */
  steps: (value: T) => string[];
}

/** The first line of whatever a failed run threw. */
function firstLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.split(/\r?\n/).find((line) => line.trim() !== '')?.trim() ?? 'failed without a message';
}

/**
 * Checks that `predicate` holds (returns, or resolves, without throwing) for the cases `arbitrary`
 * generates. On a failure it runs the smallest failing case once more (so that what the run records,
 * a netsim trace for instance, is that case's) and throws an Error whose three lines say what went
 * wrong, the case in words ({@link PropertyOptions.steps}) and how to replay it.
 */
export async function holds<T>(arbitrary: fc.Arbitrary<T>, predicate: (value: T) => void | Promise<void>, options: PropertyOptions<T>): Promise<void> {
  const shrinkRuns = options.shrinkRuns ?? 60;
  let failed = false;
  let shrunk = 0;
  const details = await fc.check(
    fc.asyncProperty(arbitrary, async (value) => {
      if (failed && ++shrunk > shrinkRuns) return; // shrinking's budget is spent: the smallest case so far stands
      try {
        await predicate(value);
      } catch (error) {
        if (!fc.PreconditionFailure.isFailure(error)) failed = true;
        throw error;
      }
    }),
    { seed: options.seed, numRuns: options.numRuns, ...(options.timeLimitMs === undefined ? {} : { interruptAfterTimeLimit: options.timeLimitMs, markInterruptAsFailure: false }) },
  );
  if (!details.failed) return;
  if (details.counterexample === null) throw new Error(`the property could not be run: ${firstLine(details.errorInstance)}`);
  const [value] = details.counterexample;
  let error: unknown = details.errorInstance;
  try {
    await predicate(value);
  } catch (again) {
    // (the same case again: it fails the same way, unless the property depends on more than its case)
    error = again;
  }
  const steps = options.steps(value).map((step, i) => `${i + 1}. ${step}`);
  const path = details.counterexamplePath;
  throw new Error(
    [
      firstLine(error),
      `smallest failing run (after ${details.numShrinks} shrinks): ${steps.join('; ')}`,
      `replay it: fast-check's { seed: ${details.seed}, path: "${path}" }`,
    ].join('\n'),
  );
}

/** fast-check itself, for the arbitraries of the checks that use {@link holdsFor}. */
export { fc };

/** How {@link holdsFor} runs a property. */
interface PropertyRun<T> {
  /** The fast-check seed: the same seed draws the same cases. */
  seed: number;
  /** How many cases to draw. */
  runs: number;
  /** The case in words, as the failure shows it. */
  describe: (input: T) => string;
}

/**
 * {@link holds} for a property written as a search for a problem: `problem` returns undefined
 * when a case is fine, or what went wrong in it in plain words; the case is one step in words.
 */
export function holdsFor<T>(arbitrary: fc.Arbitrary<T>, problem: (input: T) => Promise<string | undefined>, run: PropertyRun<T>): Promise<void> {
  const predicate = async (input: T) => {
    const wrong = await problem(input);
    if (wrong !== undefined) throw new Error(wrong);
  };
  return holds(arbitrary, predicate, { seed: run.seed, numRuns: run.runs, steps: (input) => [run.describe(input)] });
}
