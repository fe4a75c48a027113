/**
 * Markdown to HTML with markdown-it: code through the highlighter, ```mermaid blocks as the
 * pre-rendered SVG, headings with ids and permalinks, relative links rewritten to the pages of the
 * site, and the ids of lessons and exercises written as code (`02-at-least-once`) linked to them.
 */
import MarkdownIt, { type Env, type MarkdownIt as Markdown, type Token } from 'markdown-it';

export type { Markdown };
import type { DiagramSource } from '../../tooling/diagrams/renderer';
import { PageFigures } from './figures';
import { escapeHtml } from './html';

/** Turns a link found in a source file into a link of the site. */
export interface LinkResolver {
  /** `href` of a page or anchor for a relative link, or null when the site has nothing there. */
  link(target: string, fromSource: string): string | null;
  /** `src` for a relative image (copied into the site), or null when the file does not exist. */
  image(target: string, fromSource: string): string | null;
  /** Told about every link or image it could not resolve: the text stays, the link goes. */
  warn(message: string): void;
  /** `href` of the page a name written as code stands for (an exercise's id, say), or null. */
  named?(text: string): string | null;
}

/** A heading of a page, for its "On this page" list. */
export interface Heading {
  level: number;
  id: string;
  /** The heading's text, escaped for HTML. */
  html: string;
}

/** State shared by every markdown fragment of one page. */
export interface PageState {
  links: LinkResolver;
  headingIds: Set<string>;
  /** The page's headings below its title, in order. */
  headings: Heading[];
  /** The page's diagrams and their CSS. */
  figures: PageFigures;
  /** The text of the page's last heading so far: a diagram without a title of its own is named after it. */
  section?: string;
}

/** What markdown-it's `env` carries: the page, and where in its source this fragment is. */
export interface MarkdownEnv extends Env {
  page: PageState;
  /** Repository-relative path of the source file. */
  source: string;
  /** Where in the source, e.g. "cell 3 (markdown)", for error messages. */
  where: string;
}

export interface MarkdownRenderers {
  code(source: string, language: string): string;
  /** The HTML of a ```mermaid block on `page`, in the section titled `section` (the heading above it). */
  diagram(code: string, page: PageState, section?: string): string;
  /** Let raw HTML through (default true: notebooks and READMEs use it on purpose). */
  html?: boolean;
}

export function newPageState(links: LinkResolver): PageState {
  return { links, headingIds: new Set(), headings: [], figures: new PageFigures() };
}

/** How much a word in a table counts in search, against 1 for prose (pagefind's `data-pagefind-weight`). */
const TABLE_SEARCH_WEIGHT = 0.1;

const EXTERNAL = /^([a-z][a-z0-9+.-]*:|\/\/|#)/i;

/** An id made of letters, digits and dashes that starts with a letter, as HTML validators want. */
function slugify(text: string): string {
  const slug = text
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^\p{L}\p{N}\s-]/gu, '')
    .trim()
    .replace(/\s+/g, '-');
  if (!slug) return 'section';
  return /^\p{L}/u.test(slug) ? slug : `section-${slug}`;
}

function uniqueId(ids: Set<string>, wanted: string): string {
  let id = wanted;
  for (let n = 2; ids.has(id); n++) id = `${wanted}-${n}`;
  ids.add(id);
  return id;
}

/** Rewrites relative links and images of one inline token, dropping those that lead nowhere. */
function rewriteLinks(children: Token[], env: MarkdownEnv, TokenClass: typeof Token): Token[] {
  const kept: Token[] = [];
  const dropped: boolean[] = [];
  for (const token of children) {
    if (token.type === 'link_open') {
      const href = String(token.attrGet('href') ?? '');
      let drop = false;
      if (!EXTERNAL.test(href)) {
        const resolved = env.page.links.link(href, env.source);
        if (resolved === null) {
          env.page.links.warn(`${env.source}, ${env.where}: link to "${href}" leads to nothing on the site; shown as text`);
          drop = true;
        } else token.attrSet('href', resolved);
      }
      dropped.push(drop);
      if (drop) continue;
    } else if (token.type === 'link_close') {
      if (dropped.pop()) continue;
    } else if (token.type === 'code_inline' && dropped.length === 0) {
      const href = env.page.links.named?.(token.content);
      if (href) {
        const open = new TokenClass('link_open', 'a', 1);
        open.attrSet('href', href);
        kept.push(open, token, new TokenClass('link_close', 'a', -1));
        continue;
      }
    } else if (token.type === 'image') {
      const src = String(token.attrGet('src') ?? '');
      if (!EXTERNAL.test(src) && !src.startsWith('data:')) {
        const resolved = env.page.links.image(src, env.source);
        if (resolved === null) {
          env.page.links.warn(`${env.source}, ${env.where}: image "${src}" not found; shown as its text`);
          const text = new TokenClass('text', '', 0);
          text.content = token.content;
          kept.push(text);
          continue;
        }
        token.attrSet('src', resolved);
      }
    }
    kept.push(token);
  }
  return kept;
}

