// The renderer draws in one page, diagram after diagram: what it draws must not depend on what it
// drew before, and must be what mermaid-cli's renderMermaid draws in a fresh page of its own.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BROWSER_ARGS, findChromium } from '../programs';
import { compactSvg, DiagramRenderer, MERMAID_CONFIG, renumberParticipants } from './renderer';

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'renderer-test-'));
afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

const SEQUENCE = 'sequenceDiagram\n  participant client\n  participant server\n  client->>server: request\n  server-->>client: reply';
const FLOWCHART = 'graph LR\n  A[Sender] -->|message| B[Receiver]';
const OTHER = 'sequenceDiagram\n  a->>b: one\n  b->>c: two\n  c-->>a: three';

const draw = async (codes: string[]) => {
  const renderer = new DiagramRenderer({ cacheDir: scratch, browserPath: findChromium(), noCache: true });
  await renderer.prepare(codes.map((code, i) => ({ code, where: `diagram ${i + 1}` })));
  return renderer;
};

describe('the diagram renderer', () => {
  it('numbers a sequence diagram\'s participants from 0, whatever the page drew before', () => {
    expect(renumberParticipants('<g id="root-7"><line id="actor7"/></g><g id="root-6"><line id="actor6"/></g>')).toBe('<g id="root-1"><line id="actor1"/></g><g id="root-0"><line id="actor0"/></g>');
    expect(renumberParticipants('<text>actor7</text>')).toBe('<text>actor7</text>');
  });

  it('draws each diagram as it draws it alone, and as mermaid-cli draws it in a page of its own', { timeout: 120_000 }, async () => {
    const alone = (await draw([SEQUENCE])).svgs(SEQUENCE);
    const after = (await draw([OTHER, FLOWCHART, SEQUENCE])).svgs(SEQUENCE);
    expect(after).toEqual(alone);

    const [{ renderMermaid }, { default: puppeteer }] = await Promise.all([import('@mermaid-js/mermaid-cli'), import('puppeteer')]);
    const browser = await puppeteer.launch({ executablePath: findChromium(), headless: true, args: BROWSER_ARGS });
    try {
      for (const code of [SEQUENCE, FLOWCHART]) {
        const renderer = await draw([code]);
        const ours = renderer.svgs(code);
        for (const [variant, theme] of [['light', 'default'], ['dark', 'dark']] as const) {
          const { data } = await renderMermaid(browser, code, 'svg', { backgroundColor: 'transparent', svgId: ours.id, mermaidConfig: { ...MERMAID_CONFIG, theme } });
          // The renderer compacts what it draws (coordinates to two decimals, unused definitions out): so is mermaid-cli's here.
          expect(ours[variant], `${code.split('\n')[0]} (${variant})`).toBe(compactSvg(new TextDecoder().decode(data)));
        }
      }
    } finally {
      await browser.close();
    }
  });

  it("names the diagram and quotes mermaid's message when it cannot draw one, then draws the next in the same page", { timeout: 60_000 }, async () => {
    const renderer = new DiagramRenderer({ cacheDir: scratch, browserPath: findChromium(), noCache: true, keepBrowser: true });
    try {
      await expect(renderer.prepare([{ code: FLOWCHART, where: 'diagram 1' }, { code: 'graph LR\n  A -->|no end B', where: 'diagram 2' }])).rejects.toThrow(/^broken mermaid diagram in diagram 2:\n\w+ error on line \d+/);
      await renderer.prepare([{ code: SEQUENCE, where: 'diagram 3' }]);
      expect(renderer.svgs(SEQUENCE)).toEqual((await draw([SEQUENCE])).svgs(SEQUENCE));
    } finally {
      await renderer.close();
    }
  });
});
