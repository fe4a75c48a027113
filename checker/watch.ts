/**
 * `npm run grade -- --watch`: grades once, then re-grades an exercise whenever a file in its
 * folder changes.
 * @module
 */
import fs from 'node:fs';
import path from 'node:path';
import { findExercise, loadCourse } from '../toolkit/course';
import { grade, type GradeOptions, type GradeReport } from './grade';

/** Called after every grading: the first one of everything watched, then one per change. */
export type OnGraded = (report: GradeReport, info: { trigger: 'start' | 'change'; ms: number; exercises: string[] }) => void;

/** How long to wait for more changes before re-grading: editors save in several steps. */
const SETTLE_MS = 60;

/** Watches until the process ends. */
export async function watchAndGrade(options: GradeOptions, onGraded: OnGraded): Promise<void> {
  const course = loadCourse(options.root);
  const exercises = options.exercises?.length ? options.exercises.map((q) => findExercise(course, q)) : course.exercises;
  const dirOf = (id: string) => path.resolve(course.root, options.submissions?.[id] ?? path.join(options.dir ?? 'exercises', id));

  let running = Promise.resolve();
  const run = (ids: string[], trigger: 'start' | 'change') => {
    running = running
      .then(async () => {
        const started = performance.now();
        const report = await grade({ ...options, root: course.root, exercises: ids });
        onGraded(report, { trigger, ms: performance.now() - started, exercises: ids });
      })
      .catch((error: unknown) => console.error(`grading ${ids.join(', ')} failed: ${error instanceof Error ? error.message : String(error)}`));
    return running;
  };

  // Watch first, grade second: a file saved during the first grading is not missed.
  for (const exercise of exercises) {
    let timer: NodeJS.Timeout | undefined;
    const dir = dirOf(exercise.id);
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
