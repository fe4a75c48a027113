/**
 * Syntax highlighting with shiki, in a light and a dark theme at once (CSS `light-dark()`).
 * shiki writes a style attribute on every token; we turn each distinct style into a class and
 * ship the classes once in a stylesheet, which makes code-heavy pages several times smaller.
 */
import { createHighlighter, type ShikiTransformer } from 'shiki';
import { sha256 } from './cache';

const THEMES = { light: 'github-light-default', dark: 'github-dark-default' } as const;
const LANGUAGES = ['typescript', 'javascript', 'json', 'shellscript', 'python', 'yaml', 'http', 'diff'];
const ALIASES: Record<string, string> = { ts: 'typescript', js: 'javascript', sh: 'shellscript', bash: 'shellscript', shell: 'shellscript', console: 'shellscript', py: 'python', yml: 'yaml' };

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

  const styleToClass: ShikiTransformer = {
    name: 'style-to-class',
    pre(node) {
      delete node.properties.style;
    },
    span(node) {
      const style = node.properties.style;
      if (typeof style !== 'string') return;
      const name = `t-${sha256(style).slice(0, 6)}`;
      classes.set(name, style);
      delete node.properties.style;
      this.addClassToHast(node, name);
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
      });
    },
    css() {
      return [...classes]
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([name, style]) => `.shiki .${name}{${style.replace(/;?--shiki-(light|dark):[^;]+/g, '')}}`)
        .join('\n');
    },
  };
}
