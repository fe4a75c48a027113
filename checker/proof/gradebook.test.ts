/**
 * Grading a class (checker/class): planted submissions that loop, crash, delete files, tamper with
 * their checks or attack the grader each lose only their own points, in a sandbox that keeps every
 * other file and process safe; submissions that try to escape to the host as root, take over the
 * grader through its inspector, hold memory in tmpfs files, fork without end, fill the disk, link
 * their exercises to the master's solutions or learn the master's path gain nothing; no feedback
 * quotes a hidden check, a solution or a path of the host; grading in shards and merging writes
 * the same files, byte for byte, as one run.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LAYOUT } from '../../tooling/course';
import { gradeClass, listSubmissions, type StudentGrade } from '../class/grade-class';
import { shardOf } from '../class/gradebook';
import { mergeGradebooks, writeGradebook } from '../class/gradebook-files';
import { sandboxUnavailable } from '../class/sandbox';
import { DEFAULT_TIME_LIMIT_MS } from '../grade/grade';
import { distinctiveSolutionLines } from './solution-lines';
import { plantSubmission } from './synthetic-class';
import { ALL_EXERCISES, EXERCISES, exercise, minutes, root, scratchDir } from './test-support';

/** Fast exercises without network: the planted problems are in these. */
const IDS = ['08-retry-backoff', '07-pub-sub', '09-circuit-breaker'];
/** The students graded a second time, in shards: a few are enough to compare, and grading is what takes time. */
const SHARDED = ['a b', 'a_b', 'alice', 'erin-deletes'];
/** What a planted lingering process carries in its command line. */
const MARKER = 'workbook-lingering-marker';

const unavailable = sandboxUnavailable();
if (unavailable && process.env.CI !== 'true') console.warn(`\n!!! No sandbox (${unavailable}): the gradebook tests were NOT run.\n`);

const work = scratchDir('gradebook');
const submissions = path.join(work, 'submissions');
let first: StudentGrade[] = [];
/** Exercise 04 is Python, whose os.fork no rule stops. */
const FORKS = '04-idempotent-consumer';
let bomb: StudentGrade;
let bombClassmate: StudentGrade;

/** The whole tree of a folder: relative path → content. */
function snapshot(dir: string): Record<string, string> {
  const files = fs.readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile());
  return Object.fromEntries(files.map((e): [string, string] => [path.relative(dir, path.join(e.parentPath, e.name)), fs.readFileSync(path.join(e.parentPath, e.name), 'utf8')]).sort());
}

/** A hash of every file git tracks in the master copy, and of the places the planted damage aims at. */
function masterChecksum(): string {
  const tracked = execFileSync('git', ['ls-files', '-z'], { cwd: root, encoding: 'utf8' }).split('\0').filter(Boolean);
  const hash = createHash('sha256');
  for (const file of tracked) hash.update(file).update(fs.existsSync(path.join(root, file)) ? fs.readFileSync(path.join(root, file)) : 'gone');
  for (const planted of ['node_modules/planted-damage.txt', `${LAYOUT.checkSupport}/planted-damage.txt`, `${LAYOUT.cache}/planted-damage.txt`, `${LAYOUT.exercises}/07-pub-sub-moved`]) hash.update(String(fs.existsSync(path.join(root, planted))));
  return hash.digest('hex');
}

/** Processes alive now whose command line holds the marker. */
function lingering(): string[] {
  const commandLine = (pid: string) => {
    try {
      return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    } catch {
      return ''; // ended while we looked
    }
  };
  return fs.readdirSync('/proc').filter((pid) => /^\d+$/.test(pid) && commandLine(pid).includes(MARKER));
}

const options = { submissionsDir: submissions, exercises: IDS, timeLimitMs: DEFAULT_TIME_LIMIT_MS };
let before: { master: string; submissions: Record<string, string>; corePattern: string };
/** The host's kernel setting a planted submission tries to rewrite (to run a program of its own as root). */
const CORE_PATTERN = '/proc/sys/kernel/core_pattern';
const corePattern = () => (fs.existsSync(CORE_PATTERN) ? fs.readFileSync(CORE_PATTERN, 'utf8') : '');

