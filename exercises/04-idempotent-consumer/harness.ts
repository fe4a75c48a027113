/**
 * What the public and hidden checks of exercise 04 share; see checks.test.ts beside it.
 *
 * The code under test is Python: each check has a small asyncio scenario, written in Python next to
 * it; before the checks of a file run, `/usr/bin/python3` runs all its scenarios against the graded
 * folder, side by side in one event loop, and each check reads back what its scenario returned (as
 * JSON). No scenario sleeps: the effects the checks pass to your consumer wait on events
 * that the scenario sets, and `settle()` only lets the event loop turn.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, inject } from 'vitest';

const PYTHON = '/usr/bin/python3';
const EXERCISE = '04-idempotent-consumer';
const FILE = 'idempotent_consumer.py';
/** How long the scenarios may run in Python before those not finished count as stuck (a call of handle that never returns). */
const SCENARIO_LIMIT_S = 2;
/** How long the Python process may take in all, starting included (the machine may be busy), before it is killed. */
const PROCESS_LIMIT_MS = 8_000;

/**
 * Loads the graded module once, runs every scenario (each in its own scope, with
 * `IdempotentConsumer`, `Effects` and `settle`) side by side in one event loop, and prints one JSON
 * line: scenario name → `{"value": ...}` or `{"error": ..., "where": ...}`.
 */
const DRIVER = String.raw`
import asyncio, json, os, sys, textwrap, traceback

folder, sources, limit = sys.argv[1], json.loads(sys.argv[2]), float(sys.argv[3])
sys.path.insert(0, folder)


class Effects:
    """The effect given to the consumer: records each call; a held id waits for release(); a failing id raises."""

    def __init__(self):
        self.calls = []
        self.done = []
        self.running = 0
        self.most_running = 0
        self._held = {}
        self._failures = {}

    def hold(self, message_id):
        self._held[message_id] = asyncio.Event()

    def release(self, message_id):
        self._held.pop(message_id).set()

    def fail(self, message_id, times=1):
        self._failures[message_id] = times

    async def apply(self, payload, message_id):
        self.calls.append([payload, message_id])
        self.running += 1
        self.most_running = max(self.most_running, self.running)
        try:
            held = self._held.get(message_id)
            if held is not None:
                await held.wait()
            if self._failures.get(message_id, 0) > 0:
                self._failures[message_id] -= 1
                raise RuntimeError("the effect of " + message_id + " failed")
            self.done.append(message_id)
        finally:
            self.running -= 1


async def settle():
    for _ in range(50):
        await asyncio.sleep(0)


def where(error):
    frames = [f for f in traceback.extract_tb(error.__traceback__) if os.path.dirname(os.path.abspath(f.filename)) == os.path.abspath(folder)]
    return os.path.basename(frames[-1].filename) + ":" + str(frames[-1].lineno) if frames else None


def failure(error):
    return {"error": type(error).__name__ + ": " + str(error), "where": where(error)}


async def run_all(IdempotentConsumer):
    tasks = {}
    for name, source in sources.items():
        scope = {"IdempotentConsumer": IdempotentConsumer, "Effects": Effects, "settle": settle, "asyncio": asyncio}
        exec(textwrap.dedent(source), scope)
        tasks[name] = asyncio.ensure_future(scope["scenario"]())
    await asyncio.wait(tasks.values(), timeout=limit)
    results = {}
    for name, task in tasks.items():
        if not task.done():
            task.cancel()
            results[name] = {"error": "the scenario did not finish within " + str(limit) + " s: a call of handle waits forever (is an id left marked as in progress?)"}
        elif task.cancelled():
            results[name] = {"error": "the scenario itself was cancelled"}
        elif task.exception() is not None:
            results[name] = failure(task.exception())
        else:
            results[name] = {"value": task.result()}
    return results


try:
    from idempotent_consumer import IdempotentConsumer
except BaseException as error:
    loading = failure(error)
    loading["error"] = "loading idempotent_consumer.py failed: " + loading["error"]
    results = {name: loading for name in sources}
else:
    results = asyncio.run(run_all(IdempotentConsumer))
print(json.dumps(results))
`;

/** What a Python file may not use (the README's "What your code may use"), as a pattern and a name. */
const REFUSED: [RegExp, string][] = [
  [/^\s*(?:import|from)\s+(?:subprocess|multiprocessing|ctypes|importlib)\b/m, 'a module that starts processes or loads code (subprocess, multiprocessing, ctypes, importlib)'],
  [/\b(?:eval|exec|__import__)\s*\(/, 'eval, exec or __import__'],
  [/\bos\.(?:system|fork|exec\w*|spawn\w*|popen)\b/, 'os.system and the other ways of os to start processes'],
];

const run = promisify(execFile);

/** The graded folder of exercise 04 (the student's, or the solutions when grading those). */
function gradedFolder(): string {
  const folder = inject('submissionDirs')[EXERCISE];
  if (!folder) throw new Error(`the grader did not say which folder it grades for ${EXERCISE}`);
  return folder;
}

/** Refuses, with the line, a file that uses what the README forbids. */
function refuseForbidden(folder: string): void {
  const file = path.join(folder, FILE);
  if (!fs.existsSync(file)) throw new Error(`${FILE} is missing: the checks load it`);
  const text = fs.readFileSync(file, 'utf8');
  for (const [pattern, what] of REFUSED) {
    const found = pattern.exec(text);
    if (found) throw new Error(`${FILE}:${text.slice(0, found.index).split('\n').length} uses ${what}, which the README does not allow`);
  }
}

type Outcome = { value?: unknown; error?: string; where?: string | null };

/** Runs the scenarios in one Python process: name → what each returned or raised. */
async function runAll(sources: Record<string, string>): Promise<Record<string, Outcome>> {
  const folder = gradedFolder();
  refuseForbidden(folder);
  const { stdout, stderr } = await run(PYTHON, ['-I', '-B', '-c', DRIVER, folder, JSON.stringify(sources), String(SCENARIO_LIMIT_S)], { timeout: PROCESS_LIMIT_MS });
  const last = stdout.trim().split('\n').pop() ?? '';
  try {
    return JSON.parse(last) as Record<string, Outcome>;
  } catch {
    throw new Error(`the scenarios printed no result; Python said: ${(stderr || stdout).trim().split('\n').slice(-3).join(' | ')}`);
  }
}

/** The scenarios of this check file, by name, and what became of them once run. */
const sources: Record<string, string> = {};
let outcomes: Promise<Record<string, Outcome>> | undefined;

// Waits here, not in the first check, so that a slow start counts against the hook's limit; a
// failure is not thrown here but by each check.
beforeAll(async () => {
  outcomes = runAll(sources);
  await outcomes.catch(() => {});
}, PROCESS_LIMIT_MS + 1_000);

/**
 * Registers a Python scenario (source that defines `async def scenario()`), run against the graded
 * `idempotent_consumer.py` before the checks of the file, with every other scenario of the file, in
 * one process. Call it where the check is declared, not inside it.
 * @returns a function that gives what the scenario returned, or throws the Python error it raised,
 *   with the line of your file it came from.
 */
export function scenario<T>(source: string): () => Promise<T> {
  const name = `scenario ${Object.keys(sources).length + 1}`;
  sources[name] = source;
  return async () => {
    if (!outcomes) throw new Error('the scenarios have not been started');
    const outcome = (await outcomes)[name];
    if (outcome.error !== undefined) throw new Error(outcome.where ? `${outcome.error} (at ${outcome.where})` : outcome.error);
    return outcome.value as T;
  };
}
