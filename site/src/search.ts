/**
 * Full-text search with pagefind: the index is built with the site, from the pages marked
 * `data-pagefind-body` (lessons, exercises, the quiz), and ships as static files next to them, so
 * search works offline and under any path. Only the search page loads pagefind's script; every
 * page's header has a plain form that leads there.
 */
import fs from 'node:fs';
import path from 'node:path';
import { listFiles } from '../../tooling/cache';

/** Where the index goes, relative to the site's root. */
const SEARCH_BUNDLE = 'pagefind';

/** Pagefind's ready-made interfaces, which the site does not use (assets/search.js is its own). */
const UNUSED = /^pagefind-(component-ui|modular-ui|ui|highlight)\.(js|css)$/;

/**
 * Indexes the pages (site-relative path and HTML) into `<outDir>/pagefind/` and returns the files
 * written, relative to `outDir`. The same pages always give the same files.
 */
export async function buildSearchIndex(outDir: string, pages: { path: string; html: string }[]): Promise<string[]> {
  // ESM, and it starts pagefind's binary: loaded only when a build writes pages.
  const pagefind = await import('pagefind');
  try {
    const { index, errors } = await pagefind.createIndex({ forceLanguage: 'en' });
    if (!index) throw new Error(`pagefind: ${errors.join('; ')}`);
    for (const page of pages) {
      const added = await index.addHTMLFile({ url: `/${page.path}`, content: page.html });
      if (added.errors.length > 0) throw new Error(`pagefind could not index ${page.path}: ${added.errors.join('; ')}`);
    }
    const bundle = path.join(outDir, SEARCH_BUNDLE);
    fs.rmSync(bundle, { recursive: true, force: true });
    const written = await index.writeFiles({ outputPath: bundle });
    if (written.errors.length > 0) throw new Error(`pagefind could not write its index: ${written.errors.join('; ')}`);
  } finally {
    await pagefind.close();
  }
  const bundle = path.join(outDir, SEARCH_BUNDLE);
  for (const file of fs.readdirSync(bundle)) if (UNUSED.test(file)) fs.rmSync(path.join(bundle, file));
  return listFiles(bundle).map((file) => path.posix.join(SEARCH_BUNDLE, file.split(path.sep).join('/')));
}

/** The search page's body: a form that works as a link target (`search.html?q=...`) and the results. */
export function renderSearchPage(): string {
  return `<article class="search-page">
<h1>Search</h1>
<form class="search-form" role="search" action="search.html" method="get" data-search-form>
<label for="search-query">Search the lessons, the exercises and the quiz</label>
<div class="search-row"><input id="search-query" type="search" name="q" autocomplete="off" spellcheck="false"><button type="submit">Search</button></div>
</form>
<p class="search-status" id="search-status" role="status"></p>
<ol class="search-results" id="search-results" hidden></ol>
<noscript><p class="callout">Search needs JavaScript. Without it, the contents list every page of the course.</p></noscript>
</article>`;
}
