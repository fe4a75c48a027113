/**
 * The sequence diagrams of a grading run's network checks, drawn as SVG images beside their mermaid
 * source (`exercises/NN-slug/traces/<check>.svg`, see trace-dirs.ts), with the renderer the lessons
 * and the site use.
 * The check files write the sources (checker/shared/netsim-trace.ts); drawing needs a browser, so
 * it happens once, after the checks, and only where a person reads the result.
 * @module
 */
import fs from 'node:fs';
import path from 'node:path';
import { LAYOUT } from '../../tooling/course';
import { notebookSvg } from '../../tooling/diagrams/notebook-image';
import { DiagramRenderer, mermaidMessage } from '../../tooling/diagrams/renderer';
import { writeFileAtomic } from '../../tooling/files';
import { findChromium } from '../../tooling/programs';
import type { GradeReport } from './grade';
import type { FailureDiagram } from './notebook';
import { traceDirOf } from './trace-dirs';

/** The end of a trace line that names a diagram's mermaid source. */
const SOURCE_AT_END = /(: )(\S+\.mmd)$/;

/**
 * Draws every diagram a failure of `report` names (and with `all`, every diagram of its exercises)
 * and makes the failure name the SVG. Without a browser the failures keep naming the mermaid source,
 * with the reason. Returns how many diagrams were drawn.
 */
export async function drawTraceDiagrams(report: GradeReport, root: string, all: boolean, isolate?: 'process' | 'sandbox'): Promise<number> {
  const named = report.exercises.flatMap((e) => e.failures.flatMap((f) => f.trace ?? []).flatMap((line) => SOURCE_AT_END.exec(line)?.[2] ?? []));
  const everyOther = all ? report.exercises.flatMap((e) => listSources(traceDirOf(root, e.id, path.resolve(root, e.submission), isolate))).map((file) => path.relative(root, file)) : [];
  const sources = [...new Set([...named, ...everyOther])].filter((file) => fs.existsSync(path.join(root, file)));
  if (sources.length === 0) return 0;

  let problem: string | undefined;
  let renderer: DiagramRenderer | undefined;
  try {
    renderer = new DiagramRenderer({ cacheDir: path.join(root, LAYOUT.siteCache), browserPath: findChromium() });
    const codes = sources.map((file) => fs.readFileSync(path.join(root, file), 'utf8'));
    await renderer.prepare(codes.map((code, i) => ({ code, where: sources[i] })));
    for (const [i, file] of sources.entries()) writeFileAtomic(path.join(root, svgOf(file)), notebookSvg(renderer.svgs(codes[i]).light, codes[i]));
  } catch (error) {
    problem = `no SVG: ${mermaidMessage(error).split('\n')[0]}`;
  } finally {
    await renderer?.close();
  }
  for (const exercise of report.exercises) {
    for (const failure of exercise.failures) {
      failure.trace = failure.trace?.map((line) =>
        line.replace(SOURCE_AT_END, (_, colon: string, file: string) => (problem ? `${colon}${file} (${problem})` : `${colon}${svgOf(file)} (mermaid source: ${file})`)),
      );
    }
  }
  return problem ? 0 : sources.length;
}

const svgOf = (file: string) => file.replace(/\.mmd$/, '.svg');

/** The diagrams of the failures of `report` (after {@link drawTraceDiagrams}): each failed check's, drawn or not. */
export function failureDiagrams(report: GradeReport): FailureDiagram[] {
  const drawn = /: (\S+\.svg) \(mermaid source: (\S+\.mmd)\)$/;
  const notDrawn = /: (\S+\.mmd)(?: \(no SVG: .*\))?$/;
  return report.exercises.flatMap((e) =>
    e.failures.flatMap((f) =>
      (f.trace ?? []).flatMap((line): FailureDiagram[] => {
        const [, svg, source] = drawn.exec(line) ?? [];
        if (svg) return [{ check: f.check, source, svg }];
        const [, only] = notDrawn.exec(line) ?? [];
        return only ? [{ check: f.check, source: only }] : [];
      }),
    ),
  );
}

function listSources(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter((name) => name.endsWith('.mmd'))
    .map((name) => path.join(dir, name));
}