beforeAll(async () => {
  if (unavailable) return;
  const plant = (student: string, plan: Parameters<typeof plantSubmission>[2]) => plantSubmission(root, path.join(submissions, student), plan);
  plant('alice', { base: 'solution' });
  plant('carol-breaks', { base: 'solution', fixtures: { '08-retry-backoff': 'sync-loop', '07-pub-sub': 'exits-early' }, mutants: { '09-circuit-breaker': 'half-open-lets-all-through' } });
  plant('erin-deletes', { base: 'solution', fixtures: { '08-retry-backoff': 'reexports-solution' }, deleted: ['09-circuit-breaker', '07-pub-sub/broker.ts'] });
  plant('hal-attacks', { base: 'solution', fixtures: { '07-pub-sub': 'damages-workbook', '08-retry-backoff': 'leaves-a-process', '09-circuit-breaker': 'overwrites-classmates' } });
  plant('ivy-cheats', { base: 'solution', fixtures: { '07-pub-sub': 'kills-hidden-checks', '09-circuit-breaker': 'leaks-hidden-checks' } });
  plant('jo-patches', { base: 'solution', fixtures: { '09-circuit-breaker': 'patches-expect' } });
  // Eve's untouched starter flips every failed check but the canaries' (it scores full marks where the code shares the checks' process).
  plant('eve-forges', { base: 'starter', fixtures: { '09-circuit-breaker': 'spares-canary-failures' } });
  // Two students whose names meet once made file names, both with the untouched starters.
  plant('a b', { base: 'starter' });
  plant('a_b', { base: 'starter' });
  // Bob's starters come with checks of his own that pass whatever the code does.
  plant('bob-tampers', { base: 'starter' });
  for (const id of IDS) {
    for (const file of [exercise(id).checks, exercise(id).hiddenChecks]) {
      fs.mkdirSync(path.join(submissions, 'bob-tampers', path.dirname(file)), { recursive: true });
      fs.writeFileSync(path.join(submissions, 'bob-tampers', file), "import { it } from 'vitest';\nit('passes', () => {});\n");
    }
  }
  // Attacks on the machine and on the grader: one student each, so that each verdict is its own.
  plant('kim-escapes', { base: 'solution', fixtures: { '08-retry-backoff': 'writes-core-pattern', '07-pub-sub': 'inspector-takeover', '09-circuit-breaker': 'leaks-host-path' } });
  plant('mo-fills-memory', { base: 'solution', fixtures: { '07-pub-sub': 'fills-shared-memory' } });
  plant('ned-fills-disk', { base: 'solution', fixtures: { '09-circuit-breaker': 'fills-scratch' } });
  // Pat's `exercises` is a link to the master copy's solutions (its path learnt from a leak).
  fs.mkdirSync(path.join(submissions, 'pat-links'), { recursive: true });
  fs.symlinkSync(path.join(root, LAYOUT.solutions), path.join(submissions, 'pat-links', LAYOUT.exercises));
  before = { master: masterChecksum(), submissions: snapshot(submissions), corePattern: corePattern() };
  first = await gradeClass(options);
  // The fork bomb is Python (exercise 04), graded beside a classmate at the same time.
  const bombClass = path.join(work, 'bomb-class');
  plantSubmission(root, path.join(bombClass, 'lou-forks'), { base: 'solution', fixtures: { [FORKS]: 'forks-without-end' } });
  plantSubmission(root, path.join(bombClass, 'max'), { base: 'solution' });
  const bombRows = await gradeClass({ ...options, submissionsDir: bombClass, exercises: [FORKS] });
  bomb = bombRows.find((r) => r.student === 'lou-forks') as StudentGrade;
  bombClassmate = bombRows.find((r) => r.student === 'max') as StudentGrade;
  writeGradebook(path.join(work, 'first'), first, IDS);
  // Some of them again, as two shards on "two machines", merged; the two whose names meet are among them.
  const students = listSubmissions(submissions).filter((student) => SHARDED.includes(student));
  writeGradebook(path.join(work, 'first-sharded-ones'), first.filter((row) => SHARDED.includes(row.student)), IDS);
  for (const index of [1, 2]) {
    const shard = await gradeClass({ ...options, students: shardOf(students, { index, count: 2 }) });
    writeGradebook(path.join(work, `shard-${index}`), shard, IDS);
  }
  mergeGradebooks([1, 2].map((index) => path.join(work, `shard-${index}`)), path.join(work, 'merged'));
}, minutes(8));

