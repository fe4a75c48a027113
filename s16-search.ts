import { chromium } from 'playwright-core';
async function main() {
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const outside: string[] = [];
  page.on('request', (r) => { if (!r.url().startsWith('http://127.0.0.1:4816/course/')) outside.push(r.url()); });
  page.on('console', (m) => console.log('console', m.type(), m.text()));
  await page.goto('http://127.0.0.1:4816/course/index.html');
  await page.fill('#site-search-query', 'backoff');
  await page.press('#site-search-query', 'Enter');
  await page.waitForSelector('#search-results li');
  console.log(page.url(), await page.textContent('#search-status'));
  console.log((await page.locator('#search-results > li h2 a').allTextContents()).slice(0, 5), await page.locator('#search-results > li h2 a').first().getAttribute('href'));
  await page.screenshot({ path: '/tmp/s16/search.png' });
  await page.fill('#search-query', 'handler');
  await page.waitForTimeout(1500);
  console.log(await page.textContent('#search-status'), await page.locator('#search-results p').first().innerHTML());
  console.log('outside', outside);
  await page.goto('http://127.0.0.1:4816/course/lessons/nope/x.html');
  await page.screenshot({ path: '/tmp/s16/404.png' });
  console.log('outside', outside);
  await browser.close();
}
void main();
