/**
 * The outputs of an executed code cell as HTML: streams, errors and rich display data. Text that
 * came out of a program is always escaped; only HTML and Markdown outputs are markup by design.
 */
import { stripVTControlCharacters } from 'node:util';
import { escapeHtml } from './html';
import { joinText, type DataOutput, type Output } from '../../tooling/notebook';

export interface OutputRenderers {
  /** Renders a text/markdown output (which may hold ```mermaid diagrams). */
  markdown(markdown: string): string;
}

/** Richest first, as Jupyter chooses. */
const MIME_ORDER = ['text/html', 'image/svg+xml', 'image/png', 'image/jpeg', 'image/gif', 'text/markdown', 'application/json', 'text/plain'] as const;

/** Terminal colour codes and carriage-return rewrites are noise on a page. */
export function cleanText(text: string): string {
  return stripVTControlCharacters(text)
    .split('\n')
    .map((line) => line.slice(line.lastIndexOf('\r') + 1))
    .join('\n');
}

function pre(kind: string, text: string, label: string): string {
  return `<pre class="output ${kind}" tabindex="0" aria-label="${label}">${escapeHtml(cleanText(text).replace(/\n$/, ''))}</pre>`;
}

function dataText(value: DataOutput['data'][string]): string {
  return typeof value === 'string' || Array.isArray(value) ? joinText(value as string | string[]) : JSON.stringify(value, null, 2);
}

function image(mime: string, value: string, alt: string): string {
  const base64 = mime === 'image/svg+xml' ? Buffer.from(value).toString('base64') : value.replace(/\s/g, '');
  return `<img class="output image" src="data:${mime};base64,${base64}" alt="${escapeHtml(alt)}">`;
}

/** The type of a display output that the page shows. */
function chosenMime(output: DataOutput): string | undefined {
  return MIME_ORDER.find((type) => type in output.data);
}

/**
 * The Markdown a display output stands for, if it is Markdown or a diagram that toolkit/show drew:
 * the page draws that diagram from its mermaid source (the output's text), in the site's themes.
 */
export function outputMarkdown(output: DataOutput): string | undefined {
  if (output.metadata?.mermaid === true && 'text/plain' in output.data) return '```mermaid\n' + dataText(output.data['text/plain']) + '\n```';
  return chosenMime(output) === 'text/markdown' ? dataText(output.data['text/markdown']) : undefined;
}

function richOutput(output: DataOutput, renderers: OutputRenderers): string {
  const markdown = outputMarkdown(output);
  if (markdown !== undefined) return `<div class="output markdown">${renderers.markdown(markdown)}</div>`;
  const mime = chosenMime(output);
  if (!mime) return '';
  const value = dataText(output.data[mime]);
  const alt = 'text/plain' in output.data ? cleanText(dataText(output.data['text/plain'])) : 'Output image';
  switch (mime) {
    case 'text/html':
      return `<div class="output html">${value}</div>`;
    case 'application/json':
      return pre('result', value, 'Result');
    case 'text/plain':
      return pre('result', value, 'Result');
    default:
      return image(mime, value, alt);
  }
}

/** Jupyter may split one print into several stream outputs; show them as one block. */
function mergeStreams(outputs: readonly Output[]): Output[] {
  const merged: Output[] = [];
  for (const output of outputs) {
    const last = merged[merged.length - 1];
    if (output.output_type === 'stream' && last?.output_type === 'stream' && last.name === output.name) {
      merged[merged.length - 1] = { ...last, text: joinText(last.text) + joinText(output.text) };
    } else merged.push(output);
  }
  return merged;
}

/** All outputs of one cell. */
export function renderOutputs(outputs: readonly Output[], renderers: OutputRenderers): string {
  return mergeStreams(outputs)
    .map((output) => {
      switch (output.output_type) {
        case 'stream':
          return output.name === 'stderr' ? pre('stderr', joinText(output.text), 'Error output') : pre('stdout', joinText(output.text), 'Output');
        case 'error': {
          const trace = output.traceback.length > 0 ? output.traceback.join('\n') : `${output.ename}: ${output.evalue}`;
          return pre('error', trace, 'Error');
        }
        case 'display_data':
        case 'execute_result':
          return richOutput(output, renderers);
        default:
          return '';
      }
    })
    .filter(Boolean)
    .join('\n');
}
