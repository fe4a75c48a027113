import { chromium } from 'playwright-core';
async function main() {
  const [url, out, width, scheme, full] = process.argv.slice(2);
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
  const page = await browser.newPage({ viewport: { width: Number(width), height: 900 }, colorScheme: scheme as 'light' | 'dark' });
  await page.goto(url);
  await page.waitForTimeout(500);
  await page.screenshot({ path: out, fullPage: full === 'full' });
  await browser.close();
}
void main();
