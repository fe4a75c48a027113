/**
 * The grade as a student reads it: a table of exercises, the total, then what failed and why.
 * @module
 */
import pc from 'picocolors';
import type { CheckFailure, ExerciseResult, GradeReport } from './grade';

/** Checks listed under one shared failure message before the rest are summed up. */
const NAMES_PER_GROUP = 8;

function statusLabel(result: ExerciseResult): string {
  switch (result.status) {
    case 'passed':
      return pc.green('✓ done');
    case 'timed-out':
      return pc.red('✗ timed out');
    case 'error':
      return pc.red('✗ error');
    case 'not-run':
      return pc.yellow('– not run');
    default:
      return result.problems.length > 0 ? pc.red('✗ type errors') : result.passed === 0 ? pc.dim('· to do') : pc.yellow('… in progress');
  }
}

function sumChecks(report: GradeReport, kind: 'public' | 'hidden'): { passed: number; total: number } {
  return report.exercises.reduce((sum, r) => ({ passed: sum.passed + r.checks[kind].passed, total: sum.total + r.checks[kind].total }), { passed: 0, total: 0 });
}

function pad(text: string, width: number, alignRight = false): string {
  const gap = ' '.repeat(Math.max(0, width - text.length));
  return alignRight ? gap + text : text + gap;
}

/** The table of exercises with their checks and points, and the total. */
export function renderTable(report: GradeReport): string {
  const idWidth = Math.max(8, ...report.exercises.map((r) => r.id.length));
  // In the instructor's copy the checks are split into public and hidden columns.
  const split = report.hiddenChecks;
  const count = (c: { passed: number; total: number }) => (c.total > 0 ? `${c.passed}/${c.total}` : '-');
  const checkColumns = (r: ExerciseResult) =>
    split ? `${pad(count(r.checks.public), 9, true)}  ${pad(count(r.checks.hidden), 9, true)}` : pad(count(r), 9, true);
  const heading = split ? `${pad('Public', 9, true)}  ${pad('Hidden', 9, true)}` : pad('Checks', 9, true);
  const lines = [pc.bold(`  ${pad('Exercise', idWidth)}  Lesson  ${heading}  ${pad('Points', 9, true)}`)];
  for (const r of report.exercises) {
    lines.push(`  ${pad(r.id, idWidth)}  ${pad(r.lesson.slice(0, 2), 6)}  ${checkColumns(r)}  ${pad(`${r.points}/${r.maxPoints}`, 9, true)}  ${statusLabel(r)}`);
  }
  const totals = split
    ? `${pad(count(sumChecks(report, 'public')), 9, true)}  ${pad(count(sumChecks(report, 'hidden')), 9, true)}`
    : pad(`${report.passed}/${report.total}`, 9, true);
  lines.push(`  ${'-'.repeat(idWidth + (split ? 41 : 30))}`);
  lines.push(pc.bold(`  ${pad('Total', idWidth)}  ${pad('', 6)}  ${totals}  ${pad(`${report.points}/${report.maxPoints}`, 9, true)}`));
  for (const r of report.exercises.filter((e) => e.uses.length > 0)) {
    lines.push(pc.dim(`  ${r.id} needs ${r.uses.join(', ')}: its checks run your code of ${r.uses.length > 1 ? 'those' : 'that'} too.`));
  }
  return lines.join('\n');
}

/** Failures that share one message, so a TODO thrown by every check is said once. */
function groupByMessage(failures: CheckFailure[]): { message: string; at?: string; trace?: string[]; checks: string[] }[] {
  const groups = new Map<string, { message: string; at?: string; trace?: string[]; checks: string[] }>();
  for (const [i, f] of failures.entries()) {
    // A failure with its own trace stands alone: the trace is what it shows.
    const key = f.trace ? String(i) : `${f.message}\u0000${f.at ?? ''}`;
    const group = groups.get(key) ?? { message: f.message, at: f.at, trace: f.trace, checks: [] };
    group.checks.push(f.hidden ? `[hidden] ${f.check}` : f.check);
    groups.set(key, group);
  }
  return [...groups.values()];
}

/** A problem as a bullet: its first line marked, the others indented under it. */
function bullet(text: string): string {
  const [first, ...rest] = text.split('\n');
  return [`  ! ${first}`, ...rest.map((line) => `      ${line}`)].join('\n');
}

