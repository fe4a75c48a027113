/**
 * The frame every page shares: the head (description, canonical link, Open Graph), the header with
 * search and the theme switch, the sidebar with the course's contents and the page's own headings,
 * previous/next, and the footer. Every link is relative, so the site works under any path.
 */
import path from 'node:path';
import { escapeHtml } from './html';
import type { Heading } from './markdown';
import type { SourceLinks } from './repository';
import { CARD, cardPath } from './cards';

/** A link to a page of the site; `path` is relative to the site's root, e.g. `lessons/01-x.html`. */
export interface PageLink {
  title: string;
  path: string;
}

/** A link of the contents, with the pages listed under it (a lesson's exercises). */
export interface ContentsLink extends PageLink {
  children?: PageLink[];
}

/** A group of the sidebar: a heading and its pages. */
export interface ContentsGroup {
  title: string;
  links: ContentsLink[];
  /** Numbered (lessons, exercises) or not. */
  ordered: boolean;
}

export interface SiteInfo {
  title: string;
  /** The published site's address, ending in `/` (`--base-url`): canonical links and Open Graph need it. */
  baseUrl?: string;
  contents: ContentsGroup[];
}

export type Section = 'home' | 'lessons' | 'exercises' | 'quiz' | 'search' | 'print' | 'error';

export interface PageInput {
  /** Where the page goes, relative to the site's root. */
  path: string;
  title: string;
  /** The page's summary for search engines and link previews; default: its first paragraph. */
  description?: string;
  section: Section;
  body: string;
  previous?: PageLink;
  next?: PageLink;
  /** Scripts (site-relative) this page needs besides the theme switch. */
  scripts?: string[];
  /** Module scripts (site-relative). */
  modules?: string[];
  /** The page's headings, listed under "On this page" when there are enough of them. */
  headings?: Heading[];
  /** CSS for this page alone (its diagrams). */
  css?: string;
  /** Indexed for the site's search. */
  searchable?: boolean;
  /** "Edit this page" and "Report a problem", when the course names its repository. */
  source?: SourceLinks;
  /**
   * For a page served at any address (the 404 page): its links are absolute paths from this root
   * (the site's path, `/course/`) instead of relative; with `guessed`, a script in the page finds
   * the real root among the address's folders when the root is not that.
   */
  root?: { path: string; guessed: boolean };
}

/** Pages with fewer section headings than this get no "On this page" list. */
const TOC_MIN_HEADINGS = 4;
const DESCRIPTION_LENGTH = 160;

/** How the page's links reach a site path: relative to the page, or from its absolute root (the 404 page). */
const linker = (page: Pick<PageInput, 'path' | 'root'>) => (to: string) => (page.root ? page.root.path + to : relativeHref(page.path, to));

/**
 * The 404 page's script when the site's address is not known: the nearest folder of the address
 * that holds the site (its assets/nav.js) is the root its links start from.
 */
const FIND_ROOT = `<script>
(function () {
  var guess = ROOT;
  var folders = location.pathname.split('/').slice(1, -1);
  var candidates = folders.map(function (_, i) { return '/' + folders.slice(0, folders.length - i).join('/') + '/'; }).filter(function (c) { return c !== guess; });
  function rewrite(root) {
    document.querySelectorAll('[href^="' + guess + '"], [src^="' + guess + '"]').forEach(function (element) {
      var name = element.hasAttribute('href') ? 'href' : 'src';
      var value = root + element.getAttribute(name).slice(guess.length);
      if (element.tagName !== 'SCRIPT') return element.setAttribute(name, value);
      // A script that failed to load runs only as a new element.
      var script = document.createElement('script');
      script.src = value;
      element.replaceWith(script);
    });
  }
  function probe(i) {
    if (i >= candidates.length) return;
    fetch(candidates[i] + 'assets/nav.js', { method: 'HEAD' }).then(function (response) {
      if (response.ok) rewrite(candidates[i]);
      else probe(i + 1);
    }, function () { probe(i + 1); });
  }
  // The site's stylesheet applied: the guess was right, and nothing more is asked for.
  window.addEventListener('load', function () {
    if (!getComputedStyle(document.documentElement).getPropertyValue('--measure')) probe(0);
  });
})();
</script>
`;

