// Unit tests of the renderer: markdown, code, notebook outputs, the escaping of output text,
// the quiz page, the page frame, and the helpers around diagrams and the browser.
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { compactSvg, mermaidMessage } from '../../tooling/diagrams/renderer';
import { cardPath, cardSvg } from '../src/cards';
import { PageFigures, diagramName, mergeValue } from '../src/figures';
import { createCodeHighlighter, type CodeHighlighter } from '../src/highlight';
import { firstParagraph, layout, relativeHref } from '../src/layout';
import { lessonDiagrams, renderLesson, toolkitImports } from '../src/lesson';
import { createMarkdown, newPageState, type LinkResolver, type MarkdownEnv } from '../src/markdown';
import type { Notebook, Output } from '../../tooling/notebook';
import { cleanText, renderOutputs } from '../src/outputs';
import { normalizeBaseUrl, robots, sitemap } from '../src/publish';
import { lessonQuizPage, questionsByLesson, renderQuizPage, reviewQuizPage, withoutVerdict } from '../src/quiz-page';
import type { Quiz } from '../../tooling/quiz';

let highlighter: CodeHighlighter;
const drawn: string[] = [];
/** The section each diagram was drawn in, in order. */
const drawnIn: (string | undefined)[] = [];

beforeAll(async () => {
  highlighter = await createCodeHighlighter();
}, 30_000);
afterEach(() => vi.restoreAllMocks());

const renderers = {
  code: (source: string, language: string) => highlighter.code(source, language),
  diagram: (code: string, _page: unknown, section?: string) => {
    drawn.push(code);
    drawnIn.push(section);
    return `<figure class="diagram"><svg data-test="diagram"><text>${code.trim()}</text></svg></figure>`;
  },
};
const md = createMarkdown(renderers);
/** As the site renders what code displayed: any HTML in it is text. */
const outputMd = createMarkdown({ ...renderers, html: false });

function env(warnings: string[] = []): MarkdownEnv {
  const links: LinkResolver = {
    link: (target) => (target.startsWith('02-') ? `02-next.html${target.includes('#') ? '#' + target.split('#')[1] : ''}` : null),
    image: () => null,
    warn: (message) => warnings.push(message),
    named: (text) => (text === '02-at-least-once' ? '../exercises/02-at-least-once.html' : null),
  };
  return { page: newPageState(links), source: 'lessons/01-x.ipynb', where: 'cell 1 (markdown)' };
}

