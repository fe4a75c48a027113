/**
 * The workbook's grading command.
 *
 *   npm run grade                      grade every exercise in exercises/
 *   npm run grade -- 08                grade one exercise (number, slug or NN-slug); several may follow
 *   npm run grade                      in exercises/NN-slug/ (or below): grade that exercise
 *   npm run grade -- --solutions       grade the reference solutions
 *   npm run grade -- --dir my-copy     grade another folder of NN-slug/ folders
 *   npm run grade -- --json            print the result as JSON (use `npm run -s` to keep npm quiet)
 *   npm run grade -- 08 --watch        re-grade whenever a file of the exercise changes
 *   (in a notebook: `await grade('08')`, from ./checker/grade/notebook)
 *   npm run hint -- 08                 show the next hint of exercise 08
 *
 * Exit code: 0 when every graded exercise passes, 1 when one does not or is unknown, 2 on a usage error.
 * @module
 */
import path from 'node:path';
import { Command, InvalidArgumentError, Option } from 'commander';
import pc from 'picocolors';
import { findExercise, findRoot, LAYOUT, loadExercises, ManifestError } from '../../tooling/course';
import { DEFAULT_TIME_LIMIT_MS, grade, type GradeOptions } from './grade';
import { nextHint, shownTitle } from './hints';
import { renderDetails, renderReport, renderTable } from './output';
import { sealResult, takeResultKey } from './result-seal';
import { drawTraceDiagrams, failureDiagrams } from './trace-diagrams';
import { TRACES_FOLDER } from './trace-dirs';
import { watchAndGrade } from './watch';

/** The gradebook's key to seal the result with (result-seal.ts), out of the environment before any check runs. */
const resultKey = takeResultKey();

interface GradeFlags {
  solutions?: boolean;
  dir?: string;
  json?: boolean;
  notebook?: boolean;
  serve?: boolean;
  watch?: boolean;
  timeLimit: number;
  repeats?: number;
  trace?: boolean;
  ownProcess?: 'process' | 'sandbox';
}

function seconds(value: string): number {
  const n = Number(value);
  if (!(n > 0)) throw new InvalidArgumentError('expected a number of seconds > 0');
  return n;
}

/**
 * The exercise whose folder (or a folder in it) the command was started from: npm runs a script
 * from the workbook's root and says where it was started in `INIT_CWD`.
 */
function exerciseHere(root: string): string | undefined {
  const started = process.env.INIT_CWD;
  if (!started) return undefined;
  const [folder] = path.relative(path.join(root, LAYOUT.exercises), path.resolve(started)).split(path.sep);
  if (!folder || folder === '..' || path.isAbsolute(folder)) return undefined;
  return loadExercises(root).find((e) => e.id === folder)?.id;
}

/** What a notebook's grade() shows (notebook.ts): the words a student reads in the terminal, and the failures' diagrams. */
async function notebookGrade(options: GradeOptions, heading: string) {
  const report = await grade(options);
  await drawTraceDiagrams(report, findRoot(__dirname), options.trace ?? false, options.isolate);
  return { ok: report.ok, text: renderReport(report, heading, { everyItem: true }), diagrams: failureDiagrams(report) };
}

/**
 * `--serve`, for a notebook's grade() (notebook.ts): grades whenever the notebook asks over IPC
 * (`{ exercises, dir }`), vitest and the type-checker kept warm between gradings, until the
 * notebook's kernel goes.
 */
function serveNotebook(options: GradeOptions): void {
  let queue = Promise.resolve();
  process.on('message', (request: { exercises: string[]; dir?: string }) => {
    const dir = request.dir ?? LAYOUT.exercises;
    // One grading at a time: the warm vitest runs one.
    queue = queue.then(() =>
      notebookGrade({ ...options, exercises: request.exercises, dir, warm: true }, `Grading ${dir}/`).then(
        (graded) => void process.send?.({ graded }),
        (error: unknown) => void process.send?.({ error: error instanceof Error ? error.message : String(error) }),
      ),
    );
  });
  process.on('disconnect', () => process.exit(0));
}

