/** The frame every page shares: head, site navigation, previous/next, footer. */
import path from 'node:path';
import { escapeHtml } from './html';

/** A link to a page of the site; `path` is relative to the site's root, e.g. `lessons/01-x.html`. */
export interface PageLink {
  title: string;
  path: string;
}

export interface SiteInfo {
  title: string;
  hasQuiz: boolean;
  hasApi: boolean;
}

export type Section = 'home' | 'lessons' | 'exercises' | 'quiz';

export interface PageInput {
  /** Where the page goes, relative to the site's root. */
  path: string;
  title: string;
  description?: string;
  section: Section;
  body: string;
  previous?: PageLink;
  next?: PageLink;
  /** Scripts (site-relative) this page needs besides the theme switch. */
  scripts?: string[];
}

/** The href that leads from page `from` to `to` (both site-relative; `to` may carry a #fragment). */
export function relativeHref(from: string, to: string): string {
  const [target, fragment] = to.split('#', 2);
  const href = path.posix.relative(path.posix.dirname(from), target) || path.posix.basename(target);
  return fragment === undefined ? href : `${href}#${fragment}`;
}

function navItem(from: string, to: string, label: string, current: boolean): string {
  return `<li><a href="${relativeHref(from, to)}"${current ? ' aria-current="page"' : ''}>${label}</a></li>`;
}

function pager(from: string, previous?: PageLink, next?: PageLink): string {
  if (!previous && !next) return '';
  const link = (page: PageLink, rel: 'prev' | 'next', label: string) =>
    `<a class="pager-${rel}" rel="${rel}" href="${relativeHref(from, page.path)}"><span class="pager-label">${label}</span> <span class="pager-title">${escapeHtml(page.title)}</span></a>`;
  return `<nav class="pager" aria-label="Previous and next page">${previous ? link(previous, 'prev', 'Previous') : '<span></span>'}${next ? link(next, 'next', 'Next') : ''}</nav>`;
}

/** The whole HTML document of a page. */
export function layout(site: SiteInfo, page: PageInput): string {
  const here = page.path;
  const asset = (file: string) => relativeHref(here, file);
  const nav = [
    navItem(here, 'index.html#lessons', 'Lessons', page.section === 'lessons'),
    navItem(here, 'index.html#exercises', 'Exercises', page.section === 'exercises'),
    site.hasQuiz ? navItem(here, 'quiz.html', 'Quiz', page.section === 'quiz') : '',
    site.hasApi ? navItem(here, 'api/index.html', 'API', false) : '',
  ].join('');
  const title = page.section === 'home' ? site.title : `${page.title} · ${site.title}`;
  const scripts = (page.scripts ?? []).map((script) => `<script src="${asset(script)}" defer></script>`).join('\n');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
${page.description ? `<meta name="description" content="${escapeHtml(page.description)}">\n` : ''}<link rel="icon" href="${asset('assets/favicon.svg')}" type="image/svg+xml">
<link rel="stylesheet" href="${asset('assets/site.css')}">
<link rel="stylesheet" href="${asset('assets/code.css')}">
<script src="${asset('assets/theme.js')}"></script>
${scripts}
</head>
<body>
<a class="skip-link" href="#main">Skip to the content</a>
<header class="site-header">
<nav class="site-nav" aria-label="Site">
<a class="brand" href="${asset('index.html')}"${page.section === 'home' ? ' aria-current="page"' : ''}>${escapeHtml(site.title)}</a>
<ul>${nav}</ul>
<button type="button" class="theme-toggle" aria-pressed="false">Dark theme</button>
</nav>
</header>
<main id="main" tabindex="-1">
${page.body}
</main>
${pager(here, page.previous, page.next)}
<footer class="site-footer"><p>${escapeHtml(site.title)}: a course workbook. Lessons run in Jupyter (<code>npm start</code>); this site shows them with their outputs.</p></footer>
</body>
</html>
`;
}
