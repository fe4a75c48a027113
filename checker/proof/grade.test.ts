/**
 * The checks are worth something: every check passes on the reference solutions (and keeps
 * passing when each is run 10 times), and every check fails on the untouched starters.
 */
import { describe, expect, it } from 'vitest';
import { LAYOUT } from '../../tooling/course';
import { grade } from '../grade/grade';
import { EXERCISES, minutes, resultOf } from './test-support';

describe('the checks against the reference solutions and the starters', () => {
  it('pass on solutions/: every check of every exercise, in each of 10 repetitions', async () => {
    const report = await grade({ exercises: EXERCISES, dir: LAYOUT.solutions, repeats: 9 });
    for (const id of EXERCISES) {
      const result = resultOf(report, id);
      expect(result.failures, id).toEqual([]);
      expect(result.problems, id).toEqual([]);
      expect(result.total, `${id} has checks`).toBeGreaterThanOrEqual(10);
      expect(result.passed, id).toBe(result.total);
      expect(result.points, id).toBe(result.maxPoints);
    }
    expect(report.ok).toBe(true);
  }, minutes(4));

  it('all fail on the untouched starters in exercises/: score 0', async () => {
    const report = await grade({ exercises: EXERCISES, dir: LAYOUT.exercises });
    for (const id of EXERCISES) {
      const result = resultOf(report, id);
      expect(result.problems, `${id} starter should type-check`).toEqual([]);
      expect(result.passed, `${id}: checks that pass on the starter`).toBe(0);
      expect(result.failures.length, id).toBe(result.total);
      expect(result.total, id).toBeGreaterThanOrEqual(10);
      expect(result.points, id).toBe(0);
      // The starter fails because it is not written yet, not by accident.
      expect(result.failures.some((f) => /TODO/.test(f.message)), `${id} fails on its TODOs`).toBe(true);
    }
    expect(report.points).toBe(0);
    expect(report.ok).toBe(false);
  }, minutes(3));
});

describe('checks that need a service that is not there', () => {
  it('reports exercise 10 as "not run: no broker at AMQP_URL" with no points, never as passed', async () => {
    const saved = process.env.AMQP_URL;
    process.env.AMQP_URL = 'amqp://guest:guest@127.0.0.1:1'; // nothing listens on port 1
    try {
      const report = await grade({ exercises: ['10-broker-worker'], dir: LAYOUT.solutions, typeCheck: false });
      const result = resultOf(report, '10-broker-worker');
      expect(result.status).toBe('not-run');
      expect(result.problems).toEqual([expect.stringMatching(/^not run: no broker at AMQP_URL/)]);
      expect(result.passed).toBe(0);
      expect(result.points).toBe(0);
      expect(report.ok).toBe(false);
    } finally {
      if (saved === undefined) delete process.env.AMQP_URL;
      else process.env.AMQP_URL = saved;
    }
  }, minutes(1));
});