// Many planted copies of the workbook's exercises: removing them takes a while on a busy machine.
afterAll(() => fs.rmSync(work, { recursive: true, force: true }), minutes(1));

const row = (student: string) => first.find((r) => r.student === student) as StudentGrade;
const points = (student: string) => Object.fromEntries(IDS.map((id) => [id, row(student).exercises[id].points]));

describe.skipIf(Boolean(unavailable) && process.env.CI !== 'true')('npm run gradebook, each submission in a sandbox', () => {
  it('has a sandbox to grade in (bubblewrap)', () => expect(unavailable).toBeUndefined());

  it('grades every submission, sorted by name, and leaves no workspace behind', () => {
    expect(first.map((r) => r.student)).toEqual([
      'a b',
      'a_b',
      'alice',
      'bob-tampers',
      'carol-breaks',
      'erin-deletes',
      'eve-forges',
      'hal-attacks',
      'ivy-cheats',
      'jo-patches',
      'kim-escapes',
      'mo-fills-memory',
      'ned-fills-disk',
      'pat-links',
    ]);
    expect(row('alice')).toMatchObject({ points: 30, maxPoints: 30, timedOut: [], crashed: [], missing: [] });
    expect(row('a b').points).toBe(0);
    expect(fs.readdirSync(root).filter((name) => name.startsWith('.gradebook-'))).toEqual([]);
  });

  it('a loop, an exit and a mutant each cost only their own exercise; the check a loop is in says "timed out"', () => {
    // The code runs in a process of its own: the watchdog ends the loop, and the check that called it says so.
    expect(points('carol-breaks')['08-retry-backoff']).toBe(0);
    expect(row('carol-breaks').timedOut).toEqual([]);
    expect(points('carol-breaks')['07-pub-sub']).toBe(0);
    expect(row('carol-breaks').exercises['07-pub-sub'].reason).toMatch(/the submission's process has ended/);
    const mutant = row('carol-breaks').exercises['09-circuit-breaker'];
    expect(mutant.points).toBeGreaterThan(0);
    expect(mutant.points).toBeLessThan(10);
    expect(mutant.failed).toContainEqual({ check: 'CircuitBreaker › [5] lets only one trial call through while half-open', hidden: true });
  });

  it('a submission with deleted files loses only those exercises; the deleted folder is "missing"', () => {
    expect(points('erin-deletes')).toEqual({ '08-retry-backoff': 0, '07-pub-sub': 0, '09-circuit-breaker': 0 });
    expect(row('erin-deletes').missing).toEqual(['09-circuit-breaker']);
  });

  it('a submission’s own checks are ignored: the tampered starter scores 0', () => {
    expect(row('bob-tampers').points).toBe(0);
    // The checks counted are the course's (as many as the solution's), never his.
    expect(row('bob-tampers').exercises['09-circuit-breaker'].total).toBe(row('alice').exercises['09-circuit-breaker'].total);
  });

  it('no attack passes: not re-exporting the solution, killing the hidden checks, leaking them, patching the test framework', () => {
    expect(row('erin-deletes').exercises['08-retry-backoff'].problems.join('\n')).toContain(`${LAYOUT.solutions}/08-retry-backoff/retry`);
    // From a process of its own, killing the hidden checks or patching the framework reaches nothing:
    // the solution beneath earns its points, no more. The hidden checks are not in its sandbox to read.
    expect(points('ivy-cheats')).toEqual({ '08-retry-backoff': 10, '07-pub-sub': 10, '09-circuit-breaker': 0 });
    expect(row('ivy-cheats').exercises['07-pub-sub'].problems).toEqual([]);
    expect(row('ivy-cheats').exercises['09-circuit-breaker'].reason).toMatch(/ENOENT/);
    // Jo's stub under the patch: the patch finds no framework, the stub earns what it earns.
    expect(row('jo-patches').exercises['09-circuit-breaker'].problems).toEqual([]);
    expect(row('jo-patches').exercises['09-circuit-breaker'].points).toBeLessThan(10);
    // Eve's hook flips failures only where the code shares the checks' process: here her starter scores 0.
    expect(row('eve-forges').exercises['09-circuit-breaker']).toMatchObject({ points: 0, problems: [] });
    expect(row('eve-forges').exercises['09-circuit-breaker'].reason).toMatch(/TODO: CircuitBreaker constructor/);
    // Hal's code is only the attack around a stub: it earns what the stub earns, never full marks.
    for (const id of IDS) expect(row('hal-attacks').exercises[id].points, id).toBeLessThan(exercise(id).points);
  });

  it('an escape to the host as root fails: /proc/sys and /sys are read-only, the host’s core_pattern unchanged', () => {
    const escape = row('kim-escapes').exercises['08-retry-backoff'];
    expect(escape.points).toBe(0);
    // Its own sandbox has an empty /proc (the grading's has /proc/sys read-only).
    expect(escape.reason).toMatch(/\/proc\/sys\/kernel\/core_pattern: (EROFS|ENOENT)/);
    expect(escape.reason).not.toContain('written');
    expect(corePattern()).toBe(before.corePattern);
    expect(fs.existsSync('/tmp/workbook-escaped-to-host')).toBe(false);
  });

  it('a takeover of the grader through its inspector gains nothing: it sees no process to signal or read, no inspector listens', () => {
    const takeover = row('kim-escapes').exercises['07-pub-sub'];
    expect(takeover.points).toBe(0);
    expect(takeover.reason).toMatch(/takeover attempt: SIGUSR1 sent to 0, refused with nothing; inspector: ECONNREFUSED; memory of 0 other node processes opened \(none seen\)/);
    // The other exercises of the same sandbox were graded by a grader the attack did not reach.
    expect(row('kim-escapes').points).toBe(0);
  });

  it('a fork bomb is stopped as "too many processes", for that submission alone, and leaves no process', () => {
    // Python's os.fork is behind no rule: the bomb starts, and the sandbox's process limit stops it.
    const stopped = ['it started more than 256 processes (too many processes) and was stopped'];
    expect(bomb.exercises[FORKS]).toMatchObject({ points: 0, status: 'error', problems: stopped });
    expect(bombClassmate).toMatchObject({ points: 10, maxPoints: 10 });
    expect(lingering()).toEqual([]);
  });

  it('files on /dev and /dev/shm count as memory: /dev is read-only, a full /dev/shm stops the submission', () => {
    for (const id of IDS) expect(row('mo-fills-memory').exercises[id].problems, id).toEqual(['it filled the 64 MB of /dev/shm (files there are held in memory) and was stopped']);
    expect(row('mo-fills-memory').points).toBe(0);
  });

  it('filling the disk from the scratch folder stops at its size limit, the host’s disk untouched', () => {
    for (const id of IDS) expect(row('ned-fills-disk').exercises[id].problems, id).toEqual(['it filled the 64 MB of its scratch folder (files there are held in memory) and was stopped']);
    expect(row('ned-fills-disk').points).toBe(0);
  });

  it('a submission whose `exercises` is a link to the master’s solutions is refused, not graded', () => {
    for (const id of IDS) {
      expect(row('pat-links').exercises[id], id).toMatchObject({ points: 0, status: 'error', problems: ['refused, not graded: exercises is a symbolic link: the gradebook grades only folders the submission holds itself'] });
    }
  });

  it('no host path in the sandbox’s command lines and environments, none in any feedback', () => {
    expect(row('kim-escapes').exercises['09-circuit-breaker'].reason).toMatch(/^host paths in command lines and environments: none; /);
    const files = snapshot(path.join(work, 'first'));
    const leaks = Object.entries(files).filter(([file, text]) => file.startsWith('feedback') && [root, fs.realpathSync(root), work].some((host) => text.includes(host)));
    expect(leaks.map(([file]) => file)).toEqual([]);
  });

  it('changes no file outside each submission’s own workspace: not the master copy, not a classmate’s', () => {
    expect(masterChecksum()).toBe(before.master);
    expect(snapshot(submissions)).toEqual(before.submissions);
  });

  it('leaves no process behind', () => {
    expect(lingering()).toEqual([]);
  });

  it('writes the CSV, the JSON and one feedback file per student, two students whose names meet included', () => {
    const files = snapshot(path.join(work, 'first'));
    expect(files['gradebook.csv'].split('\n').slice(0, 2)).toEqual(['student,08-retry-backoff,07-pub-sub,09-circuit-breaker,total,max,timed_out,crashed,missing', 'a b,0,0,0,0,30,,,']);
    expect(files['gradebook.csv']).toContain('alice,10,10,10,30,30,,,');
    expect(JSON.parse(files['gradebook.json'])).toEqual({ exercises: IDS, students: first });
    const feedback = Object.keys(files).filter((f) => f.startsWith('feedback'));
    expect(feedback.length).toBe(first.length);
    expect(feedback.filter((f) => /^feedback\/a_b-[0-9a-f]{8}\.md$/.test(f))).toHaveLength(2);
    expect(files[path.join('feedback', 'carol-breaks.md')]).toContain('- (hidden check) CircuitBreaker › [5] lets only one trial call through while half-open');
    expect(files[path.join('feedback', 'carol-breaks.md')]).toMatch(/timed out: the code under test did not answer within \d+ s/);
  });

  it('quotes no hidden check and no line of a solution in any feedback', () => {
    const files = snapshot(path.join(work, 'first'));
    const feedback = Object.entries(files).filter(([file]) => file.startsWith('feedback')).map(([, text]) => text).join('\n');
    const hiddenLines = ALL_EXERCISES.flatMap((e) => [e.hiddenChecks, e.hiddenHarness])
      .flatMap((file) => (fs.existsSync(path.join(root, file)) ? fs.readFileSync(path.join(root, file), 'utf8').split('\n') : []))
      .map((line) => line.trim())
      .filter((line) => line.length >= 30);
    expect(hiddenLines.filter((line) => feedback.includes(line))).toEqual([]);
    expect([...distinctiveSolutionLines(root, ALL_EXERCISES).keys()].filter((line) => feedback.includes(line))).toEqual([]);
    // What would be withheld never gets there: the hidden checks are not in the sandbox of the submission's code.
    expect(files[path.join('feedback', 'ivy-cheats.md')]).not.toContain('(withheld');
  });

  it('writes the same files when graded again, in two shards merged', () => {
    const merged = snapshot(path.join(work, 'merged'));
    expect(Object.keys(merged).filter((file) => file.startsWith('feedback'))).toHaveLength(SHARDED.length);
    expect(merged).toEqual(snapshot(path.join(work, 'first-sharded-ones')));
  });

  // Once: grade.test runs every check of every solution 10 times, outside the sandbox; this proves the sandbox takes nothing a check needs.
  it('scores the reference solutions 100% inside the sandbox, services bridged', async () => {
    const solo = path.join(work, 'solo');
    plantSubmission(root, path.join(solo, 'ref'), { base: 'solution' });
    const [reference] = await gradeClass({ submissionsDir: solo, exercises: EXERCISES });
    expect(Object.entries(reference.exercises).filter(([, e]) => e.points !== e.maxPoints).map(([id, e]) => `${id}: ${e.status} ${[...e.problems, ...e.failed.map((f) => f.check)].join('; ')}`)).toEqual([]);
    // Every exercise runs its code in a process of its own: 181 s on the idle machine, over 300 s in
    // a CI run beside another test file.
  }, minutes(12));
});
