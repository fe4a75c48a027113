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

/**
 * Skips the proxies: writes requests of its own straight into the pipe to the checks, asking them to
 * call what their object `tools` holds under a name (`invoke`): its `make`, an `eval` its class
 * carries, and `constructor`. Sent on the named pipe to the checks (found by its
 * name in /proc/self/fd: the process's other pipes are Node's own) for object ids 1 to 40, since
 * the code cannot know which. Whatever the checks' process answers comes back to this process's own
 * loop, which skips answers it did not ask for.
 */
export function invokeRaw(): number {
  const fs = process.getBuiltinModule('node:fs');
  let sent = 0;
  for (let fd = 3; fd < 64; fd++) {
    try {
      if (!fs.readlinkSync(`/proc/self/fd/${fd}`).includes('from-submission')) continue;
      for (let id = 1; id <= 40; id++) {
        for (const key of ['make', 'constructor']) {
          const code = { a: ['globalThis.madeInChecks = process.pid'], c: 0 };
          fs.writeSync(fd, `${JSON.stringify({ t: 'call', id: 1e9 + sent, op: 'invoke', args: [{ l: id }, key, code] })}\n`);
          sent++;
        }
      }
    } catch {
      // not a pipe this process may write to
    }
  }
  return sent;
}

/** Calls the method `name` of an object of the checks', as code does (one message when the object crossed with its methods). */
export function callMethod(target: Record<string, (...args: unknown[]) => unknown>, name: string, ...args: unknown[]): unknown {
  const method = target[name];
  return method.apply(target, args);
}
