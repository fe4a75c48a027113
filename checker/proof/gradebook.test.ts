/**
 * Grading a class (grade-class.ts, gradebook-files.ts): planted submissions that loop, crash,
 * delete files or tamper with their checks each lose only their own points, the batch finishes,
 * and grading the same submissions twice writes the same gradebook.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gradeClass, type StudentGrade } from '../class/grade-class';
import { writeGradebook } from '../class/gradebook-files';
import { plantSubmission } from './synthetic-class';
import { exercise, minutes, root, scratchDir } from './test-support';

/** Fast exercises without network: the planted problems are in these. */
const IDS = ['08-retry-backoff', '07-pub-sub', '09-circuit-breaker'];
const work = scratchDir('gradebook');
const submissions = path.join(work, 'submissions');
let first: StudentGrade[] = [];
let second: StudentGrade[] = [];

/** The whole tree of a folder: relative path → content. */
function snapshot(dir: string): Record<string, string> {
  const files = fs.readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile());
  return Object.fromEntries(files.map((e): [string, string] => [path.relative(dir, path.join(e.parentPath, e.name)), fs.readFileSync(path.join(e.parentPath, e.name), 'utf8')]).sort());
}

beforeAll(async () => {
  const plant = (student: string, plan: Parameters<typeof plantSubmission>[2]) => plantSubmission(root, path.join(submissions, student), plan);
  plant('alice', { base: 'solution' });
  plant('bob', { base: 'starter' });
  plant('carol-loops', { base: 'solution', fixtures: { '08-retry-backoff': 'sync-loop' } });
  plant('dave-crashes', { base: 'solution', fixtures: { '07-pub-sub': 'exits-early' } });
  plant('erin-deletes', { base: 'solution', deleted: ['09-circuit-breaker', '07-pub-sub/broker.ts'] });
  plant('grace-mutant', { base: 'solution', mutants: { '09-circuit-breaker': 'half-open-lets-all-through' } });
  // Frank's starters come with checks of his own that pass whatever the code does.
  plant('frank-tampers', { base: 'starter' });
  for (const id of IDS) {
    for (const file of [exercise(id).checks, exercise(id).hiddenChecks]) {
      fs.mkdirSync(path.join(submissions, 'frank-tampers', path.dirname(file)), { recursive: true });
      fs.writeFileSync(path.join(submissions, 'frank-tampers', file), "import { it } from 'vitest';\nit('passes', () => {});\n");
    }
  }
  const options = { submissionsDir: submissions, exercises: IDS, timeLimitMs: 4000 };
  first = await gradeClass(options);
  writeGradebook(path.join(work, 'first'), first, IDS);
  second = await gradeClass(options);
  writeGradebook(path.join(work, 'second'), second, IDS);
}, minutes(6));

afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

const row = (student: string) => first.find((r) => r.student === student) as StudentGrade;
const points = (student: string) => Object.fromEntries(IDS.map((id) => [id, row(student).exercises[id].points]));

describe('npm run gradebook', () => {
  it('grades every submission, sorted by name, and leaves no workspace behind', () => {
    expect(first.map((r) => r.student)).toEqual(['alice', 'bob', 'carol-loops', 'dave-crashes', 'erin-deletes', 'frank-tampers', 'grace-mutant']);
    expect(row('alice')).toMatchObject({ points: 30, maxPoints: 30, timedOut: [], crashed: [], missing: [] });
    expect(row('bob').points).toBe(0);
    expect(fs.readdirSync(root).filter((name) => name.startsWith('.gradebook-'))).toEqual([]);
  });

  it('a looping submission loses only the looping exercise, marked timed out', () => {
    expect(points('carol-loops')).toEqual({ '08-retry-backoff': 0, '07-pub-sub': 10, '09-circuit-breaker': 10 });
    expect(row('carol-loops').timedOut).toEqual(['08-retry-backoff']);
  });

  it('a submission that exits the process loses only that exercise', () => {
    expect(points('dave-crashes')).toEqual({ '08-retry-backoff': 10, '07-pub-sub': 0, '09-circuit-breaker': 10 });
    expect(row('dave-crashes').exercises['07-pub-sub'].status).not.toBe('passed');
  });

  it('a submission with deleted files loses only those exercises; the deleted folder is "missing"', () => {
    expect(points('erin-deletes')).toEqual({ '08-retry-backoff': 10, '07-pub-sub': 0, '09-circuit-breaker': 0 });
    expect(row('erin-deletes').missing).toEqual(['09-circuit-breaker']);
  });

  it('a submission’s own checks are ignored: the tampered starter scores 0', () => {
    expect(row('frank-tampers').points).toBe(0);
    expect(row('frank-tampers').exercises['09-circuit-breaker'].total).toBe(13);
  });

  it('a mutant loses points for the check that catches it, a hidden one here', () => {
    const grade = row('grace-mutant').exercises['09-circuit-breaker'];
    expect(grade.points).toBeLessThan(10);
    expect(grade.failed).toContainEqual({ check: 'CircuitBreaker › lets only one trial call through while half-open', hidden: true });
  });

  it('writes the CSV, the JSON and one feedback file per student listing the failed checks', () => {
    const files = snapshot(path.join(work, 'first'));
    expect(files['gradebook.csv'].split('\n').slice(0, 3)).toEqual([
      'student,08-retry-backoff,07-pub-sub,09-circuit-breaker,total,max,timed_out,crashed,missing',
      'alice,10,10,10,30,30,,,',
      'bob,0,0,0,0,30,,,',
    ]);
    expect(files['gradebook.csv']).toContain('carol-loops,0,10,10,20,30,08-retry-backoff,,');
    expect(JSON.parse(files['gradebook.json'])).toEqual({ exercises: IDS, students: first });
    expect(Object.keys(files).filter((f) => f.startsWith('feedback')).length).toBe(7);
    expect(files[path.join('feedback', 'grace-mutant.md')]).toContain('- (hidden check) CircuitBreaker › lets only one trial call through while half-open');
    expect(files[path.join('feedback', 'carol-loops.md')]).toContain('timed out after 4 s');
    expect(files[path.join('feedback', 'bob.md')]).toContain('These checks failed, all with: TODO: CircuitBreaker constructor (exercise 09)');
  });

  it('writes the same files when the same submissions are graded again', () => {
    expect(snapshot(path.join(work, 'second'))).toEqual(snapshot(path.join(work, 'first')));
  });
});
