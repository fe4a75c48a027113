/**
 * Traces of failing network checks: a check that runs on netsim follows its network with
 * `traced(net, seed)`, and when it fails, its failure carries the seed and a timeline of what
 * crossed the network (lines marked `[netsim] `, which the grader shows under the failure): the
 * end of the run, or, when the harness said when the check's expectation broke ({@link brokeAt}),
 * the events around that moment. The decisions a harness marked with `net.note` (a node
 * suspected, a message handed on) are among them. When the grader asks for traces
 * (checker/grade/checks-env.ts), the same window of the run is also written to the exercise's
 * folder of traces (checker/grade/trace-dirs.ts) as a mermaid sequence diagram, `<check>.mmd`,
 * which the grader draws as an SVG beside it; with every run asked for, for passing checks too.
 * A passing check pays only for the hooks. What each shows: trace-view.ts.
 */
import fs from 'node:fs';
import path from 'node:path';
import { beforeEach, onTestFailed, onTestFinished, type TestContext } from 'vitest';
import { readChecksEnv } from '../grade/checks-env';
import type { Network } from '../../toolkit/netsim';
import { diagram, timeline, type Broke } from './trace-view';

/** How the lines of a trace begin, in a failure's text. */
const MARK = '[netsim] ';

type Task = TestContext['task'];
let followed: { net: Network; seed: number; broke?: Broke } | undefined;
let hooked = false;

beforeEach(() => {
  followed = undefined;
  hooked = false;
});

/** Writes the run as a mermaid diagram where the grader asked for it; returns the file and what it shows. */
function writeDiagram(task: Task, run: NonNullable<typeof followed>): { file: string; part: string } | undefined {
  // exercises/NN-slug/checks.test.ts and solutions/NN-slug/hidden.test.ts: the folder names the exercise.
  const dir = readChecksEnv().traces?.dirs[path.basename(path.dirname(task.file.name))];
  if (!dir) return undefined;
  const name = task.name.replace(/[^A-Za-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 80);
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${name}.mmd`);
  const drawn = diagram(run.net.trace, run.net.nodes, run.broke);
  fs.writeFileSync(file, `${drawn.code}\n`);
  return { file, part: drawn.part };
}

/** Follows `net`, built from `seed`, in the running check (the last one followed is the one shown). */
export function traced(net: Network, seed: number): Network {
  followed = { net, seed };
  if (!hooked) {
    hooked = true;
    onTestFailed(({ task }) => {
      if (!followed) return;
      const drawn = writeDiagram(task, followed);
      const lines = [...timeline(followed.net.trace, followed.seed, followed.broke), ...(drawn ? [`${drawn.part}, as a sequence diagram: ${drawn.file}`] : [])];
      const text = lines.map((line) => `${MARK}${line}`).join('\n');
      for (const error of task.result?.errors ?? []) error.stack = `${error.stack ?? error.message}\n${text}`;
    });
    if (readChecksEnv().traces?.all) {
      onTestFinished(({ task }) => {
        if (followed && task.result?.state === 'pass') writeDiagram(task, followed);
      });
    }
  }
  return net;
}

/**
 * Says when the expectation of the running check broke, in the virtual time of the network it
 * follows (default: now), and in a few words what broke: if the check fails, its timeline and
 * diagram show the run around that moment (some events before it, a line that marks it, a few
 * after, and what is left out said) instead of the run's end. A harness calls it where it finds
 * the first thing wrong, also when it throws later (after the run); the first call for a network
 * counts, and a check that passes shows nothing. Without a followed network it does nothing.
 * @example
 * ```ts
 * problem ??= `onChange('${node}', true) came twice`;
 * brokeAt(net.now(), `onChange('${node}', true) twice`);
 * ```
 */
export function brokeAt(t?: number, what?: string): void {
  if (!followed || followed.broke) return;
  followed.broke = { t: t ?? followed.net.now(), what };
}
