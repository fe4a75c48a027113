/**
 * Puts pre-rendered diagrams into a page. The light and dark SVG of a diagram become one SVG whose
 * colours follow the page's colour scheme through CSS `light-dark()`, so the system setting and
 * the site's theme switch both apply, without JavaScript. Mermaid's stylesheet leaves the SVG for
 * the page's head, once per page however many diagrams share it, and inline styles become classes.
 * Each diagram gets a minimum width that keeps its text legible on a phone: a diagram a little too
 * wide for its frame shrinks to fit (a container query, down to {@link FIT_TEXT_PX}); one much wider
 * scrolls sideways in its frame at {@link MIN_TEXT_PX}, and assets/diagrams.js offers to open it
 * full-screen. Every diagram has an accessible name: its `accTitle`, or one made from its source and
 * the section of the page it is in.
 */
import { dropUnusedDefinitions, type ThemedSvg } from '../../tooling/diagrams/renderer';
import { sha256 } from '../../tooling/cache';

/** The smallest text of a diagram that scrolls sideways in its frame, in CSS pixels. */
export const MIN_TEXT_PX = 12;
/** The smallest text of a diagram shrunk to fit its frame: a diagram that would need smaller text scrolls instead. */
export const FIT_TEXT_PX = 10;

const DIAGRAM_KINDS: [RegExp, string][] = [
  [/^sequenceDiagram/, 'Sequence diagram'],
  [/^(graph|flowchart)\b/, 'Flowchart'],
  [/^stateDiagram/, 'State diagram'],
  [/^classDiagram/, 'Class diagram'],
  [/^erDiagram/, 'Entity-relationship diagram'],
  [/^gantt/, 'Gantt chart'],
  [/^pie/, 'Pie chart'],
  [/^xychart/, 'Chart'],
  [/^timeline/, 'Timeline'],
];
/** How many of a diagram's names its made-up accessible name lists. */
const NAMES_LISTED = 6;

/**
 * A diagram's accessible name: its `accTitle` or front-matter title, else its kind, the `section` of
 * the page it illustrates (the heading above it) and the names it shows (a sequence diagram's
 * participants, a flowchart's nodes), e.g. 'Sequence diagram for “Retries”: client, server'.
 */
