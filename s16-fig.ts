import fs from 'node:fs';
import { compactSvg } from './site/src/diagrams';
import { PageFigures } from './site/src/figures';
const page = new PageFigures();
let out = '';
let before = 0;
for (let i = 0; i < 18; i++) {
  const read = (v: string) => compactSvg(fs.readFileSync(`/tmp/s16/d${i}.${v}.svg`, 'utf8')).replaceAll(`"m${i}`, `"mermaid-${i}x`).replaceAll(`#m${i}`, `#mermaid-${i}x`);
  const light = read('default'), dark = read('dark');
  before += fs.readFileSync(`/tmp/s16/d${i}.default.svg`, 'utf8').length;
  const fig = page.figure({ id: `mermaid-${i}x`, light, dark });
  console.log(i, light.length, fig.length, fig.includes('only-dark') ? 'FALLBACK' : 'merged');
  out += fig + '\n';
}
const css = page.css();
console.log('before', before, 'after', out.length, 'css', css.length);
fs.writeFileSync('/tmp/s16/page.html', `<!doctype html><html><head><style>:root{color-scheme:light dark} :root[data-theme=dark]{color-scheme:dark} figure{margin:1rem;border:1px solid #888;overflow-x:auto} svg{display:block;width:100%;height:auto} .only-dark{display:none}\n${css}</style></head><body>${out}</body></html>`);
fs.writeFileSync('/tmp/s16/page.css', css);
