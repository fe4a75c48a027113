import { chromium } from 'playwright-core';
async function main() {
  const [url, out, width, scheme, selector] = process.argv.slice(2);
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
  const page = await browser.newPage({ viewport: { width: Number(width), height: 900 }, colorScheme: scheme as 'light' | 'dark' });
  await page.goto(url);
  const el = page.locator(selector).first();
  await el.scrollIntoViewIfNeeded();
  await page.screenshot({ path: out });
  const sizes = await page.evaluate(`Array.from(document.querySelectorAll('figure.diagram svg')).map(s => { const m = s.getScreenCTM(); const texts = Array.from(s.querySelectorAll('text')); return [s.getBoundingClientRect().width|0, Math.min(...texts.map(t => parseFloat(getComputedStyle(t).fontSize) * m.a)).toFixed(1), getComputedStyle(s.closest('figure')).backgroundColor]; })`);
  console.log(JSON.stringify(sizes));
  await browser.close();
}
void main();
