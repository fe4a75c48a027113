/** Visits every page of a built site in Chromium and records what the browser tests check. */
import fs from 'node:fs';
import type { Browser, Page } from 'playwright-core';

const AXE_SOURCE = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

export interface Visit {
  page: string;
  consoleErrors: string[];
  failedRequests: string[];
  /** Absolute URLs of links, stylesheets, scripts and images on the page. */
  links: string[];
  /** Element ids, to check links to fragments. */
  ids: string[];
  /** Serious and critical axe violations, as "rule: target". */
  axe: string[];
  diagrams: { svgs: number; texts: string[]; foreignObjects: number }[];
  scripts: string[];
}

async function visit(browser: Browser, baseUrl: string, page: string): Promise<Visit> {
  const tab: Page = await browser.newPage();
  const result: Visit = { page, consoleErrors: [], failedRequests: [], links: [], ids: [], axe: [], diagrams: [], scripts: [] };
  tab.on('console', (message) => {
    if (message.type() === 'error') result.consoleErrors.push(message.text());
  });
  tab.on('pageerror', (error) => result.consoleErrors.push(error.message));
  tab.on('requestfailed', (request) => result.failedRequests.push(`${request.url()} (${request.failure()?.errorText})`));
  tab.on('response', (response) => {
    if (response.status() >= 400) result.failedRequests.push(`${response.url()} (${response.status()})`);
  });
  try {
    await tab.goto(baseUrl + page, { waitUntil: 'load' });
    const found = await tab.evaluate(() => ({
      links: [
        ...Array.from(document.querySelectorAll('a[href]'), (a) => (a as HTMLAnchorElement).href),
        ...Array.from(document.querySelectorAll('link[href]'), (l) => (l as HTMLLinkElement).href),
        ...Array.from(document.querySelectorAll('img[src]'), (i) => (i as HTMLImageElement).src),
      ],
      scripts: Array.from(document.querySelectorAll('script[src]'), (s) => (s as HTMLScriptElement).src),
      ids: Array.from(document.querySelectorAll('[id]'), (e) => e.id),
      diagrams: Array.from(document.querySelectorAll('figure.diagram'), (figure) => ({
        svgs: figure.querySelectorAll(':scope > svg').length,
        texts: Array.from(figure.querySelectorAll('svg text'), (t) => (t.textContent ?? '').trim()).filter(Boolean),
        foreignObjects: figure.querySelectorAll('foreignObject').length,
      })),
    }));
    Object.assign(result, found);
    result.links = result.links.filter((link) => !link.startsWith('data:'));
    await tab.addScriptTag({ content: AXE_SOURCE });
    const violations = await tab.evaluate(async () => {
      const axe = (window as unknown as { axe: { run(context: Document, options: object): Promise<{ violations: { id: string; impact: string; nodes: { target: string[] }[] }[] }> } }).axe;
      const { violations } = await axe.run(document, { resultTypes: ['violations'] });
      return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').flatMap((v) => v.nodes.map((n) => `${v.id}: ${n.target.join(' ')}`));
    });
    result.axe = violations;
  } finally {
    await tab.close();
  }
  return result;
}

/** Visits the pages a few at a time (the machine has two cores and neighbours). */
export async function visitAll(browser: Browser, baseUrl: string, pages: string[], concurrency = 2): Promise<Map<string, Visit>> {
  const visits = new Map<string, Visit>();
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < pages.length) {
        const page = pages[next++];
        visits.set(page, await visit(browser, baseUrl, page));
      }
    }),
  );
  return visits;
}