/** What went wrong in one exercise: its problems, then each failed check and why. */
export function renderDetails(result: ExerciseResult): string {
  if (result.status === 'passed' && result.notes.length === 0) return '';
  const lines = [pc.bold(result.title) + pc.dim(` (${result.submission})`)];
  for (const problem of result.problems) lines.push(pc.red(bullet(problem)));
  for (const note of result.notes) lines.push(pc.yellow(`  note: ${note}`));
  for (const group of groupByMessage(result.failures)) {
    const where = group.at ? pc.dim(` (at ${group.at})`) : '';
    if (group.checks.length === 1) {
      lines.push(`  ${group.message.startsWith('not run: ') ? pc.yellow('–') : pc.red('✗')} ${group.checks[0]}`);
      lines.push(`      ${group.message}${where}`);
      for (const line of group.trace ?? []) lines.push(pc.dim(`        ${line}`));
      continue;
    }
    // Checks that could not run (a service went away): the message says so, and why.
    const [mark, verb] = group.message.startsWith('not run: ') ? [pc.yellow('–'), 'checks'] : [pc.red('✗'), 'checks failed with:'];
    lines.push(`  ${mark} ${group.checks.length} ${verb} ${group.message}${where}`);
    for (const check of group.checks.slice(0, NAMES_PER_GROUP)) lines.push(pc.dim(`      - ${check}`));
    if (group.checks.length > NAMES_PER_GROUP) lines.push(pc.dim(`      … and ${group.checks.length - NAMES_PER_GROUP} more`));
  }
  return lines.join('\n');
}

/** Longest item text shown, in characters; the README has the rest. */
const ITEM_TEXT = 72;

/**
 * The README items of one exercise, each with what its public checks say now, or that only the
 * final grade checks it: a student sees which items the public checks do not cover yet. Where
 * hidden checks ran, an item with a failed one is failed, marked `[hidden]`.
 */
export function renderItems(result: ExerciseResult): string {
  if (result.items.length === 0) return '';
  const lines = [pc.bold(`What the checks look for (README of ${result.id}), item by item:`)];
  for (const item of result.items) {
    const text = item.text.length > ITEM_TEXT ? `${item.text.slice(0, ITEM_TEXT - 1)}…` : item.text;
    const { passed, total } = item.public;
    // A service lost mid-run: the checks that ran before it still say something.
    const ran = item.ran && result.status !== 'error' && (result.status !== 'not-run' || result.passed > 0);
    // A failed hidden check fails its item too, whatever its public checks say.
    const failedHidden = ran && item.hiddenFailed > 0;
    const hiddenState = `${item.hidden - item.hiddenFailed}/${item.hidden} hidden [hidden]`;
    const hidden = failedHidden ? ` + ${hiddenState}` : item.hidden > 0 ? pc.dim(` + ${item.hidden} hidden`) : '';
    const [mark, state] =
      total === 0
        ? failedHidden
          ? [pc.red('✗'), hiddenState]
          : [pc.dim('·'), pc.dim(`checked in the final grade only${item.hidden > 0 ? ` (${item.hidden} hidden)` : ''}`)]
        : !ran
          ? [pc.dim('?'), pc.dim(`${total} public check${total > 1 ? 's' : ''}, not run`)]
          : passed === total && !failedHidden
            ? [pc.green('✓'), `${passed}/${total} public`]
            : item.notRun > 0 && passed + item.notRun === total
              ? [pc.dim('?'), `${passed}/${total} public, ${item.notRun} not run`]
              : [pc.red('✗'), `${passed}/${total} public`];
    lines.push(`  ${mark} ${pad(String(item.number), 2, true)}. ${text}  ${state}${total > 0 ? hidden : ''}`);
  }
  return lines.join('\n');
}

/** The whole report as text. */
export function renderReport(report: GradeReport, heading: string, options: { everyItem?: boolean } = {}): string {
  const parts = [pc.bold(heading), '', renderTable(report)];
  // One exercise graded (or a notebook's grade, of the exercises a lesson names): the student is
  // working on it, so each README item is listed with its checks.
  if (report.exercises.length === 1 || options.everyItem) parts.push(...report.exercises.map(renderItems).filter(Boolean).flatMap((items) => ['', items]));
  const details = report.exercises.map(renderDetails).filter(Boolean);
  if (details.length > 0) parts.push('', details.join('\n\n'));
  // The commands with the number of the first exercise that does not pass yet: the one to work on.
  const next = report.exercises.find((r) => r.status !== 'passed')?.id.slice(0, 2);
  parts.push('', report.ok || !next ? pc.green('Everything passes.') : pc.dim(`Stuck? \`npm run hint -- ${next}\` shows the next hint for exercise ${next}, for the first README item its checks fail.`));
  if (report.exercises.length > 1 && next && !options.everyItem) parts.push(pc.dim(`\`npm run grade -- ${next}\` grades exercise ${next} alone and lists its README items with the checks that cover each.`));
  parts.push(
    pc.dim(
      report.hiddenChecks
        ? 'Public checks are shipped to students; hidden ones (solutions/NN-slug/hidden.test.ts, marked [hidden]) are kept for the final grade.'
        : 'These are the public checks. Your final grade also uses hidden checks, which test the same task more thoroughly.',
    ),
  );
  return parts.join('\n');
}
