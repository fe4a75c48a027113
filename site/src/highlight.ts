/**
 * Syntax highlighting with shiki, in a light and a dark theme at once (CSS `light-dark()`).
 * shiki writes a style attribute on every token; we turn each distinct style into a class and
 * ship the classes once in a stylesheet, which makes code-heavy pages several times smaller.
 * Tokens in the text colour and the per-line wrappers go: they carry nothing the reader sees.
 */
import { createHighlighter, type ShikiTransformer } from 'shiki';
import { sha256 } from '../../tooling/cache';

type Element = Parameters<NonNullable<ShikiTransformer['code']>>[0];
type ElementContent = Element['children'][number];

const THEMES = { light: 'github-light-default', dark: 'github-dark-default' } as const;
const LANGUAGES = ['typescript', 'javascript', 'json', 'shellscript', 'python', 'yaml', 'http', 'diff'];
const ALIASES: Record<string, string> = { ts: 'typescript', js: 'javascript', sh: 'shellscript', bash: 'shellscript', shell: 'shellscript', console: 'shellscript', py: 'python', yml: 'yaml' };

/** A token's style without the variables shiki adds for other ways of switching themes. */
const withoutVariables = (style: string) => style.replace(/;?--shiki-(light|dark):[^;]+/g, '');

export interface CodeHighlighter {
  /** `<pre class="shiki">` for the code; unknown languages are shown as plain text. */
  code(source: string, language: string): string;
  /** The token classes used so far, as CSS. */
  css(): string;
}

export async function createCodeHighlighter(): Promise<CodeHighlighter> {
  const shiki = await createHighlighter({ themes: Object.values(THEMES), langs: LANGUAGES });
  const known = new Set(shiki.getLoadedLanguages());
  const classes = new Map<string, string>();
  const textColor = `color:light-dark(${shiki.getTheme(THEMES.light).fg}, ${shiki.getTheme(THEMES.dark).fg})`.toLowerCase();

  const styleToClass: ShikiTransformer = {
    name: 'style-to-class',
    pre(node) {
      delete node.properties.style;
      node.properties.class = 'shiki';
    },
    span(node) {
      const style = node.properties.style;
      if (typeof style !== 'string') return;
      delete node.properties.style;
      if (withoutVariables(style).toLowerCase() === textColor) return;
      const name = `t-${sha256(style).slice(0, 6)}`;
      classes.set(name, style);
      this.addClassToHast(node, name);
    },
    code(node) {
      // A span without attributes (a line, a token in the text colour) is replaced by its content.
      const unwrap = (children: ElementContent[]): ElementContent[] =>
        children.flatMap((child) =>
          child.type === 'element' && child.tagName === 'span' && (Object.keys(child.properties).length === 0 || child.properties.class === 'line')
            ? unwrap(child.children)
            : [child],
        );
      node.children = unwrap(node.children);
    },
  };

  return {
    code(source, language) {
      const wanted = ALIASES[language.toLowerCase()] ?? language.toLowerCase();
      const lang = known.has(wanted) ? wanted : 'text';
      return shiki.codeToHtml(source.replace(/\n$/, ''), {
        lang,
        themes: THEMES,
        defaultColor: 'light-dark()',
        transformers: [styleToClass],
        // shiki stops colouring a line after 500 ms by default: on a busy machine the same code
        // came out coloured differently from one build to the next.
        tokenizeTimeLimit: 0,
      });
    },
    css() {
      const rules = [...classes]
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([name, style]) => `.shiki .${name}{${withoutVariables(style)}}`);
      return [`.shiki{${textColor}}`, ...rules].join('\n');
    },
  };
}
