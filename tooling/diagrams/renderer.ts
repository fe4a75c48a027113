/**
 * Renders mermaid diagrams to SVG, each in a light and a dark theme: one browser for the whole run,
 * mermaid loaded once into a page that then draws diagram after diagram (as mermaid-cli's
 * `renderMermaid` draws one, in a page of its own that loads mermaid each time), and a cache keyed
 * by the diagram's content hash so that an unchanged diagram is never rendered twice. The site build,
 * `npm run diagrams` (the images of the lessons' markdown cells) and the notebook kernel's diagram
 * worker all draw with it, so a diagram looks the same everywhere. Readers get plain SVG: no
 * mermaid runtime ships. Self-contained: it knows nothing of the pages the SVG goes into.
 */
import path from 'node:path';
import type { Browser, Page } from 'puppeteer';
import { writeFileAtomic } from '../files';
import { BROWSER_ARGS } from '../programs';
import { readIfExists, sha256 } from '../cache';

/** A diagram found in the course, with where it was found for error messages. */
export interface DiagramSource {
  code: string;
  /** e.g. `lessons/01-x.ipynb, cell 3 (markdown)`. */
  where: string;
}

/** A diagram that mermaid could not draw: names where it is and quotes mermaid. */
export class DiagramError extends Error {
  constructor(
    readonly where: string,
    readonly mermaidMessage: string,
  ) {
    super(`broken mermaid diagram in ${where}:\n${mermaidMessage}`);
    this.name = 'DiagramError';
  }
}

/**
 * Labels as SVG <text> rather than HTML inside <foreignObject>: searchable, selectable, and
 * styled without mermaid's CSS.
 */
export const MERMAID_CONFIG = {
  securityLevel: 'strict',
  // Rough.js draws the rounded shapes with random control points: a seed makes them the same in both themes and in every build.
  handDrawnSeed: 1,
  htmlLabels: false,
  flowchart: { htmlLabels: false },
} as const;

/** Mermaid's theme for each variant. */
const THEMES = { light: 'default', dark: 'dark' } as const;
type Variant = keyof typeof THEMES;
const VARIANTS: Variant[] = ['light', 'dark'];

/** One diagram, drawn in both themes. Both SVGs have the same id, and so do their parts. */
export type ThemedSvg = Record<Variant, string>;

function packageVersion(name: string): string {
  let dir = path.dirname(require.resolve(name));
  for (;;) {
    const manifest = readIfExists(path.join(dir, 'package.json'));
    if (manifest && (JSON.parse(manifest) as { name?: string }).name === name) return (JSON.parse(manifest) as { version: string }).version;
    if (path.dirname(dir) === dir) return 'unknown';
    dir = path.dirname(dir);
  }
}

const RENDERER_VERSION = `mermaid-cli ${packageVersion('@mermaid-js/mermaid-cli')}, mermaid ${packageVersion('mermaid')}`;

/** Mermaid's self-contained browser build (it defines `window.mermaid`). */
const MERMAID_SCRIPT = path.join(path.dirname(require.resolve('mermaid')), 'mermaid.min.js');
/** The page mermaid-cli draws in: an empty container. */
const MERMAID_PAGE = path.join(path.dirname(require.resolve('@mermaid-js/mermaid-cli')), '..', 'dist', 'index.html');

/** What the page's script sees of mermaid. */
interface MermaidApi {
  initialize(config: object): void;
  render(id: string, code: string, container: Element): Promise<{ svg: string }>;
}

/**
 * A browser page with mermaid loaded, which draws one diagram at a time, as many as it is given.
 * It draws as mermaid-cli does: the diagram in the container, on a transparent background,
 * serialized as XML; then it empties the page for the next.
 */
class MermaidPage {
  private constructor(private readonly page: Page) {}

  static async open(browser: Browser): Promise<MermaidPage> {
    const page = await browser.newPage();
    await page.goto(`file://${MERMAID_PAGE}`);
    await page.addScriptTag({ path: MERMAID_SCRIPT });
    await page.evaluate(async () => {
      document.body.style.background = 'transparent';
      await document.fonts.ready;
    });
    return new MermaidPage(page);
  }

  /** The SVG of `code`, its ids starting with `id`; rejects with mermaid's message for a broken diagram. */
  draw(code: string, id: string, config: object): Promise<string> {
    return this.page.evaluate(
      async (code, id, config) => {
        const mermaid = (window as unknown as { mermaid: MermaidApi }).mermaid;
        const container = document.getElementById('container') as HTMLElement;
        try {
          mermaid.initialize({ startOnLoad: false, ...config });
          const { svg } = await mermaid.render(id, code, container);
          container.innerHTML = svg;
          const drawn = container.getElementsByTagName('svg')[0];
          drawn.style.backgroundColor = 'transparent';
          return new XMLSerializer().serializeToString(drawn);
        } finally {
          // What this diagram left (mermaid's scratch elements when it fails too) goes before the next.
          container.replaceChildren();
          for (const element of Array.from(document.body.children)) if (element !== container) element.remove();
        }
      },
      code,
      id,
      config,
    );
  }
}

