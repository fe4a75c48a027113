/**
 * Link-preview cards: for each page of a published site, an image of its title that chat apps and
 * social sites show beside a shared link (Open Graph's `og:image`). Each card is drawn as an SVG
 * at build time and turned into a PNG by the browser that draws the diagrams: Open Graph asks for
 * an image URL without naming formats, and the sites that read it (Facebook, LinkedIn, X, Slack)
 * take PNG and JPEG but not SVG. Cards are cached under the hash of their SVG, so that a rebuild
 * draws only the cards whose title changed and writes the same bytes.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Browser } from 'puppeteer';
import { sha256 } from '../../tooling/cache';
import { writeFileAtomic } from '../../tooling/files';
import { BROWSER_ARGS } from '../../tooling/programs';
import { escapeHtml } from './html';

/** The card of a page (`lessons/01-x.html` → `cards/lessons/01-x.png`), relative to the site's root. */
export const cardPath = (page: string) => `cards/${page.replace(/\.html$/, '')}.png`;

/** Open Graph's recommended size for a large preview: 1.91:1. */
export const CARD = { width: 1200, height: 630 } as const;

/** What a card shows: the page's title, a line above it (the course), and what kind of page it is. */
export interface CardText {
  title: string;
  site: string;
  /** "Lesson", "Exercise", "Quiz"…, or '' for none. */
  kind: string;
}

const MARGIN = 80;
/** Average advance of a bold sans glyph, as a share of the font size: enough to break lines that fit. */
const GLYPH = 0.56;

/** `text` broken into lines of at most `width` px at `size` px, at most `max` lines (the last cut with …). */
function wrap(text: string, size: number, width: number, max: number): string[] {
  const perLine = Math.floor(width / (size * GLYPH));
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/)) {
    const next = line ? `${line} ${word}` : word;
    if (next.length <= perLine || !line) line = next;
    else {
      lines.push(line);
      line = word;
    }
  }
  if (line) lines.push(line);
  if (lines.length <= max) return lines;
  const kept = lines.slice(0, max);
  kept[max - 1] = `${kept[max - 1].slice(0, perLine - 1).replace(/\s+\S*$/, '')}…`;
  return kept;
}

/** The card of a page, as an SVG of {@link CARD}'s size: the course's name, the page's title, and two nodes passing a message. */
export function cardSvg({ title, site, kind }: CardText): string {
  const width = CARD.width - 2 * MARGIN;
  // The longer the title, the smaller its type, down to a size still read in a thumbnail.
  const size = title.length <= 36 ? 76 : title.length <= 64 ? 64 : 54;
  const lines = wrap(title, size, width, 4);
  const lineHeight = Math.round(size * 1.2);
  // The first line's baseline under the course's name; four lines of the smallest type end above the nodes.
  const top = 165 + size;
  const titleText = lines.map((line, i) => `<tspan x="${MARGIN}" y="${top + i * lineHeight}">${escapeHtml(line)}</tspan>`).join('');
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${CARD.width}" height="${CARD.height}" viewBox="0 0 ${CARD.width} ${CARD.height}">
<rect width="100%" height="100%" fill="#0d1117"/>
<rect width="16" height="100%" fill="#4493f8"/>
<text x="${MARGIN}" y="120" font-family="sans-serif" font-size="34" fill="#9198a1">${escapeHtml(site)}${kind ? ` · ${escapeHtml(kind)}` : ''}</text>
<text font-family="sans-serif" font-weight="700" font-size="${size}" fill="#e6edf3">${titleText}</text>
<g stroke="#4493f8" stroke-width="4" fill="none">
<circle cx="${MARGIN + 28}" cy="540" r="28"/>
<circle cx="${MARGIN + 292}" cy="540" r="28"/>
<path d="M${MARGIN + 64} 540 H${MARGIN + 244} M${MARGIN + 228} 528 L${MARGIN + 248} 540 L${MARGIN + 228} 552"/>
</g>
<rect x="${MARGIN + 128}" y="528" width="36" height="24" rx="3" fill="#4493f8"/>
</svg>
`;
}

export interface CardStats {
  drawn: number;
  fromCache: number;
}

/**
 * Draws the cards (site path of the PNG → its text) not in the cache yet, in one browser page,
 * and returns every card's PNG by its site path.
 */
export async function drawCards(cards: Map<string, CardText>, options: { cacheDir: string; browserPath: string }): Promise<{ files: Map<string, Buffer>; stats: CardStats }> {
  const svgs = new Map([...cards].map(([file, text]) => [file, cardSvg(text)]));
  const cacheFile = (svg: string) => path.join(options.cacheDir, 'cards', `${sha256(svg).slice(0, 24)}.png`);
  const files = new Map<string, Buffer>();
  const missing = [...new Set(svgs.values())].filter((svg) => !fs.existsSync(cacheFile(svg)));
  if (missing.length > 0) {
    const { default: puppeteer } = await import('puppeteer');
    const browser: Browser = await puppeteer.launch({ executablePath: options.browserPath, headless: true, args: BROWSER_ARGS });
    try {
      const page = await browser.newPage();
      await page.setViewport({ width: CARD.width, height: CARD.height, deviceScaleFactor: 1 });
      for (const svg of missing) {
        await page.setContent(`<!DOCTYPE html><html><body style="margin:0">${svg}</body></html>`);
        writeFileAtomic(cacheFile(svg), Buffer.from(await page.screenshot({ type: 'png', clip: { x: 0, y: 0, ...CARD } })));
      }
    } finally {
      await browser.close();
    }
  }
  for (const [file, svg] of svgs) files.set(file, fs.readFileSync(cacheFile(svg)));
  return { files, stats: { drawn: missing.length, fromCache: new Set(svgs.values()).size - missing.length } };
}
