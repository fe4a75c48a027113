/**
 * Every mutant that survived the latest `npm run mutation` of an exercise is accounted for: listed,
 * with the reason, in `solutions/NN-slug/stryker-equivalent.json`; any other survivor needs a
 * check that kills it. Reads the committed records (`solutions/NN-slug/stryker.json`, see
 * record.ts); runs no Stryker. An exercise listed in `pending.json` has no current record, none at
 * all or one made before its solution or checks last changed, and the listing says why; its old
 * record and reviewed equivalents are kept for the next run to start from, and are not held to
 * the current code.
 */
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { findRoot, loadExercises } from '../../../tooling/course';
import { account, describeSurvivor, fingerprint, readEquivalents, readPending, readRecord, strykerFiles } from './record';

const root = findRoot(__dirname);
const all = loadExercises(root);
/** Stryker mutates TypeScript only. */
const mutable = all.filter((e) => e.language === 'typescript');
const pending = readPending(root);
const recorded = mutable.filter((e) => readRecord(root, e) !== undefined);
const isCurrent = (e: (typeof all)[number]) => readRecord(root, e)?.fingerprint === fingerprint(root, e, all);
/** The exercises whose record must be current and accounted for: those with one that pending.json does not list. */
const held = recorded.filter((e) => !pending[e.id]?.trim());

describe('mutation testing of the checks (npm run mutation)', () => {
  it('has a recorded run for every TypeScript exercise, or says in pending.json why it has no current one', () => {
    const missing = mutable.filter((e) => !recorded.includes(e) && !pending[e.id]?.trim()).map((e) => e.id);
    expect(missing, `run \`npm run mutation -- NN\` for these, or list them in ${strykerFiles(root).pending} with the reason`).toEqual([]);
  });

  it('lists in pending.json only exercises that exist and have no current record (a new run takes them off the list)', () => {
    const wrong = Object.keys(pending).filter((id) => !mutable.some((e) => e.id === id && !isCurrent(e)));
    expect(wrong).toEqual([]);
  });

  it('keeps equivalent-mutant lists only for exercises with a recorded run', () => {
    const lists = all.filter((e) => fs.existsSync(strykerFiles(root).equivalents(e)));
    expect(lists.filter((e) => !recorded.includes(e)).map((e) => e.strykerEquivalents)).toEqual([]);
  });

  describe.each(held.map((e) => [e.id, e] as const))('%s', (_id, exercise) => {
    const record = readRecord(root, exercise)!;

    it('was recorded with the current solution and checks', () => {
      expect(record.exercise).toBe(exercise.id);
      expect(record.fingerprint, `the solution or the checks of ${exercise.id} changed since its mutation run: run \`${record.command}\``).toBe(fingerprint(root, exercise, all));
    });

    it('has every survivor killed by a check or listed as equivalent, with a reason, and no other listing', () => {
      const listed = readEquivalents(root, exercise);
      const { unaccounted, stale } = account(record.survivors, listed);
      expect(unaccounted.map((s) => describeSurvivor(exercise.solutionDir, s)), 'survivors that need a check (or, when no program that behaves so is wrong, a listing)').toEqual([]);
      expect(stale, 'listings that match no survivor of the recorded run: remove them').toEqual([]);
      expect(listed.filter((e) => e.reason.trim().length < 20), 'listings without a reason').toEqual([]);
    });
  });
});