/** The id a diagram's SVG gets; a hash of everything that changes its rendering. */
function diagramId(code: string): string {
  return `mermaid-${sha256(RENDERER_VERSION, JSON.stringify(MERMAID_CONFIG), JSON.stringify(THEMES), code.trim()).slice(0, 16)}`;
}

const GEOMETRY = /\s(d|points|transform|viewBox|x|y|x1|x2|y1|y2|cx|cy|r|rx|ry|width|height|style)="([^"]*)"/g;

/** Definitions that draw nothing unless something refers to them by id. */
const DEFINITION = /<(symbol|marker|filter|linearGradient|radialGradient|pattern) id="([^"]+)"[^>]*?(?:\/>|>.*?<\/\1>)/gs;

/** `svg` without the definitions that neither it nor `elsewhere` (its CSS, say) refers to. */
export function dropUnusedDefinitions(svg: string, elsewhere = ''): string {
  const used = (id: string) => [svg, elsewhere].some((text) => text.includes(`#${id}"`) || text.includes(`#${id})`));
  return svg.replace(DEFINITION, (definition, _kind, id: string) => (used(id) ? definition : '')).replace(/<defs><\/defs>|<defs\/>/g, '');
}

/**
 * Makes mermaid's SVG smaller without changing how it looks: coordinates to two decimals (rough.js
 * paths carry sixteen), no `data-points` (only mermaid's own interactivity reads them), and no
 * definitions that nothing uses (every sequence diagram carries three icons, every flowchart a
 * dozen arrowheads; the dark theme adds a gradient).
 */
export function compactSvg(svg: string): string {
  return dropUnusedDefinitions(svg)
    .replace(/\sdata-points="[^"]*"/g, '')
    .replace(GEOMETRY, (_, name: string, value: string) => ` ${name}="${value.replace(/-?\d+\.\d{3,}/g, (n) => String(Number(Number(n).toFixed(2))))}"`);
}

/**
 * A sequence diagram numbers its participants from a counter that lives as long as the page
 * (`id="actor7"`, `id="root-7"`): in a page that has drawn others before, from where they left it.
 * Renumbered from 0, as in a page of its own, a diagram is the same whatever was drawn before it.
 */
export function renumberParticipants(svg: string): string {
  const numbers = [...svg.matchAll(/ id="actor(\d+)"/g)].map((match) => Number(match[1]));
  if (numbers.length === 0) return svg;
  const first = Math.min(...numbers);
  return svg.replace(/ id="(actor|root-)(\d+)"/g, (_, name: string, n: string) => ` id="${name}${Number(n) - first}"`);
}

/** Mermaid's own message, without the stack of the page that ran it. */
export function mermaidMessage(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  const lines = text.split('\n');
  const stack = lines.findIndex((line) => /^\s*at\s|\((https?|file):\/\/\S+:\d+:\d+\)\s*$/.test(line));
  return (stack === -1 ? lines : lines.slice(0, stack)).join('\n').replace(/^Error:\s*/, '').trim();
}

export interface DiagramStats {
  /** Diagram occurrences in the course. */
  found: number;
  /** Distinct diagrams. */
  distinct: number;
  rendered: number;
  fromCache: number;
  /** Seconds spent launching the browser and rendering. */
  seconds: number;
}

export interface DiagramRendererOptions {
  cacheDir: string;
  browserPath: string;
  /** Pages drawing at once in the one browser, each loading mermaid once (default 1: mermaid draws on the browser's main thread). */
  concurrency?: number;
  /** Ignore the cache (the bench uses it to time rendering). */
  noCache?: boolean;
  /** Keep the browser between calls of {@link DiagramRenderer.prepare} until {@link DiagramRenderer.close} (a long-lived worker). */
  keepBrowser?: boolean;
}

/** Renders every diagram of a build, then hands out their SVGs by source. */
export class DiagramRenderer {
  private readonly rendered = new Map<string, ThemedSvg>();
  private browser: Promise<Browser> | undefined;
  /** The pages that draw, mermaid loaded, kept with the browser. */
  private pages: Promise<MermaidPage>[] = [];
  readonly stats: DiagramStats = { found: 0, distinct: 0, rendered: 0, fromCache: 0, seconds: 0 };

  constructor(private readonly options: DiagramRendererOptions) {}

