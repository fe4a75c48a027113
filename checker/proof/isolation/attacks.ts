/**
 * Planted code for isolation.test.ts: what a submission's module might try from its own process
 * against the objects the checks hand it. Each function says what it saw; none may change the checks.
 */
type Loose = Record<string, unknown> & ((...args: unknown[]) => unknown);

/** Sets, defines and deletes on an object of the checks'; answers with what each attempt did. */
export function tamper(target: Record<string, unknown>): string[] {
  const attempts: [string, () => unknown][] = [
    ['set', () => (target.flag = 'tampered')],
    ['define', () => Object.defineProperty(target, 'flag', { value: 'tampered' })],
    ['delete', () => delete target.flag],
    ['setPrototypeOf', (): unknown => Object.setPrototypeOf(target, null)],
  ];
  return attempts.map(([what, attempt]) => {
    try {
      attempt();
      return `${what}: done`;
    } catch (error) {
      return `${what}: ${(error as Error).message}`;
    }
  });
}

/**
 * Climbs from a function of the checks' to the constructor of functions, and runs code with it if
 * it gets there: the code tells the process it ran in.
 */
export function reachCodeMaker(callback: Loose): string {
  const viaConstructor = callback.constructor as Loose | undefined;
  const viaPrototype = (Object.getPrototypeOf(callback) as Loose | null)?.constructor as Loose | undefined;
  const viaAsync = ((async () => {}).constructor as unknown as Loose) === undefined;
  for (const maker of [viaConstructor, viaPrototype]) {
    if (typeof maker === 'function') {
      const made = maker('return typeof process === "object" ? process.pid : "no process"') as Loose;
      return `code made, run in process ${String(made())}`;
    }
  }
  return `no way to the constructor of functions (${String(viaAsync)})`;
}

/** Work started in a microtask: it must not have run when the call returns. */
export function later(record: (what: string) => void): void {
  void Promise.resolve().then(() => record('microtask'));
}

/** Never returns. */
export function spin(): never {
  for (;;) {
    // an endless loop
  }
}
