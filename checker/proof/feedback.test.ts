/**
 * One cause per failure, in plain words: each planted submission below makes one mistake, and the
 * text `npm run grade` prints for it must name that cause once, in words a student can act on
 * (issue 26, item 2): a type error with its whole explanation and no checks run; a hang with the
 * check it hung in; an error the student's code let through, named as its rejection; a service
 * that went away, as checks not run; a comparison of long sequences, as ranges.
 */
import net from 'node:net';
import { stripVTControlCharacters } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { LAYOUT } from '../../tooling/course';
import { grade, type GradeOptions, type GradeReport } from '../grade/grade';
import { renderReport } from '../grade/output';
import { EXERCISES, minutes, plantFixture, removePlantedFixtures, resultOf } from './test-support';

afterAll(removePlantedFixtures);

/** Grades exercise `id` from the planted submission `fixture`; returns the report and the text a student reads. */
async function gradePlanted(id: string, fixture: string | undefined, options: GradeOptions = {}): Promise<{ report: GradeReport; text: string }> {
  const submissions = fixture ? { [id]: plantFixture(fixture, id) } : {};
  const report = await grade({ exercises: [id], dir: LAYOUT.solutions, submissions, ...options });
  return { report, text: stripVTControlCharacters(renderReport(report, 'Grading')) };
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
