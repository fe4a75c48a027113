/**
 * One cause per failure, in plain words: each planted submission below makes one mistake, and the
 * text `npm run grade` prints for it must name that cause once, in words a student can act on
 * (issue 26, item 2): a type error with its whole explanation and no checks run; a hang with the
 * check it hung in; an error the student's code let through, named as its rejection; a service
 * that went away, as checks not run; a comparison of long sequences, as ranges; a failed network
 * check's run, as a diagram a student can open, drawn around where it went wrong (item 3).
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { LAYOUT } from '../../tooling/course';
import { grade, type GradeOptions, type GradeReport } from '../grade/grade';
import { notebookHtml, type NotebookGrade } from '../grade/notebook';
import { renderReport } from '../grade/output';
import { EXERCISES, minutes, plantFixture, removePlantedFixtures, resultOf, root } from './test-support';

afterAll(removePlantedFixtures);

/** Grades exercise `id` from the planted submission `fixture`; returns the report and the text a student reads. */
async function gradePlanted(id: string, fixture: string | undefined, options: GradeOptions = {}): Promise<{ report: GradeReport; text: string }> {
  const submissions = fixture ? { [id]: plantFixture(fixture, id) } : {};
  const report = await grade({ exercises: [id], dir: LAYOUT.solutions, submissions, ...options });
  return { report, text: stripVTControlCharacters(renderReport(report, 'Grading')) };
}

/** Grades a planted fixture as a notebook's grade() does; with the diagram of the check whose title starts with `check`. */
async function plantedDiagram(fixture: string, id: string, check: string) {
  const planted = plantFixture(fixture, id);
  const dir = path.relative(root, path.dirname(planted));
  const graded = await gradeForNotebook([id.slice(0, 2), '--dir', dir, '--time-limit', '120']);
  const diagram = graded.diagrams.find((d) => d.check.startsWith(check));
  expect(diagram, graded.text).toBeDefined();
  return { planted, dir, graded, diagram: diagram as NonNullable<typeof diagram> };
}

/** What `npm run grade -- <args> --notebook` gives a notebook's grade(). */
function gradeForNotebook(args: string[]): Promise<NotebookGrade> {
  const cli = [path.join(root, 'node_modules', 'tsx', 'dist', 'cli.mjs'), path.join(root, LAYOUT.grader, 'cli.ts'), 'grade', ...args, '--notebook'];
  return new Promise((resolve, reject) => {
    execFile(process.execPath, cli, { cwd: root, env: { ...process.env, NO_COLOR: '1' }, maxBuffer: 64 * 1024 * 1024 }, (_error, stdout, stderr) => {
      try {
        resolve(JSON.parse(stdout.trim().split('\n').pop() ?? '') as NotebookGrade);
      } catch {
        reject(new Error(`no result:\n${stdout}\n${stderr}`));
      }
    });
  });
}

/** How many times `part` occurs in `text`. */
const occurrences = (text: string, part: string) => text.split(part).length - 1;

