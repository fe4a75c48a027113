/**
 * `npm run grade -- --watch`: grades once, then re-grades an exercise whenever a file in its
 * folder changes, with vitest and the type-checker kept warm between gradings (grade.ts's `warm`):
 * a re-grade after a save takes a fraction of a cold grading, and grades exactly as one.
 * @module
 */
import fs from 'node:fs';
import { findExercise, findRoot, loadExercises } from '../../tooling/course';
import { grade, submissionDir, type GradeOptions, type GradeReport } from './grade';

/** Called after every grading: the first one of everything watched, then one per change. */
export type OnGraded = (report: GradeReport, info: { trigger: 'start' | 'change'; ms: number; exercises: string[] }) => void;

/** How long to wait for more changes before re-grading: editors save in several steps. */
const SETTLE_MS = 60;

/** Watches until the process ends. */
export async function watchAndGrade(options: GradeOptions, onGraded: OnGraded): Promise<void> {
  const root = options.root ?? findRoot(__dirname);
  const all = loadExercises(root);
  const exercises = options.exercises?.length ? options.exercises.map((q) => findExercise(all, q)) : all;

  let running = Promise.resolve();
  const run = (ids: string[], trigger: 'start' | 'change') => {
    running = running
      .then(async () => {
        const started = performance.now();
        const report = await grade({ ...options, root, exercises: ids, warm: true });
        onGraded(report, { trigger, ms: performance.now() - started, exercises: ids });
      })
      .catch((error: unknown) => console.error(`grading ${ids.join(', ')} failed: ${error instanceof Error ? error.message : String(error)}`));
    return running;
  };

  // Watch first, grade second: a file saved during the first grading is not missed.
  for (const exercise of exercises) {
    let timer: NodeJS.Timeout | undefined;
    const dir = submissionDir(root, exercise, options);
    if (!fs.existsSync(dir)) continue;
    fs.watch(dir, (_event, file) => {
      if (file && !String(file).endsWith('.ts')) return;
      clearTimeout(timer);
      timer = setTimeout(() => void run([exercise.id], 'change'), SETTLE_MS);
    });
  }
  await run(
    exercises.map((e) => e.id),
    'start',
  );
  await new Promise<never>(() => {});
}
