/**
 * Mutants: plausible wrong implementations that the checks must catch (mutants.test.ts). Each
 * exercise's record lists its mutants and the check that must catch each.
 *
 * A mutant is a folder `solutions/NN-slug/mutants/<mutant-name>/`, in one of two forms:
 * - `mutation.txt`: a small edit of the reference solution (or, with a line `base: starter`, of the
 *   starter), so that no second copy of it has to be kept in step with it:
 *
 *       One line or more saying what is wrong, and why someone would write it.
 *       --- retry.ts
 *       <<<<
 *       text of the solution, exactly once in retry.ts
 *       ====
 *       what it becomes in the mutant
 *       >>>>
 *
 *   (any number of `--- file` sections and `<<<< ==== >>>>` blocks; a mutant needs at least one).
 *   Other files beside mutation.txt are added as they are (a planted submission's extra files);
 * - or the exercise's .ts files themselves, used as they are.
 *
 * {@link materialize} turns either form into a folder the grader can grade.
 * @module
 */
import fs from 'node:fs';
import path from 'node:path';
import { isCheckFileName, type Exercise, type Mutant } from '../../tooling/course';
import { toPosix } from '../../tooling/files';

/** One find-and-replace of a mutation. */
interface Edit {
  file: string;
  find: string;
  replace: string;
}

/** A parsed mutation.txt. */
export interface Mutation {
  description: string;
  /** What the edits apply to: the reference solution (the default) or the starter. */
  base: 'solution' | 'starter';
  edits: Edit[];
}

/** Parses the text of a mutation.txt; throws on a malformed block. */
export function parseMutation(text: string): Mutation {
  const lines = text.replace(/\r\n/g, '\n').split('\n');
  const description: string[] = [];
  const edits: Edit[] = [];
  let base: Mutation['base'] = 'solution';
  let file: string | undefined;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (line.startsWith('--- ')) {
      file = line.slice(4).trim();
    } else if (line === '<<<<') {
      if (!file) throw new Error(`line ${i + 1}: a <<<< block before any "--- file" line`);
      const middle = lines.indexOf('====', i);
      const end = lines.indexOf('>>>>', middle);
      if (middle < 0 || end < 0) throw new Error(`line ${i + 1}: a <<<< block without its ==== and >>>>`);
      edits.push({ file, find: lines.slice(i + 1, middle).join('\n'), replace: lines.slice(middle + 1, end).join('\n') });
      i = end;
    } else if (!file && /^base: (solution|starter)$/.test(line.trim())) {
      base = line.trim().slice('base: '.length) as Mutation['base'];
    } else if (!file) {
      description.push(line);
    }
  }
  return { description: description.join('\n').trim(), base, edits };
}

/** Applies edits to the files of `dir`, in place. Each `find` must occur exactly once. */
function applyEdits(dir: string, edits: Edit[]): void {
  for (const edit of edits) {
    const file = path.join(dir, edit.file);
    const text = fs.readFileSync(file, 'utf8');
    const count = text.split(edit.find).length - 1;
    if (count !== 1) {
      throw new Error(`${edit.file}: the text to replace occurs ${count} times (expected once); has the solution changed?\n${edit.find}`);
    }
    fs.writeFileSync(file, text.replace(edit.find, () => edit.replace));
  }
}

/**
 * Copies the code files (.ts, .py; not the check files of an exercise folder) of `from` into `to`, rewriting relative TypeScript imports that leave the folder
 * (`../../toolkit/netsim`) so that they still point at the same files from the new place.
 */
export function copyExercise(from: string, to: string): void {
  fs.mkdirSync(to, { recursive: true });
  for (const name of fs.readdirSync(from).filter((n) => /\.(ts|py)$/.test(n) && !isCheckFileName(n))) {
    const text = fs.readFileSync(path.join(from, name), 'utf8').replace(/(from\s+|import\s*\(\s*)(['"])(\.\.\/[^'"]+)\2/g, (_all, keyword: string, quote: string, specifier: string) => {
      const target = path.resolve(from, specifier);
      const moved = toPosix(path.relative(to, target));
      return `${keyword}${quote}${moved.startsWith('.') ? moved : `./${moved}`}${quote}`;
    });
    fs.writeFileSync(path.join(to, name), text);
  }
}

/**
 * Writes the code a recipe folder (a mutant, or a planted submission) stands for into `to`: the
 * exercise's solution with the edits of its mutation.txt, or else the folder's own files. `copy`
 * copies a folder (default: {@link copyExercise}, which keeps relative imports working from
 * anywhere).
 */
export function writeRecipe(root: string, exercise: Exercise, recipeDir: string, to: string, copy = copyExercise): void {
  const recipe = path.join(root, recipeDir, 'mutation.txt');
  if (!fs.existsSync(recipe)) return copy(path.join(root, recipeDir), to);
  const mutation = parseMutation(fs.readFileSync(recipe, 'utf8'));
  copy(path.join(root, mutation.base === 'starter' ? exercise.dir : exercise.solutionDir), to);
  for (const name of fs.readdirSync(path.join(root, recipeDir)).filter((n) => n !== 'mutation.txt')) {
    fs.cpSync(path.join(root, recipeDir, name), path.join(to, name), { recursive: true });
  }
  applyEdits(to, mutation.edits);
}

/**
 * Makes a gradable folder for `mutant` of `exercise`, under `workDir`.
 * @returns the folder to grade.
 */
export function materialize(root: string, exercise: Exercise, mutant: Mutant, workDir: string): string {
  const recipe = path.join(root, mutant.dir, 'mutation.txt');
  if (fs.existsSync(recipe) && parseMutation(fs.readFileSync(recipe, 'utf8')).edits.length === 0) {
    throw new Error(`${path.relative(root, recipe)}: a mutant needs at least one <<<< ==== >>>> block`);
  }
  const dir = path.join(workDir, mutant.name, exercise.id);
  writeRecipe(root, exercise, mutant.dir, dir);
  return dir;
}
