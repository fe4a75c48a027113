// Unit tests of the renderer: markdown, code, notebook outputs, the escaping of output text,
// the quiz page, and the helpers around diagrams and the browser.
import { beforeAll, describe, expect, it } from 'vitest';
import { compactSvg, mermaidMessage } from '../src/diagrams';
import { createCodeHighlighter, type CodeHighlighter } from '../src/highlight';
import { relativeHref } from '../src/layout';
import { lessonDiagrams, toolkitImports } from '../src/lesson';
import { createMarkdown, newPageState, type LinkResolver, type MarkdownEnv } from '../src/markdown';
import type { Notebook, Output } from '../../tooling/notebook';
import { cleanText, renderOutputs } from '../src/outputs';
import { renderQuiz } from '../src/quiz-page';
import type { Quiz } from '../../tooling/quiz';

let highlighter: CodeHighlighter;
const drawn: { code: string; occurrence: number }[] = [];

beforeAll(async () => {
  highlighter = await createCodeHighlighter();
}, 30_000);

const md = createMarkdown({
  code: (source, language) => highlighter.code(source, language),
  diagram: (code, occurrence) => {
    drawn.push({ code, occurrence });
    return `<svg data-test="diagram"><text>${code.trim()}</text></svg>`;
  },
});

function env(warnings: string[] = []): MarkdownEnv {
  const links: LinkResolver = {
    link: (target) => (target.startsWith('02-') ? `02-next.html${target.includes('#') ? '#' + target.split('#')[1] : ''}` : null),
    image: () => null,
    warn: (message) => warnings.push(message),
  };
  return { page: newPageState(links), source: 'lessons/01-x.ipynb', where: 'cell 1 (markdown)' };
}