describe('markdown', () => {
  it('gives headings unique ids that start with a letter, and permalinks below the title', () => {
    const page = env();
    const html = md.render('# Hello, world!\n\n## Hello, world!\n\n### 1. Why `ack`?', page);
    expect(html).toContain('<h1 id="hello-world">Hello, world!</h1>');
    expect(html).toContain('<h2 id="hello-world-2">Hello, world!<a class="anchor" href="#hello-world-2" aria-label="Link to this section"></a></h2>');
    expect(html).toContain('<h3 id="section-1-why-ack">');
    expect(page.page.headings).toEqual([
      { level: 2, id: 'hello-world-2', html: 'Hello, world!' },
      { level: 3, id: 'section-1-why-ack', html: '1. Why ack?' },
    ]);
  });

  it('tells each diagram the section it is in: the heading above it, in its fragment of the page or an earlier one', () => {
    const page = env();
    const diagram = (text: string) => `\`\`\`mermaid\ngraph LR\n  ${text}\n\`\`\``;
    drawnIn.length = 0;
    md.render(`${diagram('a')}\n\n# Lesson 01 · First\n\n${diagram('b')}\n\n## Retries *and* \`acks\`\n\n${diagram('c')}\n\n## Later`, page);
    md.render(diagram('d'), page);
    expect(drawnIn).toEqual([undefined, 'Lesson 01 · First', 'Retries and acks', 'Later']);
  });

  it('wraps tables so that they scroll on a phone, with header scopes and alignment as classes', () => {
    const html = md.render('| a | n |\n|---|---:|\n| 1 | 2 |', env());
    expect(html).toMatch(/<div class="table-wrap" tabindex="0" data-pagefind-weight="0.1">\s*<table>/);
    expect(html).toContain('<th scope="col">a</th>');
    expect(html).toContain('<th scope="col" class="align-right">n</th>');
    expect(html).toContain('<td class="align-right">2</td>');
    expect(html).not.toContain('style=');
  });

  it('links the id of an exercise written as code to its page', () => {
    const html = md.render('Practise: exercise `02-at-least-once` (`npm run grade -- 02`).', env());
    expect(html).toContain('<a href="../exercises/02-at-least-once.html"><code>02-at-least-once</code></a>');
    expect(html).toContain('<code>npm run grade -- 02</code>');
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

  it('highlights code with classes instead of inline styles, in both themes, leaving text in the text colour bare', () => {
    const html = md.render('```ts\nconst answer: number = 42;\n```', env());
    expect(html).toMatch(/^<pre class="shiki" tabindex="0"><code>/);
    expect(html).not.toContain('style=');
    expect(html).not.toContain('class="line"');
    expect(html).toMatch(/<span class="t-[0-9a-f]{6}">const<\/span>/);
    expect(html).toMatch(/<\/span>;<\/code>/);
    expect(highlighter.css()).toMatch(/^\.shiki\{color:light-dark\(#1f2328, #e6edf3\)\}$/m);
    expect(highlighter.css()).toMatch(/\.shiki \.t-[0-9a-f]{6}\{color:light-dark\(#[0-9A-Fa-f]{6}, #[0-9A-Fa-f]{6}\)\}/);
  });

  it('colours the same code the same way however slow the machine is', () => {
    const source = 'const wait = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)); // ' + 'x'.repeat(200);
    const calm = highlighter.code(source, 'ts');
    // shiki gives up on a line after 500 ms by default: on a loaded machine, every tick looks like a second.
    let now = Date.now();
    vi.spyOn(Date, 'now').mockImplementation(() => (now += 1000));
    expect(highlighter.code(source, 'ts')).toBe(calm);
  });

  it('escapes code in a language it does not know', () => {
    const html = md.render('```brainfuck\n<script>alert(1)</script>\n```', env());
    expect(html).toContain('<code>&#x3C;script>alert(1)&#x3C;/script></code>');
    expect(html).not.toContain('<script>');
  });

  it('hands ```mermaid blocks to the diagram renderer', () => {
    drawn.length = 0;
    const html = md.render('```mermaid\ngraph LR\n  A-->B\n```', env());
    expect(html).toContain('<figure class="diagram"><svg data-test="diagram">');
    expect(drawn).toEqual(['graph LR\n  A-->B\n']);
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

  it('shows HTML in displayed Markdown as text: a table of types, an ampersand, a closing script tag', () => {
    const html = renderOutputs([{ output_type: 'display_data', data: { 'text/markdown': '| shape | note |\n| --- | --- |\n| Map<topic, Set<handler>> | a & b </script> |' } }], {
      markdown: (text) => outputMd.render(text, env()),
    });
    expect(html).toContain('<td>Map&lt;topic, Set&lt;handler&gt;&gt;</td>');
    expect(html).toContain('<td>a &amp; b &lt;/script&gt;</td>');
    expect(html).not.toMatch(/<handler>|<\/script>/);
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

  it('says under the output of a cell tagged "measured", and of no other cell, that its figures are the build\'s', () => {
    const printed = (text: string): Output[] => [{ output_type: 'stream', name: 'stdout', text }];
    const timed: Notebook = {
      cells: [
        { cell_type: 'markdown', source: '# T' },
        { cell_type: 'code', source: 'console.log(performance.now());', metadata: { tags: ['measured'] }, outputs: printed('12.5\n') },
        { cell_type: 'code', source: 'console.log(1 + 1);', metadata: { tags: ['stderr-ok'] }, outputs: printed('2\n') },
      ],
    };
    const html = renderLesson(timed, 'lessons/01-x.ipynb', env().page, { md, outputMd, code: renderers.code }, { notebook: '01-x.ipynb', exercises: [], toolkit: '' });
    const note = 'Measured when this page was built; your run will show other numbers.';
    const [, measured, plain] = html.split('<div class="cell code">');
    expect(measured).toContain(`<div class="cell-output"><pre class="output stdout" tabindex="0" aria-label="Output">12.5</pre><p class="measured-note" data-pagefind-ignore>${note}</p></div>`);
    expect(plain).toContain('>2</pre>');
    expect(html.split(note)).toHaveLength(2);
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
          { text: '`<b>`', correct: true, explanation: 'Right. It is <b>.' },
          { text: '<i> tag.', correct: false, explanation: 'Wrong: italic.' },
        ],
      },
    ],
  };
  const quizMd = createMarkdown({ code: (source, language) => highlighter.code(source, language), diagram: () => '', html: false });
  const withLesson = { ...quiz, questions: [{ ...quiz.questions[0], lesson: '01-x' }] };
  const html = renderQuizPage({ title: withLesson.title, intro: '<p>One question.</p>', questions: withLesson.questions }, 'lessons/quiz.json', env().page, quizMd, (id) =>
    id === '01-x' ? { title: 'Lesson 01', href: 'lessons/01-x.html' } : null,
  );

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
    expect(html).toContain('<span class="choice-text">&lt;i&gt; tag.</span>');
    expect(html).toContain('It is &lt;b&gt;.');
    expect(html).not.toMatch(/<i>|<b>/);
  });

  it('says whether a choice is right once, with one full stop after each sentence', () => {
    expect(html).toContain('<p class="explanation" hidden>It is &lt;b&gt;.</p>');
    expect(html).toContain('<p class="explanation" hidden>Italic.</p>');
    expect(html).toContain('<li><strong>B. Wrong:</strong> &lt;i&gt; tag. Italic.</li>');
    expect(html).not.toMatch(/\.\.|Right\. It|Wrong: italic/);
    expect(withoutVerdict('Correct — it is.')).toBe('It is.');
    expect(withoutVerdict('Rightly so.')).toBe('Rightly so.');
  });

  it('links a question to the lesson its data names, when the quiz has that field', () => {
    expect(html).toContain('<p class="review">Review: <a href="lessons/01-x.html">Lesson 01</a></p>');
  });

  describe('one page per lesson, and a review of the whole course', () => {
    const question = (id: string, lesson?: string) => ({ ...quiz.questions[0], id, lesson });
    const course: Quiz = { title: 'Check yourself', questions: [question('a1', '01-x'), question('b1', '02-y'), question('a2', '01-x'), question('loose'), question('gone', '09-gone')] };
    const lessons = [{ id: '01-x' }, { id: '02-y' }, { id: '03-z' }];
    const grouped = questionsByLesson(course, lessons);
    const linkTo = (id: string) => ({ link: { title: `Lesson ${id}`, href: `lessons/${id}.html` }, quiz: { title: `Quiz: Lesson ${id}`, href: `quiz/${id}.html` } });
    const review = reviewQuizPage(course, grouped.lessons.map(({ lesson, questions }) => ({ ...linkTo(lesson.id), questions })), grouped.unplaced);
    const reviewHtml = renderQuizPage(review, 'lessons/quiz.json', env().page, quizMd);

    it('groups the questions by lesson, in the course order, and keeps those of no lesson of the course apart', () => {
      expect(grouped.lessons.map(({ lesson, questions }) => [lesson.id, questions.map((q) => q.id)])).toEqual([
        ['01-x', ['a1', 'a2']],
        ['02-y', ['b1']],
      ]);
      expect(grouped.unplaced.map((q) => q.id)).toEqual(['loose', 'gone']);
    });

    it('lists every lesson quiz on the review page and samples its first question, kept out of the search index', () => {
      expect(reviewHtml).toContain('<li><a href="quiz/01-x.html">Lesson 01-x</a> <span class="meta">2 questions</span></li>');
      expect(reviewHtml).toContain('<li><a href="quiz/02-y.html">Lesson 02-y</a> <span class="meta">1 question</span></li>');
      expect(reviewHtml.match(/data-question/g)).toHaveLength(4);
      expect(reviewHtml).toContain('<section class="question" id="q-a1" aria-labelledby="q-a1-title" data-question data-pagefind-ignore>');
      expect(reviewHtml).toContain('<section class="question" id="q-loose" aria-labelledby="q-loose-title" data-question>');
      expect(reviewHtml).not.toContain('id="q-a2"');
      expect(reviewHtml).toContain('<p class="more"><a href="quiz/01-x.html">All 2 questions on Lesson 01-x</a></p>');
    });

    it('asks all of a lesson\'s questions on its page, linking the lesson and the review', () => {
      const page = lessonQuizPage({ title: 'Lesson 01', href: '../lessons/01-x.html' }, grouped.lessons[0].questions, { title: 'Check yourself', href: '../quiz.html' });
      const lessonHtml = renderQuizPage(page, 'lessons/quiz.json', env().page, quizMd);
      expect(lessonHtml).toContain('<h1>Quiz: Lesson 01</h1>');
      expect(lessonHtml).toContain('2 questions on <a href="../lessons/01-x.html">Lesson 01</a>');
      expect(lessonHtml).toContain('<a href="../quiz.html">Check yourself</a>');
      expect(lessonHtml.match(/data-question/g)).toHaveLength(2);
      expect(lessonHtml).not.toContain('data-pagefind-ignore');
      expect(lessonHtml).toContain('Question 2 of 2');
    });
  });
});

describe('the page frame', () => {
  const site = { title: 'Course', baseUrl: 'https://example.org/course/', contents: [{ title: 'Lessons', ordered: true, links: [{ title: '01 · One', path: 'lessons/01-one.html' }, { title: '02 · Two', path: 'lessons/02-two.html' }] }] };
  const headings = ['a', 'b', 'c', 'd'].map((id) => ({ level: 2, id, html: id.toUpperCase() }));
  const html = layout(site, { path: 'lessons/01-one.html', title: 'One', section: 'lessons', body: '<h1>One</h1>\n<p>First <em>words</em> &amp; more.</p>', headings, css: '#d{max-width:1px}', searchable: true });

  it('marks the current page in the sidebar, with its sections under it', () => {
    expect(html).toContain('<li><a href="01-one.html" aria-current="page">01 · One</a><nav class="toc" aria-label="On this page">');
    expect(html).toContain('<li><a href="#d">D</a></li>');
    expect(html).toContain('<li><a href="02-two.html">02 · Two</a></li>');
  });

  it('describes the page by its first paragraph, with canonical and Open Graph links from the base URL', () => {
    expect(html).toContain('<meta name="description" content="First words &amp; more.">');
    expect(html).toContain('<link rel="canonical" href="https://example.org/course/lessons/01-one.html">');
    expect(html).toContain('<meta property="og:url" content="https://example.org/course/lessons/01-one.html">');
    expect(html).toContain('<style>\n#d{max-width:1px}\n</style>');
    expect(html).toContain('<main id="main" tabindex="-1" data-pagefind-body>');
    expect(firstParagraph(`<p></p><p>${'word '.repeat(50)}</p>`)).toMatch(/^(word ){30,}word…$/);
  });

  it("takes the description from the page's first real sentence, past a lesson's learning objectives", () => {
    const lesson =
      '<h1>Lesson 07 · Errors</h1><p><strong>Learning objectives.</strong> After this lesson you can</p><ul><li>retry;</li><li>stop.</li></ul>' +
      '<p>Code below:</p><p>The timeout below is real, on this machine&#39;s loopback. The lost message runs on netsim. A third sentence that would not fit in the description at all, being long.</p>';
    expect(firstParagraph(lesson)).toBe('The timeout below is real, on this machine&#39;s loopback. The lost message runs on netsim.');
    // In a lesson, a note on how the notebook runs is no description either.
    const withNote = `${lesson}<p>The first section says what the lesson is about, in a sentence or two.</p>`;
    expect(firstParagraph(withNote, { notebook: true })).toBe('The first section says what the lesson is about, in a sentence or two.');
    expect(firstParagraph(`<p>${'A long first sentence that says enough on its own. '.repeat(2)}</p>`)).toBe('A long first sentence that says enough on its own. A long first sentence that says enough on its own.');
    expect(firstParagraph(`<p>${'A sentence long enough to stand alone as a description of the page, '.repeat(2)}done. Next one.</p>`)).toBe(
      `${'A sentence long enough to stand alone as a description of the page, '.repeat(2)}done.`,
    );
  });

  it('ends no description on a colon: the sentence that introduces a figure or a table is left out', () => {
    expect(firstParagraph('<p>A program that sends one and then two has put them in an order. Nothing obliges a network to keep it:</p>')).toBe(
      'A program that sends one and then two has put them in an order.',
    );
    expect(firstParagraph('<p>Five messages leave the sender one millisecond apart, each delayed by 5 to 30 ms:</p>')).toBe(
      'Five messages leave the sender one millisecond apart, each delayed by 5 to 30 ms…',
    );
  });

  it("describes a lesson by its introduction or its first section's opening paragraph, else by its first learning objective", () => {
    const head = '<h1>Lesson 06 · Patterns</h1><p><strong>Learning objectives.</strong> After this lesson you can</p><ul><li>name four patterns and pick one for a job;</li><li>build them.</li></ul>';
    const note = '<p>Every pattern below runs on <code>netsim</code> with seeded delays, the same on every run.</p>';
    const table = '<div class="table-wrap"><table><tr><td>request-response</td></tr></table></div>';
    const later = '<p>We build each on netsim nodes, and a diagram shows what happened on the wire.</p>';
    // After a table, a paragraph goes on with what the table said: the objective says what the lesson is about.
    expect(firstParagraph(`${head}${note}<h2 id="four">Four patterns</h2>${table}${later}<h2 id="next">Next</h2>`, { notebook: true })).toBe('Learn to name four patterns and pick one for a job.');
    const opening = '<p>A caller that sends a request and waits for the answer uses request-response.</p>';
    expect(firstParagraph(`${head}${note}<h2 id="four">Four patterns</h2>\n${opening}${table}`, { notebook: true })).toBe('A caller that sends a request and waits for the answer uses request-response.');
    // Any other page takes its first real paragraph wherever it is.
    expect(firstParagraph(`${head}<h2 id="four">Four patterns</h2>${table}${later}`)).toBe('We build each on netsim nodes, and a diagram shows what happened on the wire.');
  });

  it('names the page\'s card as its Open Graph image on a published site, and no image without the address', () => {
    expect(html).toContain('<meta property="og:image" content="https://example.org/course/cards/lessons/01-one.png">');
    expect(html).toContain('<meta property="og:image:width" content="1200">\n<meta property="og:image:height" content="630">\n<meta property="og:image:alt" content="One">');
    expect(html).toContain('<meta name="twitter:card" content="summary_large_image">');
    const local = layout({ ...site, baseUrl: undefined }, { path: 'lessons/01-one.html', title: 'One', section: 'lessons', body: '<h1>One</h1>' });
    expect(local).toContain('<meta property="og:title" content="One">');
    expect(local).not.toMatch(/og:image|og:url|rel="canonical"|twitter:card/);
    const notFound = layout(site, { path: '404.html', title: 'Page not found', section: 'error', body: '<h1>Page not found</h1>' });
    expect(notFound).not.toMatch(/og:image|og:url|rel="canonical"/);
  });

  it("draws a card of the page's title: escaped, broken into at most four lines that fit", () => {
    expect(cardPath('lessons/01-one.html')).toBe('cards/lessons/01-one.png');
    const short = cardSvg({ site: 'Course', kind: 'Lesson 01', title: 'Acks & <retries>' });
    expect(short).toContain('Course · Lesson 01');
    expect(short).toContain('>Acks &amp; &lt;retries&gt;</tspan>');
    const long = cardSvg({ site: 'Course', kind: '', title: 'word '.repeat(80).trim() });
    const lines = [...long.matchAll(/<tspan[^>]*>([^<]*)<\/tspan>/g)].map((match) => match[1]);
    expect(lines).toHaveLength(4);
    expect(lines[3]).toMatch(/…$/);
    expect(Math.max(...lines.map((line) => line.length))).toBeLessThanOrEqual(Math.floor(1040 / (54 * 0.56)));
  });

  it('writes a sitemap and a robots.txt for the published address', () => {
    expect(normalizeBaseUrl('https://org.github.io/course')).toBe('https://org.github.io/course/');
    expect(() => normalizeBaseUrl('org.github.io/course')).toThrow(/absolute address/);
    expect(sitemap('https://o.io/c/', ['index.html', 'quiz.html'])).toContain('<url><loc>https://o.io/c/</loc></url>\n<url><loc>https://o.io/c/quiz.html</loc></url>');
    expect(robots('https://o.io/c/')).toBe('User-agent: *\nAllow: /\nSitemap: https://o.io/c/sitemap.xml\n');
    expect(robots()).toBe('User-agent: *\nAllow: /\n');
  });
});

describe('diagrams on a page', () => {
  const svg = (id: string, colors: { fill: string; text: string; flood: string }, extra = '') =>
    `<svg id="${id}" width="100%" xmlns="http://www.w3.org/2000/svg" style="max-width: 300px; background-color: transparent;" viewBox="0 0 300 100" role="graphics-document document">` +
    `<style>#${id}{font-family:arial;font-size:16px;fill:${colors.text};}#${id} .node rect{fill:${colors.fill};stroke:#333;}#${id} .unused-class{fill:red;}#${id} [data-look="neo"].node{stroke:url(#${id}-gradient);}</style>` +
    `<defs><filter id="${id}-shadow"><feDropShadow flood-color="${colors.flood}"/></filter></defs>` +
    `<g class="node" data-id="a" marker-end="url(#${id}-arrow)" filter="url(#${id}-shadow)"><rect width="10" height="10"/><text style="font-size: 16px;">A &amp; B</text></g><marker id="${id}-arrow"><path d="M0 0"/></marker>${extra}</svg>`;
  const light = svg('mermaid-x', { fill: '#ECECFF', text: '#333', flood: '#000000' });
  const dark = svg('mermaid-x', { fill: 'hsl(180, 1.5%, 28.3%)', text: '#ccc', flood: '#FFFFFF' });
  const SOURCE = 'graph LR\n  a[A & B] --> b';

  it('merges the light and the dark rendering into one SVG whose colours follow the colour scheme', () => {
    const figures = new PageFigures();
    const html = figures.figure({ id: 'mermaid-x', light, dark }, SOURCE);
    expect(html.match(/<svg/g)).toHaveLength(1);
    expect(html).not.toMatch(/style=|<style|data-id=|width="100%"/);
    expect(html).toContain('<text class="s-');
    expect(html).toContain('A &amp; B');
    expect(html).toMatch(/<figure class="diagram" tabindex="0"><svg id="mermaid-x" viewBox="0 0 300 100" role="graphics-document document" aria-label="Flowchart: A &amp; B" class="m-[0-9a-f]{10}">/);
    const css = figures.css();
    expect(css).toMatch(/\.m-[0-9a-f]{10} \.node rect\{fill:light-dark\(#ECECFF, hsl\(180,1\.5%,28\.3%\)\);stroke:#333\}/);
    expect(css).toMatch(/:where\(\.p-[0-9a-f]{8}\)\{flood-color:light-dark\(#000000, #FFFFFF\)\}/);
    expect(css).not.toMatch(/unused-class|data-look/);
    // Text 12 px tall when it scrolls; shrunk to fit a frame of at least 188 px (text 10 px tall).
    expect(css).toContain('#mermaid-x{max-width:300px;min-width:225px}@container diagram (min-width:188px){#mermaid-x{min-width:0}}');
  });

  it('shares the CSS of diagrams alike, and gives a repeated diagram ids of its own', () => {
    const figures = new PageFigures();
    const first = figures.figure({ id: 'mermaid-x', light, dark }, SOURCE);
    const second = figures.figure({ id: 'mermaid-x', light, dark }, SOURCE);
    const other = figures.figure({ id: 'mermaid-y', light: light.replaceAll('mermaid-x', 'mermaid-y'), dark: dark.replaceAll('mermaid-x', 'mermaid-y') }, SOURCE);
    expect(second).toContain('id="mermaid-x-2"');
    expect(second).toContain('url(#mermaid-x-2-arrow)');
    expect(first).toContain('url(#mermaid-x-arrow)');
    const css = figures.css();
    expect(css.match(/\.node rect/g)).toHaveLength(1);
    expect(other.match(/class="(m-[0-9a-f]{10})"/)?.[1]).toBe(first.match(/class="(m-[0-9a-f]{10})"/)?.[1]);
  });

  it('keeps both renderings, one shown per theme, when they differ in more than colours', () => {
    const figures = new PageFigures();
    const html = figures.figure({ id: 'mermaid-x', light, dark: dark.replace('</svg>', '<g/></svg>') }, SOURCE);
    expect(html).toMatch(/<svg id="mermaid-x" [^>]*class="m-[0-9a-f]{10} only-light"/);
    expect(html).toMatch(/<svg data-pagefind-ignore id="mermaid-x-dark" [^>]*class="m-[0-9a-f]{10} only-dark"/);
  });

  it('names every diagram: its accTitle or title, else its kind, its section and what it shows', () => {
    expect(diagramName('graph LR\n  accTitle: A sends to B\n  a --> b')).toBe('A sends to B');
    expect(diagramName('---\ntitle: Flow\n---\ngraph LR\n  a --> b')).toBe('Flow');
    expect(diagramName('sequenceDiagram\n  participant c as Client\n  c->>server: hi\n  server-->>c: ok')).toBe('Sequence diagram: Client, server');
    expect(diagramName('sequenceDiagram\n  a->>b: ping\n  b-->>a: pong')).toBe('Sequence diagram: a, b');
    expect(diagramName('graph LR\n  A[Sender] -->|message| B([Receiver]) --> C{Ok?}')).toBe('Flowchart: Sender, Receiver, Ok?');
    expect(diagramName('graph TD\n' + Array.from({ length: 8 }, (_, i) => `  n${i}[N${i}]`).join('\n'))).toBe('Flowchart: N0, N1, N2, N3, N4, N5 and 2 more');
    expect(diagramName('pie\n  "a" : 1')).toBe('Pie chart');
    // Without a title, the section of the page it is in tells it from the page's other diagrams.
    expect(diagramName('sequenceDiagram\n  a->>b: ping', 'Retries and acks')).toBe('Sequence diagram for “Retries and acks”: a, b');
    expect(diagramName('pie\n  "a" : 1', ' Shares ')).toBe('Pie chart for “Shares”');
    expect(diagramName('graph LR\n  accTitle: A sends to B\n  a --> b', 'Retries')).toBe('A sends to B');
  });

  it('merges CSS values that differ in their colours only', () => {
    expect(mergeValue('drop-shadow(1px 2px 2px rgba(185, 185, 185, 1))', 'drop-shadow( 1px 2px 2px rgba(0,0,0,1))')).toBe('drop-shadow(1px 2px 2px light-dark(rgba(185,185,185,1), rgba(0,0,0,1)))');
    expect(mergeValue('1px solid #aaaa33', '1px solid white')).toBe('1px solid light-dark(#aaaa33, white)');
    expect(mergeValue('16px', '18px')).toBeNull();
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