describe('what a student reads for one mistake', () => {
  it('a type error: its whole diagnostic once, and no checks run, with 0 points', async () => {
    for (const round of ['first', 'again, from the cache']) {
      const { report, text } = await gradePlanted('08-retry-backoff', 'type-error-chain');
      const result = resultOf(report, '08-retry-backoff');
      expect(result, round).toMatchObject({ status: 'failed', passed: 0, points: 0, failures: [] });
      expect(occurrences(text, 'fix the type errors first: checks not run'), `${round}\n${text}`).toBe(1);
      expect(occurrences(text, "retry.ts:106:18 TS2345: Argument of type '(value: T, attempt: number) => void' is not assignable"), round).toBe(1);
      expect(occurrences(text, 'Target signature provides too few arguments. Expected 2 or more, but got 1.'), round).toBe(1);
      expect(text, 'no check is reported as failed').not.toMatch(/^\s+✗ /m);
      expect(text).toMatch(/\? +1\. .*\d+ public checks, not run/);
    }
  }, minutes(4));

  it('a hang: "timed out after N s" names the check that was running', async () => {
    const { report, text } = await gradePlanted('08-retry-backoff', 'sync-loop', { timeLimitMs: 4000, hidden: false });
    expect(resultOf(report, '08-retry-backoff').status).toBe('timed-out');
    expect(text).toContain('timed out after 4 s in the check "backoffDelay › [1] doubles the delay from baseDelayMs: 100, 200, 400, 800 ms": an endless loop');
  }, minutes(3));

  it('a comparison of long sequences: ranges, where they part, never an elided Array(40)', async () => {
    const { text } = await gradePlanted('11-ordered-receiver', 'stops-handing-on', { hidden: false });
    expect(text).toMatch(/seed \d+: what was handed on: got \[1-16\], then nothing; expected \[1-40\]/);
    expect(text).toMatch(/seed \d+: what was handed on from a: got \[1-16\], then nothing; expected \[1-20\]/);
    expect(text).not.toMatch(/Array\(\d+\)|…\(\d+\)|to deeply equal|Object\.is equality/);
  }, minutes(3));

  it('a failed network check: its diagram in the graded folder\'s traces/, the suspicions as notes, drawn around where the run went wrong, linked from the notebook', async () => {
    const { planted, dir, graded, diagram } = await plantedDiagram('timers-never-cleared', '13-failure-detector', 'FailureDetector › [7] ');
    const { source, svg } = diagram;
    expect(source).toMatch(new RegExp(`^${dir.replace(/[.]/g, '\\.')}/13-failure-detector/traces/7-on-a-steady-network-[\\w-]+\\.mmd$`));
    const code = fs.readFileSync(path.join(root, source), 'utf8');
    expect(code, 'a suspicion, as a note over the monitor').toMatch(/^ {2}Note over monitor: t=[\d.]+ suspects worker$/m);
    expect(code).toMatch(/^ {2}Note over monitor: t=[\d.]+ trusts worker again$/m);
    // Around the moment it went wrong: a mark, a few events after it, and the rest of the 2 minutes said.
    const lines = code.trimEnd().split('\n');
    const marked = lines.findIndex((line) => /^ {2}Note over monitor,worker: ✗ t=[\d.]+: /.test(line));
    expect(marked, code).toBeGreaterThan(0);
    const [, at, what] = /✗ t=([\d.]+): (.*)$/.exec(lines[marked]) as RegExpExecArray;
    expect(lines.slice(marked + 1, -1).filter((line) => line.includes('->>')).length).toBeLessThanOrEqual(20);
    expect(lines.at(-1)).toMatch(/^ {2}Note over monitor,worker: … \d+ later events, t=[\d.]+ to t=1199\d\d[\d.]*, not drawn …$/);
    expect(Number(at), 'the run is 2 minutes long: not its end').toBeLessThan(60_000);
    // The terminal's words: the same moment, and the files, relative to the workbook's root.
    expect(graded.text).toContain(`✗ t=${at}: ${what}`);
    expect(graded.text).toContain(svg ? `as a sequence diagram: ${svg} (mermaid source: ${source})` : `as a sequence diagram: ${source}`);
    // The notebook's links open those files from a lesson (lessons/) and from a scratch notebook at the root.
    for (const from of [path.join(root, LAYOUT.lessons), root]) {
      const hrefs = [...notebookHtml(graded, from).matchAll(/<a href="([^"]+)"/g)].map((m) => decodeURIComponent(m[1]));
      expect(hrefs).toContain(path.relative(from, path.join(root, svg ?? source)).split(path.sep).join('/'));
      for (const href of hrefs) expect(fs.existsSync(path.resolve(from, href)), href).toBe(true);
    }
    // Graded again once the code is right, the diagrams of the earlier failures go (a file of the student's stays).
    const traces = path.join(planted, 'traces');
    fs.writeFileSync(path.join(traces, 'my-notes.txt'), 'mine\n');
    fs.copyFileSync(path.join(root, LAYOUT.solutions, '13-failure-detector', 'failure-detector.ts'), path.join(planted, 'failure-detector.ts'));
    const { report } = await gradePlanted('13-failure-detector', undefined, { dir, hidden: false, timeLimitMs: 120_000 });
    expect(resultOf(report, '13-failure-detector').status).toBe('passed');
    expect(fs.readdirSync(traces)).toEqual(['my-notes.txt']);
  }, minutes(6));

  it('a failed causal delivery: what the node held and what it delivered as notes over it, drawn up to where the chain stopped', async () => {
    const { graded, diagram } = await plantedDiagram('releases-one-held', '17-causal-delivery', 'CausalBroadcast › [3] delivers a whole chain of held messages');
    const code = fs.readFileSync(path.join(root, diagram.source), 'utf8');
    // b#2, a#2 and b#1 wait for a#1 ('#' is '№' in mermaid); when it comes, the node delivers it and a#2 only.
    const notes = code.split('\n').filter((line) => line.startsWith('  Note over x: '));
    expect(notes, code).toEqual(['t=5 holds b№2', 't=6 holds a№2', 't=7 holds b№1', 't=25 delivers a№1', 't=25 delivers a№2'].map((text) => `  Note over x: ${text}`));
    const mark = 'a№1 reached x: afterwards the held b№1 was deliverable, and should have been delivered then';
    expect(code.trimEnd().split('\n').at(-1), 'marked right after the last delivery, in few words').toBe(`  Note over a,x: ✗ t=25: ${mark}`);
    // The terminal's words: the decisions in the timeline, the same mark, and the check's own message unchanged.
    expect(graded.text).toMatch(/t=7 +x: holds b#1\n/);
    expect(graded.text).toMatch(/t=25 +x: delivers a#1\n +t=25 +x: delivers a#2\n/);
    expect(graded.text).toContain(`✗ t=25: ${mark.replace(/№/g, '#')}`);
    expect(graded.text).toContain('a#1 (vc { a: 1, b: 0, x: 0 }) reached x at t=25, when x had delivered { a: 2, b: 0, x: 0 }: afterwards the held b#1 was deliverable, and should have been delivered then (item 3)');
  }, minutes(4));

  describe.skipIf(!EXERCISES.includes('16-stream-worker'))('with Redis', () => {
    it('an error the checks injected, let through by the student\'s code: "workOnce rejected: ..."', async () => {
      const { text } = await gradePlanted('16-stream-worker', 'rejects-on-failed-apply', { hidden: false });
      const rejected = String.raw`workOnce rejected: database hiccup: transaction rolled back \(injected by the checks\) \(at \S+\/worker\.ts:\d+:\d+\)`;
      const check5 = String.raw`\[5\] does not ack an entry whose effect failed, and applies it later`;
      // Alone, the message follows the check; shared with other checks, it heads their list.
      const alone = new RegExp(`${check5}\\n\\s+${rejected}`);
      const shared = new RegExp(`checks failed with: ${rejected}\\n(?:\\s+- .*\\n)*?\\s+- .*${check5}`);
      expect(alone.test(text) || shared.test(text), text).toBe(true);
    }, minutes(4));

    it('Redis going away mid-run: the checks left are "not run", not failures of the code', async () => {
      // The solution, graded through a relay to Redis that closes for good after its 20th connection.
      const redis = new URL(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
      const sockets = new Set<net.Socket>();
      let accepted = 0;
      const relay = net.createServer((client) => {
        const upstream = net.connect(Number(redis.port || 6379), redis.hostname);
        client.pipe(upstream).pipe(client);
        for (const socket of [client, upstream]) {
          sockets.add(socket);
          socket.on('error', () => {});
          socket.on('close', () => sockets.delete(socket));
        }
        if (++accepted === 20) {
          relay.close();
          for (const socket of sockets) socket.destroy();
        }
      });
      await new Promise<void>((resolve) => relay.listen(0, '127.0.0.1', resolve));
      const saved = process.env.REDIS_URL;
      process.env.REDIS_URL = `redis://${redis.username ? `${redis.username}:${redis.password}@` : ''}127.0.0.1:${(relay.address() as net.AddressInfo).port}`;
      try {
        const { report, text } = await gradePlanted('16-stream-worker', undefined, { hidden: false });
        const result = resultOf(report, '16-stream-worker');
        expect(result.status, text).toBe('not-run');
        expect(result.passed, 'the checks before Redis went away passed').toBeGreaterThan(0);
        expect(result.points).toBe(0);
        expect(text).toMatch(/16-stream-worker .*– not run/);
        expect(text).toMatch(/! not run: Redis went away while the checks ran \(connect ECONNREFUSED 127\.0\.0\.1:\d+\), so \d+ checks could not run; start it again, then grade again/);
        expect(text).toMatch(/– \d+ checks not run: Redis went away while the checks ran/);
        expect(text, 'no check failed for it').not.toMatch(/✗/);
        expect(text).toMatch(/\? +5\. .*0\/1 public, 1 not run/);
      } finally {
        if (saved === undefined) delete process.env.REDIS_URL;
        else process.env.REDIS_URL = saved;
        relay.close();
      }
    }, minutes(4));
  });
});
