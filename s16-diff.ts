import fs from 'node:fs';
import { chromium } from 'playwright-core';
const FN = `async ([a, b]) => {
  const load = (d) => new Promise((res) => { const im = new Image(); im.onload = () => res(im); im.src = 'data:image/png;base64,' + d; });
  const ia = await load(a), ib = await load(b);
  if (ia.width !== ib.width || ia.height !== ib.height) return 'size ' + ia.width + 'x' + ia.height + ' vs ' + ib.width + 'x' + ib.height;
  const px = (im) => { const c = document.createElement('canvas'); c.width = im.width; c.height = im.height; const x = c.getContext('2d'); x.drawImage(im, 0, 0); return x.getImageData(0, 0, im.width, im.height).data; };
  const da = px(ia), db = px(ib);
  let n = 0; for (let k = 0; k < da.length; k += 4) if (Math.abs(da[k] - db[k]) + Math.abs(da[k + 1] - db[k + 1]) + Math.abs(da[k + 2] - db[k + 2]) > 90) n++;
  return n + ' of ' + ia.width * ia.height;
}`;
async function main() {
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
  const page = await browser.newPage();
  for (const scheme of ['light', 'dark']) for (let i = 0; i < 18; i++) {
    const a = fs.readFileSync(`/tmp/s16/cmp-${scheme}-${i}-a.png`).toString('base64');
    const b = fs.readFileSync(`/tmp/s16/cmp-${scheme}-${i}-b.png`).toString('base64');
    console.log(scheme, i, await page.evaluate(`(${FN})(${JSON.stringify([a, b])})`));
  }
  await browser.close();
}
void main();
