import fs from 'node:fs';
import { chromium } from 'playwright-core';
import { compactSvg } from './site/src/diagrams';
import { PageFigures } from './site/src/figures';
async function main() {
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
  const bad: string[] = [];
  for (const scheme of ['light', 'dark'] as const) {
    const page = await browser.newPage({ colorScheme: scheme, viewport: { width: 1600, height: 1000 } });
    for (let i = 0; i < 18; i++) {
      const file = `/tmp/s16/d${i}.${scheme === 'light' ? 'default' : 'dark'}.svg`;
      const original = fs.readFileSync(file, 'utf8');
      const figs = new PageFigures();
      const read = (v: string) => compactSvg(fs.readFileSync(`/tmp/s16/d${i}.${v}.svg`, 'utf8')).replaceAll(`"m${i}`, `"mermaid-${i}x`).replaceAll(`#m${i}`, `#mermaid-${i}x`);
      const fig = figs.figure({ id: `mermaid-${i}x`, light: read('default'), dark: read('dark') });
      const shot = async (html: string) => {
        await page.setContent(`<!doctype html><html><head><style>:root{color-scheme:light dark} body{margin:0;background:${scheme === 'light' ? '#fff' : '#111'}} figure{margin:0;display:inline-block} svg{display:block} .only-dark{display:none} ${figs.css()}</style></head><body><div id="x" style="display:inline-block">${html}</div></body></html>`);
        await page.evaluate(() => { const s = document.querySelector('svg')!; const vb = s.viewBox.baseVal; s.style.width = vb.width + 'px'; s.style.height = vb.height + 'px'; s.style.maxWidth = 'none'; s.style.minWidth = '0'; });
        return page.locator('svg').first().screenshot();
      };
      const a = await shot(original.replace(/<svg id="m\d+"/, '<svg id="orig"').replaceAll(`#m${i} `, '#orig ').replaceAll(`#m${i}{`, '#orig{'));
      const b = await shot(fig);
      fs.writeFileSync(`/tmp/s16/cmp-${scheme}-${i}-a.png`, a);
      fs.writeFileSync(`/tmp/s16/cmp-${scheme}-${i}-b.png`, b);
      if (!a.equals(b)) bad.push(`${scheme} ${i}`);
    }
  }
  console.log('different:', bad);
  await browser.close();
}
void main();
