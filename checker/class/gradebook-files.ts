/**
 * The files of a gradebook: gradebook.csv and gradebook.json (one row per student) and
 * feedback/<student>.md (the failed checks in plain words). Everything in them follows from the
 * grades alone (no dates, no timings), so grading the same submissions twice writes the same files.
 * @module
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { StudentGrade } from './grade-class';

function csvField(value: string | number): string {
  const text = String(value);
  return /[",\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** The gradebook as CSV: student, points per exercise, total, max, and the troubled exercises. */
function gradebookCsv(rows: StudentGrade[], exerciseIds: string[]): string {
  const header = ['student', ...exerciseIds, 'total', 'max', 'timed_out', 'crashed', 'missing'];
  const lines = rows.map((row) =>
    [row.student, ...exerciseIds.map((id) => row.exercises[id]?.points ?? 0), row.points, row.maxPoints, row.timedOut.join(' '), row.crashed.join(' '), row.missing.join(' ')],
  );
  return `${[header, ...lines].map((line) => line.map(csvField).join(',')).join('\n')}\n`;
}

/** The gradebook as JSON, with the failed checks of every exercise. */
function gradebookJson(rows: StudentGrade[], exerciseIds: string[]): string {
  return `${JSON.stringify({ exercises: exerciseIds, students: rows }, null, 2)}\n`;
}

const STATUS_WORDS: Record<string, string> = {
  passed: 'all checks pass',
  failed: 'some checks fail',
  'timed-out': 'timed out',
  error: 'could not be graded',
  'not-run': 'not run',
  missing: 'missing',
};

/** A student's feedback: the points, then per exercise what went wrong and which checks failed. */
function feedbackMarkdown(row: StudentGrade): string {
  const lines = [`# Feedback for ${row.student}`, '', `Points: **${row.points}/${row.maxPoints}**, graded with the public checks and the hidden ones.`, ''];
  lines.push('| exercise | points | checks passed | |', '|---|---|---|---|');
  for (const [id, e] of Object.entries(row.exercises)) lines.push(`| ${id} | ${e.points}/${e.maxPoints} | ${e.passed}/${e.total} | ${STATUS_WORDS[e.status] ?? e.status} |`);
  for (const [id, e] of Object.entries(row.exercises)) {
    if (e.status === 'passed') continue;
    lines.push('', `## ${id}: ${e.points}/${e.maxPoints}`, '');
    for (const problem of e.problems) lines.push(`- ${problem.split('\n').join('\n  ')}`);
    if (e.failed.length > 0) {
      if (e.problems.length > 0) lines.push('');
      lines.push(e.reason ? `These checks failed, ${e.reasonOf === 'most' ? 'most of them' : 'all'} with: ${e.reason}` : 'These checks failed:', '');
      for (const f of e.failed) lines.push(`- ${f.hidden ? '(hidden check) ' : ''}${f.check}`);
    }
  }
  lines.push('', 'Run `npm run grade` in your copy to see why the public checks fail; hidden checks test the same task more thoroughly.');
  return `${lines.join('\n')}\n`;
}

/**
 * A feedback file name for each student: the folder name with anything odd replaced, and, where
 * two names would then meet (`a b` and `a_b`, or `Ann` and `ann` on a case-blind disk), a short
 * hash of the real name after it.
 */
export function feedbackFileNames(students: string[]): Map<string, string> {
  const plain = (student: string) => student.replace(/[^A-Za-z0-9._-]/g, '_');
  const counts = new Map<string, number>();
  for (const student of students) counts.set(plain(student).toLowerCase(), (counts.get(plain(student).toLowerCase()) ?? 0) + 1);
  return new Map(
    students.map((student) => {
      const base = plain(student);
      const shared = (counts.get(base.toLowerCase()) ?? 0) > 1;
      return [student, shared ? `${base}-${createHash('sha256').update(student).digest('hex').slice(0, 8)}.md` : `${base}.md`];
    }),
  );
}

/**
 * Writes gradebook.csv, gradebook.json and feedback/<student>.md into `out` (feedback of students
 * no longer in `rows` is removed).
 */
export function writeGradebook(out: string, rows: StudentGrade[], exerciseIds: string[]): void {
  fs.mkdirSync(out, { recursive: true });
  fs.writeFileSync(path.join(out, 'gradebook.csv'), gradebookCsv(rows, exerciseIds));
  fs.writeFileSync(path.join(out, 'gradebook.json'), gradebookJson(rows, exerciseIds));
  const feedback = path.join(out, 'feedback');
  fs.rmSync(feedback, { recursive: true, force: true });
  fs.mkdirSync(feedback);
  const names = feedbackFileNames(rows.map((row) => row.student));
  for (const row of rows) fs.writeFileSync(path.join(feedback, names.get(row.student) as string), feedbackMarkdown(row));
}

/** Reads the rows and exercise ids of a gradebook written by {@link writeGradebook}. */
function readGradebook(dir: string): { exercises: string[]; students: StudentGrade[] } {
  return JSON.parse(fs.readFileSync(path.join(dir, 'gradebook.json'), 'utf8')) as { exercises: string[]; students: StudentGrade[] };
}

/**
 * Joins the gradebooks of shards (`npm run gradebook -- <dir> --shard i/n`) into `out`: the same
 * files one unsharded run writes.
 * @throws Error when the shards graded different exercises or the same student twice
 */
export function mergeGradebooks(dirs: string[], out: string): StudentGrade[] {
  const parts = dirs.map(readGradebook);
  const exercises = parts[0]?.exercises ?? [];
  const mismatch = dirs.find((_, i) => parts[i].exercises.join() !== exercises.join());
  if (mismatch) throw new Error(`${mismatch} graded other exercises (${parts[dirs.indexOf(mismatch)].exercises.join(', ')}) than ${dirs[0]} (${exercises.join(', ')})`);
  const rows = parts.flatMap((part) => part.students).sort((a, b) => (a.student < b.student ? -1 : a.student > b.student ? 1 : 0));
  const twice = rows.find((row, i) => i > 0 && rows[i - 1].student === row.student);
  if (twice) throw new Error(`${twice.student} is in more than one shard`);
  writeGradebook(out, rows, exercises);
  return rows;
}
