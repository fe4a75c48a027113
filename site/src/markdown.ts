/**
 * Markdown to HTML with markdown-it: code through the highlighter, ```mermaid blocks as the
 * pre-rendered SVG, headings with ids, and relative links rewritten to the pages of the site.
 */
import MarkdownIt, { type Env, type MarkdownIt as Markdown, type Token } from 'markdown-it';

export type { Markdown };
import type { DiagramSource } from './diagrams';

/** Turns a link found in a source file into a link of the site. */
export interface LinkResolver {
  /** `href` of a page or anchor for a relative link, or null when the site has nothing there. */
  link(target: string, fromSource: string): string | null;
  /** `src` for a relative image (copied into the site), or null when the file does not exist. */
  image(target: string, fromSource: string): string | null;
  /** Told about every link or image it could not resolve: the text stays, the link goes. */
  warn(message: string): void;
}

/** State shared by every markdown fragment of one page. */
export interface PageState {
  links: LinkResolver;
  headingIds: Set<string>;
  diagramCount: Map<string, number>;
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
  diagram(code: string, occurrence: number): string;
  /** Let raw HTML through (default true: notebooks and READMEs use it on purpose). */
  html?: boolean;
}

export function newPageState(links: LinkResolver): PageState {
  return { links, headingIds: new Set(), diagramCount: new Map() };
}

const EXTERNAL = /^([a-z][a-z0-9+.-]*:|\/\/|#)/i;

function slugify(text: string): string {
  const slug = text
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^\p{L}\p{N}\s-]/gu, '')
    .trim()
    .replace(/\s+/g, '-');
  return slug || 'section';
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
        token.attrSet('id', uniqueId(env.page.headingIds, slugify(title)));
      }
    });
  });

  md.renderer.rules.fence = (tokens, index, _options, rawEnv) => {
    const env = rawEnv as unknown as MarkdownEnv;
    const token = tokens[index];
    const language = token.info.trim().split(/\s+/)[0] ?? '';
    if (language === 'mermaid') {
      const count = (env.page.diagramCount.get(token.content) ?? 0) + 1;
      env.page.diagramCount.set(token.content, count);
      return `<figure class="diagram">${renderers.diagram(token.content, count)}</figure>\n`;
    }
    return renderers.code(token.content, language) + '\n';
  };
  md.renderer.rules.table_open = () => '<div class="table-wrap" tabindex="0">\n<table>\n';
  md.renderer.rules.table_close = () => '</table>\n</div>\n';
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