describe('markdown', () => {
  it('gives headings unique ids and wraps tables so that they scroll on a phone', () => {
    const html = md.render('# Hello, world!\n\n## Hello, world!\n\n| a | b |\n|---|---|\n| 1 | 2 |', env());
    expect(html).toContain('<h1 id="hello-world">');
    expect(html).toContain('<h2 id="hello-world-2">');
    expect(html).toMatch(/<div class="table-wrap" tabindex="0">\s*<table>/);
  });

  it('rewrites relative links to the pages of the site and keeps the text of links that lead nowhere', () => {
    const warnings: string[] = [];
    const html = md.render('[next](02-next.ipynb#part) [gone](missing.md) [web](https://example.org) [here](#top)', env(warnings));
    expect(html).toContain('<a href="02-next.html#part">next</a>');
    expect(html).not.toContain('missing.md');
    expect(html).toContain(' gone ');
    expect(html).toContain('<a href="https://example.org">web</a>');
    expect(html).toContain('<a href="#top">here</a>');
    expect(warnings).toEqual([expect.stringContaining('link to "missing.md" leads to nothing')]);
  });

  it('highlights code with classes instead of inline styles, in both themes', () => {
    const html = md.render('```ts\nconst answer: number = 42;\n```', env());
    expect(html).toMatch(/^<pre class="shiki/);
    expect(html).not.toContain('style=');
    expect(html).toMatch(/<span class="t-[0-9a-f]{6}">const<\/span>/);
    expect(highlighter.css()).toMatch(/\.shiki \.t-[0-9a-f]{6}\{color:light-dark\(#[0-9A-Fa-f]{6}, #[0-9A-Fa-f]{6}\)\}/);
  });

  it('escapes code in a language it does not know', () => {
    const html = md.render('```brainfuck\n<script>alert(1)</script>\n```', env());
    expect(html).toContain('<span>&#x3C;script>alert(1)&#x3C;/script></span>');
    expect(html).not.toContain('<script>');
  });

  it('hands ```mermaid blocks to the diagram renderer, counting repeats on a page', () => {
    drawn.length = 0;
    const page = env();
    const html = md.render('```mermaid\ngraph LR\n  A-->B\n```\n\n```mermaid\ngraph LR\n  A-->B\n```', page);
    expect(html).toContain('<figure class="diagram"><svg data-test="diagram">');
    expect(drawn).toEqual([
      { code: 'graph LR\n  A-->B\n', occurrence: 1 },
      { code: 'graph LR\n  A-->B\n', occurrence: 2 },
    ]);
  });
});

describe('outputs', () => {
  const render = (outputs: Output[]) => renderOutputs(outputs, { markdown: (text) => md.render(text, env()) });

  it('escapes stream text and joins the chunks of one stream', () => {
    const html = render([
      { output_type: 'stream', name: 'stdout', text: ['<b>bold?</b> ', '& "quotes"\n'] },
      { output_type: 'stream', name: 'stdout', text: 'second line\n' },
    ]);
    expect(html).toBe('<pre class="output stdout" tabindex="0" aria-label="Output">&lt;b&gt;bold?&lt;/b&gt; &amp; &quot;quotes&quot;\nsecond line</pre>');
  });

  it('shows stderr and errors apart, without terminal colour codes', () => {
    const html = render([
      { output_type: 'stream', name: 'stderr', text: 'careful <now>\n' },
      { output_type: 'error', ename: 'Error', evalue: 'boom', traceback: ['\u001b[31mError: boom <here>\u001b[0m', '    at cell 1'] },
    ]);
    expect(html).toContain('<pre class="output stderr" tabindex="0" aria-label="Error output">careful &lt;now&gt;</pre>');
    expect(html).toContain('<pre class="output error" tabindex="0" aria-label="Error">Error: boom &lt;here&gt;\n    at cell 1</pre>');
    expect(html).not.toContain('\u001b');
  });

  it('keeps only what follows the last carriage return of a line, as a terminal shows it', () => {
    expect(cleanText('progress 10%\rprogress 100%\ndone')).toBe('progress 100%\ndone');
  });

  it('renders rich outputs by their richest type: HTML as is, Markdown through markdown-it', () => {
    const html = render([
      { output_type: 'display_data', data: { 'text/html': '<p class="x">hi</p>', 'text/plain': 'hi' } },
      { output_type: 'display_data', data: { 'text/markdown': ['A *table*:\n\n```mermaid\n', 'sequenceDiagram\n  a->>b: hi\n', '```'] } },
      { output_type: 'execute_result', data: { 'text/plain': "{ a: '<1>' }" } },
    ]);
    expect(html).toContain('<div class="output html"><p class="x">hi</p></div>');
    expect(html).toContain('<div class="output markdown"><p>A <em>table</em>:</p>\n<figure class="diagram">');
    expect(html).toContain('<pre class="output result" tabindex="0" aria-label="Result">{ a: &#39;&lt;1&gt;&#39; }</pre>');
  });

  it('embeds images with a text alternative', () => {
    const html = render([
      { output_type: 'display_data', data: { 'image/png': 'iVBORw0KGgo=\n', 'text/plain': '<Figure "1">' } },
      { output_type: 'display_data', data: { 'image/svg+xml': '<svg xmlns="http://www.w3.org/2000/svg"/>' } },
    ]);
    expect(html).toContain('<img class="output image" src="data:image/png;base64,iVBORw0KGgo=" alt="&lt;Figure &quot;1&quot;&gt;">');
    expect(html).toContain(`src="data:image/svg+xml;base64,${Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>').toString('base64')}" alt="Output image"`);
  });
});

describe('lessons', () => {
  const notebook: Notebook = {
    cells: [
      { cell_type: 'markdown', source: '# T\n\n```mermaid\ngraph LR\n A-->B\n```' },
      {
        cell_type: 'code',
        source: "import { Network, uniform as u } from './toolkit/netsim';\nimport type { Row } from '../toolkit/show';\nimport x from 'node:fs';",
        outputs: [{ output_type: 'display_data', data: { 'text/markdown': '```mermaid\nsequenceDiagram\n a->>b: hi\n```' } }],
      },
    ],
  };

  it('finds diagrams in markdown cells and in Markdown outputs, naming the cell', () => {
    expect(lessonDiagrams(md, notebook, 'lessons/01-x.ipynb')).toEqual([
      { code: 'graph LR\n A-->B\n', where: 'lessons/01-x.ipynb, cell 1 (markdown)' },
      { code: 'sequenceDiagram\n a->>b: hi\n', where: 'lessons/01-x.ipynb, output of cell 2 (code)' },
    ]);
  });

  it('finds the toolkit modules and names a lesson imports', () => {
    expect(toolkitImports(notebook)).toEqual(
      new Map([
        ['netsim', ['Network', 'uniform']],
        ['show', ['Row']],
      ]),
    );
  });

  it('links pages relative to each other', () => {
    expect(relativeHref('lessons/01-x.html', 'api/netsim.html')).toBe('../api/netsim.html');
    expect(relativeHref('index.html', 'lessons/01-x.html#part')).toBe('lessons/01-x.html#part');
    expect(relativeHref('lessons/01-x.html', 'lessons/02-y.html')).toBe('02-y.html');
  });
});

describe('quiz page', () => {
  const quiz: Quiz = {
    title: 'Quiz <one>',
    questions: [
      {
        id: 'tags',
        section: 'HTML',
        prompt: 'Which tag is **bold**?',
        choices: [
          { text: '`<b>`', correct: true, explanation: 'It is <b>.' },
          { text: '<i>', correct: false, explanation: 'Italic.' },
        ],
      },
    ],
  };
  const quizMd = createMarkdown({ code: (source, language) => highlighter.code(source, language), diagram: () => '', html: false });
  const html = renderQuiz(quiz, 'lessons/quiz.json', env().page, quizMd);

  it('renders each question with its choices as buttons that the script enables', () => {
    expect(html).toContain('<h1>Quiz &lt;one&gt;</h1>');
    expect(html).toContain('<section class="question" id="q-tags"');
    expect(html.match(/<button type="button" class="choice" data-correct="(true|false)" disabled>/g)).toHaveLength(2);
  });

  it('keeps the answer readable without JavaScript, behind a disclosure', () => {
    expect(html).toMatch(/<details class="answer"><summary>Answer and explanations<\/summary>\s*<p>The answer is <strong>A<\/strong>: <code>&lt;b&gt;<\/code>.<\/p>/);
    expect(html).toContain('<noscript>');
  });

  it('escapes markup that the quiz text does not mean as markup', () => {
    expect(html).toContain('<code>&lt;b&gt;</code>');
    expect(html).toContain('<span class="choice-text">&lt;i&gt;</span>');
    expect(html).toContain('It is &lt;b&gt;.');
    expect(html).not.toMatch(/<i>|<b>/);
  });
});

describe('diagram helpers', () => {
  it('rounds coordinates and drops what the picture does not use', () => {
    const svg =
      '<svg id="m"><defs><symbol id="m-computer"><path d="M1 1"/></symbol></defs><symbol id="m-used"><path d="M0 0"/></symbol>' +
      '<use href="#m-used"/><path d="M-28.01171875 -16 C-15.213465832463624 -16" data-points="abc"/><text x="3.14159">t=29.99999</text></svg>';
    expect(compactSvg(svg)).toBe(
      '<svg id="m"><symbol id="m-used"><path d="M0 0"/></symbol><use href="#m-used"/><path d="M-28.01 -16 C-15.21 -16"/><text x="3.14">t=29.99999</text></svg>',
    );
  });

  it("keeps mermaid's message and drops the browser's stack", () => {
    const error = new Error(
      "Error: Parse error on line 3:\n...A --> B --\n---------^\nExpecting 'STR', got '1'\nParser.parseError (https://mermaid-cli-intercept.invalid/x/chunk.mjs:1523:21)",
    );
    expect(mermaidMessage(error)).toBe("Parse error on line 3:\n...A --> B --\n---------^\nExpecting 'STR', got '1'");
  });
});
