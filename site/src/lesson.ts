/** A lesson page: the executed notebook's cells, and links to the toolkit reference it uses. */
import type { Markdown, MarkdownEnv, PageState } from './markdown';
import { cellName, joinText, type DataOutput, type Notebook } from '../../tooling/notebook';
import { chosenMime, renderOutputs } from './outputs';
import type { DiagramSource } from './diagrams';
import { findDiagrams } from './markdown';
import { escapeHtml } from './html';

export interface LessonRenderers {
  md: Markdown;
  code(source: string, language: string): string;
}

/** Toolkit modules and the names imported from each, e.g. netsim → [Network, uniform]. */
export function toolkitImports(notebook: Notebook): Map<string, string[]> {
  const found = new Map<string, string[]>();
  const pattern = /import\s+(?:type\s+)?(?:\{([^}]*)\}|[\w*\s]+?)\s+from\s+['"](?:\.{1,2}\/)+toolkit\/([\w-]+)[^'"]*['"]/g;
  for (const cell of notebook.cells) {
    if (cell.cell_type !== 'code') continue;
    for (const match of joinText(cell.source).matchAll(pattern)) {
      const names = (match[1] ?? '')
        .split(',')
        .map((name) => name.trim().replace(/^type\s+/, '').split(/\s+as\s+/)[0])
        .filter(Boolean);
      found.set(match[2], [...new Set([...(found.get(match[2]) ?? []), ...names])]);
    }
  }
  return found;
}

/** Outputs whose shown form is Markdown (and so may hold diagrams). */
function markdownOutputs(notebook: Notebook): { text: string; index: number }[] {
  return notebook.cells.flatMap((cell, index) =>
    (cell.outputs ?? [])
      .filter((output): output is DataOutput => output.output_type === 'display_data' || output.output_type === 'execute_result')
      .filter((output) => chosenMime(output) === 'text/markdown')
      .map((output) => ({ text: joinText(output.data['text/markdown'] as string | string[]), index })),
  );
}

/** Every diagram of the notebook: in markdown cells and in the Markdown that code cells displayed. */
export function lessonDiagrams(md: Markdown, notebook: Notebook, file: string): DiagramSource[] {
  const inCells = notebook.cells.flatMap((cell, index) =>
    cell.cell_type === 'markdown' ? findDiagrams(md, joinText(cell.source), `${file}, ${cellName(cell, index)}`) : [],
  );
  const inOutputs = markdownOutputs(notebook).flatMap(({ text, index }) =>
    findDiagrams(md, text, `${file}, output of ${cellName(notebook.cells[index], index)}`),
  );
  return [...inCells, ...inOutputs];
}

/** The lesson's body HTML; `aside` (the toolkit links) goes after the first cell, under the title. */
export function renderLesson(notebook: Notebook, file: string, page: PageState, renderers: LessonRenderers, aside = ''): string {
  const language = notebook.metadata?.language_info?.name ?? 'typescript';
  const cells = notebook.cells.map((cell, index) => {
    const env = (where: string): MarkdownEnv => ({ page, source: file, where });
    const source = joinText(cell.source);
    if (cell.cell_type === 'markdown') return `<div class="cell markdown">${renderers.md.render(source, env(cellName(cell, index)))}</div>`;
    if (cell.cell_type !== 'code' || source.trim() === '') return '';
    const outputs = renderOutputs(cell.outputs ?? [], {
      markdown: (text) => renderers.md.render(text, env(`output of ${cellName(cell, index)}`)),
    });
    return `<div class="cell code">${renderers.code(source, language)}${outputs ? `<div class="cell-output">${outputs}</div>` : ''}</div>`;
  });
  if (aside && cells.length > 0) cells.splice(1, 0, aside);
  return `<article class="lesson">\n${cells.filter(Boolean).join('\n')}\n</article>`;
}

/** "This lesson uses": links to the reference pages of the toolkit modules and names it imports. */
export function toolkitAside(imports: Map<string, string[]>, href: (apiFile: string) => string | null): string {
  const items = [...imports].flatMap(([module, names]) => {
    const modulePage = href(`${module}.html`);
    if (!modulePage) return [];
    const members = names
      .map((name) => {
        const page = href(`${module}/${name}.html`);
        return page ? `<a href="${page}"><code>${escapeHtml(name)}</code></a>` : `<code>${escapeHtml(name)}</code>`;
      })
      .join(', ');
    return [`<li><a href="${modulePage}"><code>toolkit/${escapeHtml(module)}</code></a>${members ? `: ${members}` : ''}</li>`];
  });
  if (items.length === 0) return '';
  return `<aside class="callout toolkit" aria-labelledby="toolkit-used"><h2 id="toolkit-used">Toolkit used in this lesson</h2><ul>${items.join('')}</ul></aside>`;
}