export function diagramName(source: string, section?: string): string {
  const code = source.trim();
  const declared = /^\s*accTitle:\s*(.+?)\s*$/m.exec(code)?.[1] ?? /^---[\s\S]*?^title:\s*(.+?)\s*$[\s\S]*?^---/m.exec(code)?.[1];
  if (declared) return declared;
  const body = code.replace(/^---[\s\S]*?^---\s*/m, '');
  const kind = DIAGRAM_KINDS.find(([pattern]) => pattern.test(body))?.[1] ?? 'Diagram';
  const what = section?.trim() ? `${kind} for “${section.trim()}”` : kind;
  const names: string[] = [];
  const add = (name: string | undefined) => {
    const clean = name?.replace(/^["'([{]+|["')\]}]+$/g, '').trim();
    if (clean && !names.includes(clean)) names.push(clean);
  };
  if (kind === 'Sequence diagram') {
    for (const [, id, alias] of body.matchAll(/^\s*(?:participant|actor)\s+(\S+)(?:\s+as\s+(.+?))?\s*$/gm)) add(alias ?? id);
    for (const [, from, to] of body.matchAll(/^\s*([^\s:>+-]+)\s*-[-)x>]*[>x)]\s*[+-]?\s*([^\s:]+)\s*:/gm)) {
      if (!body.includes(`participant ${from} as`) && !body.includes(`actor ${from} as`)) add(from);
      if (!body.includes(`participant ${to} as`) && !body.includes(`actor ${to} as`)) add(to);
    }
  } else {
    for (const [, label] of body.matchAll(/\w+\s*(?:\[\[|\(\[|\[\(|\(\(|[[({>])([^\])}]+)/g)) add(label);
  }
  if (names.length === 0) return what;
  const listed = names.slice(0, NAMES_LISTED).join(', ');
  return `${what}: ${listed}${names.length > NAMES_LISTED ? ` and ${names.length - NAMES_LISTED} more` : ''}`;
}

const escapeAttribute = (text: string) => text.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');

interface Tag {
  kind: 'open' | 'close' | 'empty';
  name: string;
  attrs: [string, string][];
}
type Token = Tag | { kind: 'text'; text: string };

interface ParsedSvg {
  tokens: Token[];
  /** The content of mermaid's <style> element. */
  css: string;
}

const TOKEN = /<(\/?)([\w:-]+)((?:\s+[\w:-]+="[^"]*")*)\s*(\/?)>|([^<]+)/g;
const ATTRIBUTE = /([\w:-]+)="([^"]*)"/g;

/**
 * Mermaid's SVG as tags and text (it is machine-written XML: no comments, quoted attributes), with
 * only the CSS rules that can match something in it, and the definitions that something uses.
 */
function parseSvg(svg: string): ParsedSvg {
  let fullCss = '';
  const withDefinitions = svg.replace(/<style>([\s\S]*?)<\/style>/g, (_, text: string) => {
    fullCss += unescapeXml(text);
    return '';
  });
  const css = usedCss(fullCss, withDefinitions);
  const tokens: Token[] = [];
  for (const match of dropUnusedDefinitions(withDefinitions, css).matchAll(TOKEN)) {
    if (match[5] !== undefined) tokens.push({ kind: 'text', text: match[5] });
    else {
      const attrs = [...(match[3] ?? '').matchAll(ATTRIBUTE)].map((a): [string, string] => [a[1], a[2]]);
      tokens.push({ kind: match[1] ? 'close' : match[4] ? 'empty' : 'open', name: match[2], attrs });
    }
  }
  return { tokens, css };
}

const XML_ENTITIES: Record<string, string> = { '&lt;': '<', '&gt;': '>', '&quot;': '"', '&apos;': "'", '&#39;': "'", '&amp;': '&' };
/** An SVG's <style> is XML text; the page's <style> is raw text. */
const unescapeXml = (text: string) => text.replace(/&(?:lt|gt|quot|apos|#39|amp);/g, (entity) => XML_ENTITIES[entity]);

/** Splits at the commas that are not inside parentheses. */
function splitSelectors(prelude: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < prelude.length; i++) {
    if (prelude[i] === '(') depth++;
    else if (prelude[i] === ')') depth--;
    else if (prelude[i] === ',' && depth === 0) {
      parts.push(prelude.slice(start, i));
      start = i + 1;
    }
  }
  return [...parts, prelude.slice(start)].map((part) => part.trim());
}

/**
 * Mermaid ships the CSS of every feature of a diagram type (and of its other look, "neo"); most
 * rules name a class, an attribute or an element that this SVG does not have, and can match nothing.
 */
function usedCss(css: string, body: string): string {
  const classes = new Set([...body.matchAll(/\sclass="([^"]*)"/g)].flatMap((m) => m[1].split(/\s+/)));
  const elements = new Set([...body.matchAll(/<([\w:-]+)/g)].map((m) => m[1].toLowerCase()));
  const canMatch = (selector: string): boolean => {
    if (/:(is|where|has)\(/.test(selector)) return true;
    const plain = selector.replace(/:not\([^)]*\)/g, '').replace(/::?[\w-]+(\([^)]*\))?/g, '');
    for (const [, name, value] of plain.matchAll(/\[([\w-]+)(?:=["']?([^"'\]]*)["']?)?\]/g)) {
      if (!body.includes(value === undefined ? ` ${name}=` : ` ${name}="${value}"`)) return false;
    }
    const withoutAttributes = plain.replace(/\[[^\]]*\]/g, '');
    for (const [, name] of withoutAttributes.matchAll(/\.([\w-]+)/g)) if (!classes.has(name)) return false;
    for (const [, name] of withoutAttributes.matchAll(/(?:^|[\s>+~])([a-zA-Z][\w-]*)/g)) if (!elements.has(name.toLowerCase())) return false;
    return true;
  };
  const kept = cssBlocks(css).flatMap(({ prelude, body: rules }) => {
    if (prelude.startsWith('@')) return [{ prelude, body: rules }];
    const selectors = splitSelectors(prelude).filter(canMatch);
    return selectors.length > 0 ? [{ prelude: selectors.join(','), body: rules }] : [];
  });
  const animations = kept.filter((block) => !block.prelude.startsWith('@')).map((block) => block.body).join(';');
  return kept
    .filter(({ prelude }) => !prelude.startsWith('@keyframes') || new RegExp(`\\b${prelude.slice(10).trim()}\\b`).test(animations))
    .map(({ prelude, body: rules }) => `${prelude}{${rules}}`)
    .join('');
}

const serialize = (tokens: Token[]) =>
  tokens
    .map((t) => {
      if (t.kind === 'text') return t.text;
      if (t.kind === 'close') return `</${t.name}>`;
      return `<${t.name}${t.attrs.map(([k, v]) => ` ${k}="${v}"`).join('')}${t.kind === 'empty' ? '/>' : '>'}`;
    })
    .join('');

const NAMED_COLOR = 'black|white|gr[ae]y|silver|red|green|blue|yellow|orange|purple|transparent|(?:light|dark)(?:gr[ae]y|blue|green|red)';
const COLOR = new RegExp(`#[0-9a-f]{3,8}\\b|(?:rgb|hsl)a?\\([^)]*\\)|\\b(?:${NAMED_COLOR})\\b`, 'gi');
const normalize = (value: string) => value.trim().replace(/\s*([(),])\s*/g, '$1').replace(/\s+/g, ' ');

/**
 * One CSS value for both themes: the light one where they agree, `light-dark(light, dark)` for
 * each colour that differs. Null when they differ in anything but colours.
 */
export function mergeValue(light: string, dark: string): string | null {
  const [a, b] = [normalize(light), normalize(dark)];
  if (a === b) return light.trim();
  const colorsA = a.match(COLOR) ?? [];
  const colorsB = b.match(COLOR) ?? [];
  if (colorsA.length !== colorsB.length || a.replace(COLOR, '\0') !== b.replace(COLOR, '\0')) return null;
  let i = 0;
  return a.replace(COLOR, (color) => {
    const other = colorsB[i++];
    return color === other ? color : `light-dark(${color}, ${other})`;
  });
}

/** Declarations as [property, value] pairs. */
const declarations = (text: string): [string, string][] =>
  text
    .split(';')
    .map((d) => d.trim())
    .filter(Boolean)
    .map((d) => {
      const colon = d.indexOf(':');
      return [d.slice(0, colon).trim(), d.slice(colon + 1).trim()];
    });

function mergeDeclarations(light: string, dark: string): string | null {
  const [a, b] = [declarations(light), declarations(dark)];
  if (a.length !== b.length) return null;
  const merged: string[] = [];
  for (let i = 0; i < a.length; i++) {
    const value = a[i][0] === b[i][0] ? mergeValue(a[i][1], b[i][1]) : null;
    if (value === null) return null;
    merged.push(`${a[i][0]}:${value}`);
  }
  return merged.join(';');
}

/** Top-level CSS blocks: `prelude{body}`; an at-rule's body keeps its nested rules. */
function cssBlocks(css: string): { prelude: string; body: string }[] {
  const blocks: { prelude: string; body: string }[] = [];
  let depth = 0;
  let start = 0;
  let open = -1;
  for (let i = 0; i < css.length; i++) {
    if (css[i] === '{' && depth++ === 0) open = i;
    else if (css[i] === '}' && --depth === 0) {
      blocks.push({ prelude: css.slice(start, open).trim(), body: css.slice(open + 1, i) });
      start = i + 1;
    }
  }
  return blocks;
}

function mergeCss(light: string, dark: string): string | null {
  const [a, b] = [cssBlocks(light), cssBlocks(dark)];
  if (a.length !== b.length) return null;
  const merged: string[] = [];
  for (let i = 0; i < a.length; i++) {
    if (a[i].prelude !== b[i].prelude) return null;
    if (a[i].prelude.startsWith('@')) {
      if (a[i].body !== b[i].body) return null;
      merged.push(`${a[i].prelude}{${a[i].body}}`);
      continue;
    }
    const body = mergeDeclarations(a[i].body, b[i].body);
    if (body === null) return null;
    merged.push(`${a[i].prelude}{${body}}`);
  }
  return merged.join('');
}

/** Presentation attributes that are colours: they may differ between the themes. */
const COLOR_ATTRIBUTES = new Set(['fill', 'stroke', 'color', 'stop-color', 'flood-color', 'lighting-color']);

/** One SVG for both themes, or null when the two differ in more than colours. */
function mergeVariants(light: ParsedSvg, dark: ParsedSvg): ParsedSvg | null {
  if (light.tokens.length !== dark.tokens.length) return null;
  const css = mergeCss(light.css, dark.css);
  if (css === null) return null;
  const tokens: Token[] = [];
  for (let i = 0; i < light.tokens.length; i++) {
    const [a, b] = [light.tokens[i], dark.tokens[i]];
    if (a.kind === 'text' || b.kind === 'text') {
      if (a.kind !== b.kind || (a as { text: string }).text !== (b as { text: string }).text) return null;
      tokens.push(a);
      continue;
    }
    if (a.kind !== b.kind || a.name !== b.name || a.attrs.length !== b.attrs.length) return null;
    const attrs: [string, string][] = [];
    const themed: string[] = [];
    for (let j = 0; j < a.attrs.length; j++) {
      const [[name, lightValue], [otherName, darkValue]] = [a.attrs[j], b.attrs[j]];
      if (name !== otherName) return null;
      if (lightValue === darkValue) attrs.push([name, lightValue]);
      else if (name === 'style') {
        const style = mergeDeclarations(lightValue, darkValue);
        if (style === null) return null;
        attrs.push([name, style]);
      } else if (COLOR_ATTRIBUTES.has(name)) {
        const value = mergeValue(lightValue, darkValue);
        if (value === null) return null;
        themed.push(`${name}:${value}`);
      } else return null;
    }
    // A colour attribute that differs becomes a declaration of the lowest priority, like the attribute.
    if (themed.length > 0) attrs.push(['data-themed', themed.join(';')]);
    tokens.push({ ...a, attrs });
  }
  return { tokens, css };
}

/** The CSS of one page's diagrams, and the SVG markup that goes with it. */
export class PageFigures {
  /** CSS blocks in the order first needed; keys dedupe them across the page's diagrams. */
  private readonly rules = new Map<string, string>();
  private readonly occurrences = new Map<string, number>();

  /** The `<figure>` for a diagram (its SVGs from {@link DiagramRenderer.svgs}) drawn from `source`, in the page's `section`. */
  figure(svgs: ThemedSvg & { id: string }, source: string, section?: string): string {
    const name = diagramName(source, section);
    const occurrence = (this.occurrences.get(svgs.id) ?? 0) + 1;
    this.occurrences.set(svgs.id, occurrence);
    const id = occurrence > 1 ? `${svgs.id}-${occurrence}` : svgs.id;
    const [light, dark] = [parseSvg(svgs.light), parseSvg(svgs.dark)];
    const merged = mergeVariants(light, dark);
    const inner = merged
      ? this.place(merged, svgs.id, id, [], name)
      : // Too different to merge: both go in, and the page shows the one its theme asks for.
        this.place(light, svgs.id, id, ['only-light'], name) + this.place(dark, svgs.id, `${id}-dark`, ['only-dark'], name, ' data-pagefind-ignore');
    return `<figure class="diagram" tabindex="0">${inner}</figure>`;
  }

  /** The page's diagram CSS, for a <style> element in its head ('' without diagrams). */
  css(): string {
    // Raw text in the page's <style>: nothing in it may close the element.
    return [...this.rules.values()].join('\n').replaceAll('</', '<\\/');
  }

  private rule(key: string, css: string): void {
    if (!this.rules.has(key)) this.rules.set(key, css);
  }

  /** The SVG markup of one parsed SVG, its CSS moved into the page's rules. */
  private place(svg: ParsedSvg, renderedId: string, id: string, classes: string[], name: string, extra = ''): string {
    const rename = (text: string) => (id === renderedId ? text : text.replaceAll(renderedId, id));
    const everything = rename(serialize(svg.tokens) + svg.css);
    const labels = [...everything.matchAll(/\saria-(?:labelledby|describedby)="([^"]*)"/g)].flatMap((m) => m[1].split(/\s+/));
    const referenced = (value: string) => everything.includes(`#${value}"`) || everything.includes(`#${value})`) || labels.includes(value);
    // Mermaid's CSS is scoped by the SVG's id; scoped by a class instead, it is shared.
    const selector = new RegExp(`#${renderedId}(?![\\w-])`, 'g');
    // What is left of the id (a gradient's url(#...), say) is renamed with the SVG's other ids.
    const scoped = rename(svg.css.replace(selector, '.SCOPE'));
    const scope = `m-${sha256(scoped).slice(0, 10)}`;
    this.rule(scope, scoped.replaceAll('.SCOPE', `.${scope}`));

    let rootFont = Number(/(?:^|})\s*\.SCOPE\s*\{[^}]*?font-size:\s*([\d.]+)px/.exec(scoped)?.[1] ?? 16);
    let width = 0;
    const tokens = svg.tokens.map((token, index): Token => {
      if (token.kind === 'text' || token.kind === 'close') return token;
      const attrs: [string, string][] = [];
      const classList: string[] = [];
      for (const [name, value] of token.attrs) {
        if (name === 'style') {
          // An inline style outranks mermaid's rules: its class rule says !important to match.
          const body = declarations(value)
            .map(([p, v]) => `${p}:${v}!important`)
            .join(';');
          const font = /font-size:\s*([\d.]+)px/.exec(value);
          if (font && index > 0) rootFont = Math.min(rootFont, Number(font[1]));
          if (body && index > 0) classList.push(this.classFor('s', body));
        } else if (name === 'data-themed') {
          classList.push(this.classFor('p', value, true));
        } else if (name === 'class') classList.push(...value.split(/\s+/).filter(Boolean));
        else if (name === 'id') {
          if (index === 0 || referenced(rename(value))) attrs.push([name, rename(value)]);
        } else if (index === 0 && name === 'viewBox') {
          width = Number(value.split(/[\s,]+/)[2]);
          attrs.push([name, value]);
        } else if (index === 0 && (name === 'width' || name === 'xmlns' || name === 'xmlns:xlink')) {
          // An SVG inside HTML needs no namespace declaration, only the one for xlink: attributes.
          if (name === 'xmlns:xlink' && /\sxlink:/.test(everything)) attrs.push([name, value]);
        } else if (name.startsWith('data-') && !svg.css.includes(`[${name}`)) {
          // Mermaid's own interactivity reads these; nothing on the page does.
        } else attrs.push([name, rename(value)]);
      }
      if (index === 0) {
        classList.unshift(scope, ...classes);
        // Mermaid names the SVG by its <title> when the source has an accTitle; else it has no name.
        if (!token.attrs.some(([attr]) => attr === 'aria-labelledby')) attrs.push(['aria-label', escapeAttribute(name)]);
      }
      if (classList.length > 0) attrs.push(['class', [...new Set(classList)].join(' ')]);
      return { ...token, attrs };
    });
    // Scaled down to this width, the smallest text is MIN_TEXT_PX tall; in a frame at least
    // fitWidth wide, the diagram shrinks to fit instead, its smallest text at least FIT_TEXT_PX.
    const minWidth = Math.ceil((width * MIN_TEXT_PX) / rootFont);
    const fitWidth = Math.ceil((width * FIT_TEXT_PX) / rootFont);
    this.rule(`#${id}`, `#${id}{max-width:${round(width)}px;min-width:${minWidth}px}@container diagram (min-width:${fitWidth}px){#${id}{min-width:0}}`);
    const markup = serialize(tokens);
    return extra ? markup.replace(/^<svg/, `<svg${extra}`) : markup;
  }

  /** A class for declarations; `lowest` gives its rule no specificity, like a presentation attribute. */
  private classFor(prefix: string, body: string, lowest = false): string {
    const name = `${prefix}-${sha256(body).slice(0, 8)}`;
    this.rule(name, lowest ? `:where(.${name}){${body}}` : `.${name}{${body}}`);
    return name;
  }
}

const round = (n: number) => Math.round(n * 100) / 100;