async function gradeCommand(queries: string[], flags: GradeFlags): Promise<number> {
  const dir = flags.dir ?? (flags.solutions ? LAYOUT.solutions : LAYOUT.exercises);
  // Started in an exercise's folder with no exercise named: that exercise, which the student is working on.
  const here = queries.length === 0 && !flags.dir && !flags.solutions ? exerciseHere(findRoot(__dirname)) : undefined;
  if (here) queries = [here];
  const heading = here ? `Grading ${dir}/${here}/ (the folder you are in; from the workbook's root, npm run grade grades every exercise)` : `Grading ${dir}/`;
  const options: GradeOptions = { exercises: queries, dir, timeLimitMs: flags.timeLimit * 1000, repeats: flags.repeats, trace: flags.trace, isolate: flags.ownProcess };
  if (flags.serve) {
    serveNotebook(options);
    return 0;
  }
  if (flags.watch) {
    await watchAndGrade(options, (report, { trigger, ms, exercises }) => {
      if (flags.json) return console.log(JSON.stringify({ trigger, ms: Math.round(ms), report }));
      if (trigger === 'start') return console.log(`${renderReport(report, heading)}\n\n${pc.dim('Watching for changes; Ctrl-C stops.')}`);
      const details = report.exercises.map(renderDetails).filter(Boolean).join('\n\n');
      console.log(`\n${pc.dim(`${new Date().toLocaleTimeString()}: ${exercises.join(', ')} re-graded in ${(ms / 1000).toFixed(1)} s`)}\n${renderTable(report)}${details ? `\n\n${details}` : ''}`);
    });
    return 0;
  }
  if (flags.notebook) {
    const { ok, ...graded } = await notebookGrade(options, heading);
    console.log(JSON.stringify(graded));
    return ok ? 0 : 1;
  }
  const report = await grade(options);
  const drawn = flags.json ? 0 : await drawTraceDiagrams(report, findRoot(__dirname), flags.trace ?? false, flags.ownProcess);
  if (flags.trace && !flags.json) console.log(pc.dim(`${drawn} sequence diagrams of network checks drawn, in the ${TRACES_FOLDER}/ folder of each exercise graded`));
  if (flags.json && resultKey) console.log(sealResult(resultKey, JSON.stringify(report)));
  else console.log(flags.json ? JSON.stringify(report, null, 2) : renderReport(report, heading));
  return report.ok ? 0 : 1;
}

function hintCommand(query: string | undefined, flags: { all?: boolean; reset?: boolean }): number {
  const root = findRoot(__dirname);
  const chosen = query ?? exerciseHere(root);
  if (!chosen) {
    console.error('Which exercise? `npm run hint -- 08` shows the next hint of exercise 08 (or run it in the exercise\'s folder).');
    return 2;
  }
  const exercise = findExercise(loadExercises(root), chosen);
  const step = nextHint(root, exercise, flags);
  if (step.count === 0) {
    console.log(`${exercise.id} has no hints.`);
    return 0;
  }
  for (const { number, hint } of step.hints) {
    const why = step.forItem ? ` (for item ${step.forItem} of the README, the first your code fails)` : '';
    console.log(`${pc.bold(`${exercise.id}, hint ${number} of ${step.count}${why}: ${shownTitle(hint)}`)}\n\n${hint.body}\n`);
  }
  if (step.exhausted && !flags.all) console.log(pc.dim(`That was the last hint. \`npm run hint -- ${exercise.number} --reset\` starts over.`));
  else if (!flags.all) console.log(pc.dim(`Ask again for the next one; \`--all\` shows every hint so far.`));
  return 0;
}

const program = new Command()
  .name('cli')
  .description('Grade the exercises of the workbook and show hints.')
  .exitOverride((error) => process.exit(error.exitCode === 0 ? 0 : 2));

program
  .command('grade')
  .description('run the public checks against your exercises (the instructor\'s copy adds the hidden ones) and show the score')
  .argument('[exercises...]', "exercise numbers, slugs or ids (default: all; in an exercise's folder, that one)")
  .option('--solutions', 'grade the reference solutions instead of exercises/')
  .option('--dir <folder>', 'grade this folder of NN-slug/ folders instead of exercises/')
  .option('--json', 'print the result as JSON')
  .addOption(new Option('--notebook', "print the text and the result as JSON, for a notebook's grade()").hideHelp())
  .addOption(new Option('--serve', "grade whenever a notebook's grade() asks over IPC, vitest and tsc kept warm").hideHelp())
  .option('--watch', 're-grade an exercise whenever one of its files changes')
  .option('--trace', 'write the sequence diagram of every network check, passing ones too (failing ones always)')
  .option('--time-limit <seconds>', 'wall time the checks of one exercise may take', seconds, DEFAULT_TIME_LIMIT_MS / 1000)
  .addOption(
    new Option('--own-process <how>', "run the submission's code in a process of its own, apart from the checks (the gradebook: in a sandbox of its own)").choices(['process', 'sandbox']).hideHelp(),
  )
  .addOption(new Option('--repeats <n>', 'run every check n more times (proofs of stability)').argParser(Number).hideHelp())
  .action(async (queries: string[], flags: GradeFlags) => {
    process.exitCode = await gradeCommand(queries, flags);
  });

program
  .command('hint')
  .description('show the next hint of an exercise')
  .argument('[exercise]', "exercise number, slug or id (default: the exercise whose folder you are in)")
  .option('--all', 'show every hint shown so far')
  .option('--reset', 'start the hints of this exercise over')
  .action((query: string | undefined, flags: { all?: boolean; reset?: boolean }) => {
    process.exitCode = hintCommand(query, flags);
  });

program.parseAsync(process.argv).catch((error: unknown) => {
  console.error(pc.red(error instanceof Error ? error.message : String(error)));
  // An unknown exercise is a failed grading (1), like a failing one; 2 is for malformed options.
  process.exitCode = error instanceof ManifestError ? 1 : 2;
});