/** The href that leads from page `from` to `to` (both site-relative; `to` may carry a #fragment). */
export function relativeHref(from: string, to: string): string {
  const [target, fragment] = to.split('#', 2);
  const href = path.posix.relative(path.posix.dirname(from), target) || path.posix.basename(target);
  return fragment === undefined ? href : `${href}#${fragment}`;
}

const text = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').replace(/\s([,.;:!?])/g, '$1').trim();

/** Paragraphs that every lesson starts with, which describe no lesson in particular. */
const BOILERPLATE = /^(?:learning objectives\b|after this (?:lesson|exercise|chapter) you (?:can|will)\b)/i;
/** A note on how the notebook itself runs ("Every table below comes from a seeded run on netsim"): it says where, and how, not what. */
const NOTEBOOK_NOTE = [/\b(?:below|here|this (?:lesson|notebook))\b/i, /\b(?:runs?|seeded|netsim|toolkit|virtual time|code)\b/i];
const isNote = (paragraph: string) => NOTEBOOK_NOTE.every((pattern) => pattern.test(paragraph));
/** A paragraph shorter than this ("Code in markdown:") introduces something rather than says it. */
const SHORTEST_SENTENCE = 40;

/** `summary` cut to about 160 characters at a word, never inside an entity such as &amp;. */
function cut(summary: string): string {
  if (summary.length <= DESCRIPTION_LENGTH) return summary;
  const start = summary.slice(0, DESCRIPTION_LENGTH - 1);
  return `${start.slice(0, start.lastIndexOf(' ')).replace(/&[^;\s]*$/, '').replace(/[\s,;:]+$/, '')}…`;
}

/**
 * The first sentence of `paragraph`, and the next ones while they fit the description's length and
 * the first is short. A last sentence that ends in a colon introduces what follows (a figure, a
 * table, code): it is left out, or, alone, ends in an ellipsis.
 */
