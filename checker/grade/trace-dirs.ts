/**
 * Where the sequence diagrams of failed network checks go (checker/shared/netsim-trace.ts writes
 * them, trace-diagrams.ts draws them): a `traces/` folder in the exercise's graded folder
 * (`exercises/13-failure-detector/traces/`), which a student can open from Jupyter, started at the
 * workbook's root (a hidden folder such as `.cache/` it refuses to serve). Git ignores those
 * folders, in the workbook and in the student release. The gradebook, which grades a submission
 * in a sandbox of its own (`isolate: 'sandbox'`), never writes into the submission: there they go
 * to the grader's cache, `.cache/grade/<exercise>/`, which the sandbox discards.
 * @module
 */
import fs from 'node:fs';
import path from 'node:path';
import { LAYOUT } from '../../tooling/course';

/** The name of an exercise's folder of diagrams. */
export const TRACES_FOLDER = 'traces';

/** The files of a diagram: its mermaid source and its drawing. */
const DIAGRAM_FILE = /\.(mmd|svg)$/;

/**
 * The folder the network checks of exercise `exerciseId`, graded in `submission` (absolute),
 * write their diagrams to.
 */
export function traceDirOf(root: string, exerciseId: string, submission: string, isolate?: 'process' | 'sandbox'): string {
  return isolate === 'sandbox' ? path.join(root, LAYOUT.cache, 'grade', exerciseId) : path.join(submission, TRACES_FOLDER);
}

/**
 * Removes the diagrams of an earlier grading from `dir` (those of checks that pass now would
 * mislead), and the folder when nothing else is left in it.
 */
export function clearTraces(dir: string): void {
  if (!fs.existsSync(dir)) return;
  for (const name of fs.readdirSync(dir)) if (DIAGRAM_FILE.test(name)) fs.rmSync(path.join(dir, name), { force: true });
  if (fs.readdirSync(dir).length === 0) fs.rmdirSync(dir);
}
