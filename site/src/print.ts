/**
 * `print.html`: the whole course on one page, in reading order (each lesson, then its exercises),
 * ready for the browser's "Save as PDF". Each part is the body of its own page, its headings one
 * level down under the book's title, each part starting a new sheet.
 */
import { escapeHtml } from './html';
import type { Heading } from './markdown';

/** One part of the book: a lesson's or an exercise's page body. */
export interface PrintPart {
  /** The part's id on the page. */
  id: string;
  title: string;
  html: string;
}

/** Headings one level down: a part's title (h1) becomes an h2 under the book's. */
const demote = (html: string) => html.replace(/<(\/?)h([1-5])(?=[\s>])/g, (_, slash: string, level: string) => `<${slash}h${Number(level) + 1}`);

/**
 * Ids that parts share (each exercise page has its "starter-files" section) get the part's number,
 * in that part's ids and in the references to them, so that every id on the page is unique.
 */
function uniqueIds(parts: string[]): string[] {
  const seen = new Set<string>();
  return parts.map((html, index) => {
    const ids = [...html.matchAll(/\sid="([^"]+)"/g)].map((m) => m[1]);
    const taken = new Set(ids.filter((id) => seen.has(id)));
    for (const id of ids) seen.add(id);
    if (taken.size === 0) return html;
    return html.replace(/(\s(?:id|aria-labelledby|for)="|\shref="#)([^"]+)"/g, (match, attribute: string, id: string) => (taken.has(id) ? `${attribute}${id}-${index + 1}"` : match));
  });
}

/**
 * A part's landmarks (a lesson's "Exercises for this lesson", an exercise's "Grade your work") named
 * after the part too, as each page's names are unique only on that page.
 */
function nameLandmarks(html: string, title: string): string {
  const headingText = (id: string) => new RegExp(`\\sid="${id}"[^>]*>([\\s\\S]*?)</h\\d>`).exec(html)?.[1].replace(/<[^>]+>/g, '').trim() ?? id;
  return html
    .replace(/(<(?:nav|aside|section)\b[^>]*?\saria-label=")([^"]*)"/g, (_, start: string, label: string) => `${start}${label}: ${escapeHtml(title)}"`)
    .replace(/(<(?:nav|aside|section)\b[^>]*?\s)aria-labelledby="([^"\s]+)"/g, (_, start: string, id: string) => `${start}aria-label="${headingText(id)}: ${escapeHtml(title)}"`);
}

/** The book's body, and its parts as the headings of "On this page". */
export function renderPrintBook(title: string, subtitle: string, parts: PrintPart[]): { body: string; headings: Heading[] } {
  const bodies = uniqueIds(parts.map((part) => nameLandmarks(demote(part.html), part.title)));
  const contents = parts.map((part) => `<li><a href="#${part.id}">${escapeHtml(part.title)}</a></li>`).join('\n');
  const sections = parts.map((part, i) => `<section class="print-part" id="${part.id}">\n${bodies[i]}\n</section>`).join('\n');
  const body = `<article class="print-book">
<h1>${escapeHtml(title)}</h1>
<p class="subtitle">${escapeHtml(subtitle)}</p>
<p class="meta print-hint">The whole course on one page, in reading order: each lesson, then the exercises that practise it. Print it, or save it as a PDF, from your browser's Print dialog.</p>
<nav class="print-contents" aria-label="Parts of the course"><ol>
${contents}
</ol></nav>
${sections}
</article>`;
  return { body, headings: parts.map((part) => ({ level: 2, id: part.id, html: escapeHtml(part.title) })) };
}