function firstSentences(paragraph: string): string {
  const all = paragraph.split(/(?<=[.!?])\s+(?=["“(*]?[A-Z0-9])/);
  const sentences = all.length > 1 && all[all.length - 1].endsWith(':') ? all.slice(0, -1) : all;
  let summary = sentences[0];
  for (const sentence of sentences.slice(1)) {
    if (summary.length >= SHORTEST_SENTENCE * 2 || summary.length + 1 + sentence.length > DESCRIPTION_LENGTH) break;
    summary = `${summary} ${sentence}`;
  }
  return cut(summary.replace(/:$/, '…'));
}

/** The first of the learning objectives listed under the boilerplate paragraph, as a sentence: "Learn to retry with backoff." */
function firstObjective(html: string): string | undefined {
  for (const match of html.matchAll(/<p>([\s\S]*?)<\/p>\s*<[uo]l>\s*<li>([\s\S]*?)<\/li>/g)) {
    const objective = text(match[2]).replace(/[\s.;,]+$/, '');
    if (BOILERPLATE.test(text(match[1]).replace(/^learning objectives\.\s*/i, '')) && objective) return `Learn to ${objective}.`;
  }
  return undefined;
}

/**
 * The page's description: its first real sentence, from the first paragraph of prose in `html` (a
 * plain <p>) that is not a lesson's boilerplate ("Learning objectives. After this lesson you can"),
 * a note on how its notebook runs (for a lesson, `notebook`), or a short line that introduces something; cut to about 160
 * characters at a word. A lesson is described by its introduction or the paragraph that opens its
 * first section, else by its first learning objective rather than by a sentence from the middle of
 * a section. A page with no such paragraph is described by its first paragraph.
 */
export function firstParagraph(html: string, { notebook = false } = {}): string | undefined {
  const paragraphs = (part: string) => [...part.matchAll(/<p>([\s\S]*?)<\/p>/g)].map((match) => text(match[1])).filter(Boolean);
  const isReal = (paragraph: string) => paragraph.length >= SHORTEST_SENTENCE && !BOILERPLATE.test(paragraph) && !(notebook && isNote(paragraph));
  if (notebook) {
    const [introduction, firstSection = ''] = html.split(/<h2[\s>]/);
    // The paragraph that opens the first section starts a thought; one after a table or a subsection goes on with it.
    const opening = /^[\s\S]*?<\/h2>\s*<p>([\s\S]*?)<\/p>/.exec(firstSection)?.[1];
    const real = [...paragraphs(introduction), ...(opening ? [text(opening)] : [])].find(isReal);
    if (real) return firstSentences(real);
    const objective = firstObjective(introduction);
    if (objective) return cut(objective);
  }
  const all = paragraphs(html);
  const real = all.find(isReal);
  if (real) return firstSentences(real);
  return all.length > 0 ? cut(all[0]) : undefined;
}

/** "Edit this page" and "Report a problem", under the page's content. */
const sourceNav = (source?: SourceLinks) =>
  source
    ? `<nav class="page-source" aria-label="This page's source"><a href="${escapeHtml(source.edit)}">Edit this page</a> <a href="${escapeHtml(source.report)}">Report a problem</a></nav>\n`
    : '';

function pager(href: (to: string) => string, previous?: PageLink, next?: PageLink): string {
  if (!previous && !next) return '';
  const link = (page: PageLink, rel: 'prev' | 'next', label: string) =>
    `<a class="pager-${rel}" rel="${rel}" href="${href(page.path)}"><span class="pager-label">${label}</span> <span class="pager-title">${escapeHtml(page.title)}</span></a>`;
  return `<nav class="pager" aria-label="Previous and next page">${previous ? link(previous, 'prev', 'Previous') : '<span></span>'}${next ? link(next, 'next', 'Next') : ''}</nav>`;
}

/** The items of "On this page": the page's second-level headings, or '' when there are too few. */
function tocItems(headings: Heading[] = []): string {
  const sections = headings.filter((heading) => heading.level === 2);
  if (sections.length < TOC_MIN_HEADINGS) return '';
  return sections.map((heading) => `<li><a href="#${heading.id}">${heading.html}</a></li>`).join('');
}

/** "On this page" in the sidebar, under the current page. */
function onThisPage(headings?: Heading[]): string {
  const items = tocItems(headings);
  return items ? `<nav class="toc" aria-label="On this page"><p class="toc-title" aria-hidden="true">On this page</p><ul>${items}</ul></nav>` : '';
}

/** "On this page" above the content on a narrow screen, where the sidebar is a drawer: collapsed, and open without JavaScript too. */
function onThisPageTop(headings?: Heading[]): string {
  const items = tocItems(headings);
  return items ? `<details class="toc-top"><summary>On this page</summary><ul>${items}</ul></details>\n` : '';
}

function sidebar(site: SiteInfo, page: PageInput): string {
  const href = linker(page);
  const groups = site.contents
    .filter((group) => group.links.length > 0)
    .map((group) => {
      const item = (link: ContentsLink): string => {
        const current = link.path === page.path;
        const children = link.children?.length ? `<ol class="sub">${link.children.map(item).join('')}</ol>` : '';
        return `<li><a href="${href(link.path)}"${current ? ' aria-current="page"' : ''}>${escapeHtml(link.title)}</a>${current ? onThisPage(page.headings) : ''}${children}</li>`;
      };
      const items = group.links.map(item).join('\n');
      const list = group.ordered ? 'ol' : 'ul';
      return `<h2>${escapeHtml(group.title)}</h2>\n<${list}>\n${items}\n</${list}>`;
    })
    .join('\n');
  return `<nav class="sidebar" id="contents" aria-label="Course contents">\n${groups}\n</nav>`;
}

function head(site: SiteInfo, page: PageInput, title: string, description: string | undefined): string {
  const asset = linker(page);
  const absolute = site.baseUrl ? new URL(page.path === 'index.html' ? '' : page.path, site.baseUrl).href : undefined;
  const meta = [
    description ? `<meta name="description" content="${description}">` : '',
    absolute && page.section !== 'error' ? `<link rel="canonical" href="${escapeHtml(absolute)}">` : '',
    `<meta property="og:title" content="${escapeHtml(page.title)}">`,
    `<meta property="og:site_name" content="${escapeHtml(site.title)}">`,
    `<meta property="og:type" content="${page.section === 'lessons' || page.section === 'exercises' ? 'article' : 'website'}">`,
    description ? `<meta property="og:description" content="${description}">` : '',
    absolute && page.section !== 'error' ? `<meta property="og:url" content="${escapeHtml(absolute)}">` : '',
    // A card of the page's title, drawn at build time: Open Graph wants its absolute address.
    ...(site.baseUrl && page.section !== 'error'
      ? [
          `<meta property="og:image" content="${escapeHtml(new URL(cardPath(page.path), site.baseUrl).href)}">`,
          '<meta property="og:image:type" content="image/png">',
          `<meta property="og:image:width" content="${CARD.width}">`,
          `<meta property="og:image:height" content="${CARD.height}">`,
          `<meta property="og:image:alt" content="${escapeHtml(page.title)}">`,
          '<meta name="twitter:card" content="summary_large_image">',
        ]
      : []),
    // The print book repeats the lessons' and exercises' pages: search engines keep to those.
    page.section === 'error' || page.section === 'search' || page.section === 'print' ? '<meta name="robots" content="noindex">' : '',
  ].filter(Boolean);
  return `<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
${page.root?.guessed ? FIND_ROOT.replace('ROOT', JSON.stringify(page.root.path)) : ''}<title>${escapeHtml(title)}</title>
${meta.join('\n')}
<link rel="icon" href="${asset('assets/favicon.svg')}" type="image/svg+xml">
<link rel="stylesheet" href="${asset('assets/site.css')}">
<link rel="stylesheet" href="${asset('assets/code.css')}">
${page.css ? `<style>\n${page.css}\n</style>\n` : ''}<script src="${asset('assets/theme.js')}"></script>
${[...['assets/nav.js', ...(page.scripts ?? [])].map((script) => `<script src="${asset(script)}" defer></script>`), ...(page.modules ?? []).map((script) => `<script type="module" src="${asset(script)}"></script>`)].join('\n')}
</head>`;
}

/** The header's search: a plain form that opens the search page (which has a form of its own). */
const searchForm = (action: string) => `<form class="site-search" role="search" action="${action}" method="get">
<label class="visually-hidden" for="site-search-query">Search the course</label>
<input id="site-search-query" type="search" name="q" autocomplete="off" placeholder="Lessons, exercises, quiz">
<button type="submit">Go</button>
</form>
`;

/** The document title: the page's and the site's, or the page's alone when both are too long for a tab. */
function documentTitle(site: SiteInfo, page: PageInput): string {
  if (page.section === 'home') return site.title;
  const full = `${page.title} · ${site.title}`;
  return full.length <= 70 ? full : page.title;
}

/** The whole HTML document of a page. */
export function layout(site: SiteInfo, page: PageInput): string {
  const asset = linker(page);
  const description = page.description ? escapeHtml(page.description) : firstParagraph(page.body, { notebook: page.section === 'lessons' });
  return `<!DOCTYPE html>
<html lang="en">
${head(site, page, documentTitle(site, page), description)}
<body>
<a class="skip-link" href="#main">Skip to the content</a>
<header class="site-header">
<div class="site-bar">
<button type="button" class="drawer-toggle" aria-expanded="false" aria-controls="contents">Contents</button>
<a class="brand" href="${asset('index.html')}"${page.section === 'home' ? ' aria-current="page"' : ''}>${escapeHtml(site.title)}</a>
${page.section === 'search' ? '' : searchForm(asset('search.html'))}<a class="contents-link" href="#contents">Contents</a>
<button type="button" class="theme-toggle" aria-pressed="false">Dark theme</button>
</div>
</header>
<div class="layout">
<div class="content">
${onThisPageTop(page.headings)}<main id="main" tabindex="-1"${page.searchable ? ' data-pagefind-body' : ''}>
${page.body}
</main>
${sourceNav(page.source)}${pager(asset, page.previous, page.next)}
</div>
${sidebar(site, page)}
</div>
<footer class="site-footer"><p>${escapeHtml(site.title)}: a course workbook. Lessons run in Jupyter (<code>npm start</code>); this site shows them with their outputs.</p><p>Lessons, exercise texts, quiz and figures: CC BY 4.0. Code: MIT licence.</p></footer>
</body>
</html>
`;
}
