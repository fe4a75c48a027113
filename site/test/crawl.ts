/** Visits every page of a built site in Chromium and records what the browser tests check. */
import fs from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { mapLimit } from '../../tooling/processes';

const AXE_SOURCE = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

export interface Visit {
  page: string;
  consoleErrors: string[];
  failedRequests: string[];
  /** Absolute URLs of links, stylesheets, scripts and images on the page. */
  links: string[];
  /** Element ids, to check links to fragments. */
  ids: string[];
  /** Serious and critical axe violations, as "rule: target"; null for a page scanned without a browser. */
  axe: string[] | null;
  diagrams: { svgs: number; texts: string[]; foreignObjects: number }[];
  scripts: string[];
  /** Every address the page asked for (documents, styles, scripts, images, fetches). */
  requests: string[];
  /** The sidebar's links marked as the current page. */
  current: string[];
}

async function visit(context: BrowserContext, baseUrl: string, page: string): Promise<Visit> {
  const tab: Page = await context.newPage();
  const result: Visit = { page, consoleErrors: [], failedRequests: [], links: [], ids: [], axe: null, diagrams: [], scripts: [], requests: [], current: [] };
  tab.on('request', (request) => result.requests.push(request.url()));
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
      current: Array.from(document.querySelectorAll('.sidebar a[aria-current="page"]'), (a) => (a as HTMLAnchorElement).href),
      diagrams: Array.from(document.querySelectorAll('figure.diagram'), (figure) => ({
        svgs: figure.querySelectorAll(':scope > svg:not(.only-dark)').length,
        texts: Array.from(figure.querySelectorAll(':scope > svg:not(.only-dark) text'), (t) => (t.textContent ?? '').trim()).filter(Boolean),
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

/**
 * Reads a page's links and ids from its HTML without a browser: for pages that come from one
 * template (the API reference), whose behaviour in the browser a sample shows.
 */
async function scan(baseUrl: string, page: string): Promise<Visit> {
  const url = baseUrl + page;
  const response = await fetch(url);
  const html = await response.text();
  const attribute = (name: string) => [...html.matchAll(new RegExp(`\\s${name}="([^"]*)"`, 'g'))].map((m) => m[1].replace(/&amp;/g, '&'));
  return {
    page,
    consoleErrors: [],
    failedRequests: response.ok ? [] : [`${url} (${response.status})`],
    links: [...attribute('href'), ...attribute('src')].filter((link) => !/^(data|javascript|mailto):/.test(link)).map((link) => new URL(link, url).href),
    ids: attribute('id'),
    axe: null,
    diagrams: [],
    scripts: [],
    requests: [url],
    current: [],
  };
}

/**
 * Visits the pages two at a time in one browser context, running axe on each (about two seconds
 * a page here); the pages `inBrowser` leaves out are only scanned for their links and ids.
 */
export async function visitAll(browser: Browser, baseUrl: string, pages: string[], inBrowser: (page: string) => boolean): Promise<Map<string, Visit>> {
  const context = await browser.newContext();
  const visits = await mapLimit(pages, 2, (page) => (inBrowser(page) ? visit(context, baseUrl, page) : scan(baseUrl, page)));
  await context.close();
  return new Map(visits.map((v) => [v.page, v]));
}