/** A markdown-it instance for the site. */
export function createMarkdown(renderers: MarkdownRenderers): Markdown {
  const md = new MarkdownIt({ html: renderers.html ?? true, linkify: true });

  md.core.ruler.push('site_links_and_ids', (state) => {
    const env = state.env as MarkdownEnv;
    state.tokens.forEach((token, index) => {
      if (token.type === 'inline' && token.children) token.children = rewriteLinks(token.children, env, state.Token);
      if (token.type === 'heading_open') {
        const title = state.tokens[index + 1]?.content ?? '';
        const id = uniqueId(env.page.headingIds, slugify(title));
        token.attrSet('id', id);
        const level = Number(token.tag.slice(1));
        const text = (state.tokens[index + 1]?.children ?? []).map((child) => (child.type === 'text' || child.type === 'code_inline' ? child.content : '')).join('');
        if (level > 1) env.page.headings.push({ level, id, html: escapeHtml(text) });
        env.page.section = text;
      }
      if (token.type === 'fence') token.meta = { section: env.page.section };
    });
  });

  // A permalink at the end of each heading below the title.
  md.renderer.rules.heading_close = (tokens, index) => {
    const open = tokens[index - 2];
    const id = open?.attrGet('id');
    return id && open.tag !== 'h1' ? `<a class="anchor" href="#${id}" aria-label="Link to this section"></a></${tokens[index].tag}>\n` : `</${tokens[index].tag}>\n`;
  };

  md.renderer.rules.fence = (tokens, index, _options, rawEnv) => {
    const env = rawEnv as unknown as MarkdownEnv;
    const token = tokens[index];
    const language = token.info.trim().split(/\s+/)[0] ?? '';
    if (language === 'mermaid') return renderers.diagram(token.content, env.page, (token.meta as { section?: string } | null)?.section) + '\n';
    return renderers.code(token.content, language) + '\n';
  };
  // A table's words weigh little in search: a section whose prose says them ranks first, and excerpts quote
  // that prose rather than cells run together.
  md.renderer.rules.table_open = () => `<div class="table-wrap" tabindex="0" data-pagefind-weight="${TABLE_SEARCH_WEIGHT}">\n<table>\n`;
  md.renderer.rules.table_close = () => '</table>\n</div>\n';
  // Column alignment as a class rather than an inline style; header cells name their scope.
  const cell = (tag: 'th' | 'td') => (tokens: Token[], index: number) => {
    const align = /text-align:(\w+)/.exec(String(tokens[index].attrGet('style') ?? ''))?.[1];
    const attributes = [tag === 'th' ? ' scope="col"' : '', align ? ` class="align-${align}"` : ''].join('');
    return `<${tag}${attributes}>`;
  };
  md.renderer.rules.th_open = cell('th');
  md.renderer.rules.td_open = cell('td');
  return md;
}

/** The ```mermaid blocks of a markdown text, in order. */
export function findDiagrams(md: Markdown, markdown: string, where: string): DiagramSource[] {
  return md
    .parse(markdown, { page: newPageState(NO_LINKS), source: '', where: '' } satisfies MarkdownEnv)
    .filter((token) => token.type === 'fence' && token.info.trim().split(/\s+/)[0] === 'mermaid')
    .map((token) => ({ code: token.content, where }));
}

/** A resolver for parsing only: every link is left alone. */
const NO_LINKS: LinkResolver = { link: (target) => target, image: (target) => target, warn: () => {} };
