/**
 * What a published site has besides its pages: the 404 page that GitHub Pages serves for any
 * address it does not know, and, given the address the site is published at (`--base-url`), a
 * sitemap and a robots.txt that points to it.
 */

/** The site's address as a base for URLs: absolute http(s), ending in `/`. */
export function normalizeBaseUrl(baseUrl: string): string {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    throw new Error(`--base-url must be an absolute address such as https://org.github.io/course/, not "${baseUrl}"`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new Error(`--base-url must start with https:// or http://, not "${baseUrl}"`);
  url.search = '';
  url.hash = '';
  if (!url.pathname.endsWith('/')) url.pathname += '/';
  return url.href;
}

const escapeXml = (text: string) => text.replace(/[<>&'"]/g, (c) => `&#${c.charCodeAt(0)};`);

/** sitemap.xml: the address of every page, in the order given (no dates: a rebuild changes nothing). */
export function sitemap(baseUrl: string, pages: string[]): string {
  const urls = pages.map((page) => `<url><loc>${escapeXml(new URL(page === 'index.html' ? '' : page, baseUrl).href)}</loc></url>`);
  return `<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n${urls.join('\n')}\n</urlset>\n`;
}

/** robots.txt: everything may be crawled; the sitemap, when the site's address is known. */
export function robots(baseUrl?: string): string {
  return `User-agent: *\nAllow: /\n${baseUrl ? `Sitemap: ${new URL('sitemap.xml', baseUrl).href}\n` : ''}`;
}

/** The 404 page's body; `href` gives the address of a page of the site (site-relative path). */
export function renderNotFound(href: (to: string) => string): string {
  return `<article class="not-found">
<h1>Page not found</h1>
<p>There is no page at this address. It may have moved when the course was updated.</p>
<p>Start again from the <a href="${href('index.html')}">home page</a>, <a href="${href('search.html')}">search the course</a>, or pick a page from the contents.</p>
</article>`;
}