  /**
   * Renders the diagrams that are not cached yet. The browser is launched only when one is missing.
   * @throws DiagramError for the first broken diagram, naming where it is.
   */
  async prepare(sources: readonly DiagramSource[]): Promise<void> {
    const started = performance.now();
    const missing = new Map<string, DiagramSource>();
    for (const source of sources) {
      const id = diagramId(source.code);
      this.stats.found++;
      if (this.rendered.has(id) || missing.has(id)) continue;
      const cached = this.options.noCache ? undefined : this.readCache(id);
      if (cached === undefined) missing.set(id, source);
      else {
        this.rendered.set(id, cached);
        this.stats.fromCache++;
      }
    }
    this.stats.distinct = this.rendered.size + missing.size;
    if (missing.size > 0) await this.render([...missing], this.options.concurrency ?? 1);
    this.stats.seconds += (performance.now() - started) / 1000;
  }

  /** The light and dark SVG of a diagram given to {@link prepare}, and `id`: the id of both SVGs, which starts every id inside them. */
  svgs(code: string): ThemedSvg & { id: string } {
    const id = diagramId(code);
    const svgs = this.rendered.get(id);
    if (svgs === undefined) throw new Error(`diagram ${id} was not prepared`);
    return { id, ...svgs };
  }

  /** Closes the browser, if one is open. */
  async close(): Promise<void> {
    const browser = this.browser;
    this.browser = undefined;
    this.pages = [];
    if (browser) await (await browser).close();
  }

  private openBrowser(): Promise<Browser> {
    this.browser ??= import('puppeteer').then(({ default: puppeteer }) =>
      puppeteer.launch({ executablePath: this.options.browserPath, headless: true, args: BROWSER_ARGS }),
    );
    // A failed launch is not kept: the next call tries again.
    this.browser.catch(() => (this.browser = undefined));
    return this.browser;
  }

  private cacheFile(id: string, variant: Variant): string {
    return path.join(this.options.cacheDir, 'diagrams', `${id}.${variant}.svg`);
  }

  /** Both variants from the cache, compacted, or undefined when either is missing. */
  private readCache(id: string): ThemedSvg | undefined {
    const light = readIfExists(this.cacheFile(id, 'light'));
    const dark = readIfExists(this.cacheFile(id, 'dark'));
    return light === undefined || dark === undefined ? undefined : { light: compactSvg(light), dark: compactSvg(dark) };
  }

  /** The drawing pages, `count` of them, opened (mermaid loaded) on first use and kept with the browser. */
  private drawingPages(count: number): Promise<MermaidPage[]> {
    while (this.pages.length < count) {
      const opening = this.openBrowser().then((browser) => MermaidPage.open(browser));
      // A page that failed to open is not kept: the next call opens another.
      opening.catch(() => (this.pages = this.pages.filter((page) => page !== opening)));
      this.pages.push(opening);
    }
    return Promise.all(this.pages.slice(0, count));
  }

  private async render(jobs: [string, DiagramSource][], concurrency: number): Promise<void> {
    const failures: DiagramError[] = [];
    try {
      // Each theme is a job of its own, and each page takes the next job when it is done: the pages stay busy to the end.
      const drawn = new Map<string, Partial<ThemedSvg>>();
      const tasks = jobs.flatMap(([id, source]) => VARIANTS.map((variant) => ({ id, source, variant })));
      const pages = await this.drawingPages(Math.max(1, Math.min(concurrency, tasks.length)));
      let next = 0;
      await Promise.all(
        pages.map(async (page) => {
          for (let task = tasks[next++]; task; task = tasks[next++]) {
            const { id, source, variant } = task;
            try {
              const svg = renumberParticipants(await page.draw(source.code, id, { ...MERMAID_CONFIG, theme: THEMES[variant] }));
              drawn.set(id, { ...drawn.get(id), [variant]: svg });
            } catch (error) {
              failures.push(new DiagramError(source.where, mermaidMessage(error)));
            }
          }
        }),
      );
      for (const [id, { light, dark }] of drawn) {
        if (light === undefined || dark === undefined) continue;
        this.rendered.set(id, { light: compactSvg(light), dark: compactSvg(dark) });
        this.stats.rendered++;
        // Cached as mermaid made them, so that changing compactSvg needs no new rendering.
        if (!this.options.noCache) for (const variant of VARIANTS) writeFileAtomic(this.cacheFile(id, variant), { light, dark }[variant]);
      }
    } finally {
      if (!this.options.keepBrowser) await this.close();
    }
    if (failures.length > 0) {
      // Report in course order, so that the same broken course always names the same diagram first.
      const order = jobs.map(([, source]) => source.where);
      failures.sort((a, b) => order.indexOf(a.where) - order.indexOf(b.where));
      throw failures[0];
    }
  }
}
