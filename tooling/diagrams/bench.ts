/**
 * `npm run bench:diagrams -- --render`: the renderer against one `mmdc` per diagram (see
 * render-bench.ts).
 *
 * `npm run bench:diagrams -- [lesson id] [--rounds N]`: what drawing diagrams as images costs a
 * student running a lesson. The same lesson runs through real Jupyter and the workbook kernel with
 * diagrams off (shown as their mermaid source: the anchor) and on, their images already in the
 * cache, in alternating rounds in one run; it prints the median of each and their ratio. Goal: at
 * most 1.2x. A first run, not timed, fills the cache. Default lesson: the one that shows the most
 * diagrams from its code.
 * @module
 */
import { findRoot, loadLessons } from '../course';
import { joinText, readNotebook } from '../notebook';
import { executeNotebook, describeFailure } from '../notebooks/run';
import { findJupyterPython } from '../programs';
import path from 'node:path';
import { renderBench } from './render-bench';

const GOAL = 1.2;

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

function diagramCalls(file: string): number {
  return readNotebook(file).cells.filter((cell) => cell.cell_type === 'code' && /\bshowMermaid\(/.test(joinText(cell.source))).length;
}

async function timedRun(file: string, python: string, diagrams: 'on' | 'off'): Promise<number> {
  if (diagrams === 'off') process.env.WORKBOOK_DIAGRAMS = 'off';
  else delete process.env.WORKBOOK_DIAGRAMS;
  const run = await executeNotebook(file, { python });
  if (!run.ok) throw new Error(describeFailure(run));
  return run.seconds;
}

async function main(args: string[]): Promise<number> {
  const root = findRoot(__dirname);
  if (args.includes('--render')) return renderBench(root);
  const python = findJupyterPython();
  if (!python) {
    console.error('Jupyter (python3 with nbclient) was not found: run ./setup.');
    return 1;
  }
  const rounds = Number(args[args.indexOf('--rounds') + 1]) || 3;
  const lessons = loadLessons(root);
  const wanted = args.find((arg) => !arg.startsWith('--') && !/^\d+$/.test(arg));
  const lesson = wanted
    ? lessons.find((l) => l.id === wanted || l.number === wanted)
    : [...lessons].sort((a, b) => diagramCalls(path.join(root, b.file)) - diagramCalls(path.join(root, a.file)))[0];
  if (!lesson) {
    console.error(`No lesson "${wanted}". Lessons: ${lessons.map((l) => l.id).join(', ')}`);
    return 1;
  }
  const file = path.join(root, lesson.file);
  console.log(`${lesson.file}: ${diagramCalls(file)} cell(s) show a diagram; ${rounds} rounds, after one run that fills the cache`);
  await timedRun(file, python, 'on');
  const seconds = { off: [] as number[], on: [] as number[] };
  for (let round = 0; round < rounds; round++) {
    for (const mode of round % 2 === 0 ? (['off', 'on'] as const) : (['on', 'off'] as const)) seconds[mode].push(await timedRun(file, python, mode));
  }
  const ratio = median(seconds.on) / median(seconds.off);
  console.log('| diagrams | runs (s) | median (s) |\n| --- | --- | ---: |');
  for (const mode of ['off', 'on'] as const) console.log(`| ${mode === 'off' ? 'off (anchor): mermaid source' : 'on: images from the cache'} | ${seconds[mode].map((s) => s.toFixed(1)).join(', ')} | ${median(seconds[mode]).toFixed(1)} |`);
  console.log(`ratio on/off: ${ratio.toFixed(2)}x (goal: at most ${GOAL}x) ${ratio <= GOAL ? 'met' : 'NOT met'}`);
  return ratio <= GOAL ? 0 : 1;
}

main(process.argv.slice(2)).then(
  (code) => (process.exitCode = code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  },
);
