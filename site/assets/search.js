// The search page: pagefind's index, built with the site, queried as the reader types. Loaded on
// this page only. Links and the index resolve from this script's own address, so the site works
// under any path (https://org.github.io/course/) and from a local server alike.
const siteRoot = new window.URL('..', import.meta.url);
const form = document.querySelector('[data-search-form]');
const input = document.getElementById('search-query');
const status = document.getElementById('search-status');
const list = document.getElementById('search-results');
const MAX_RESULTS = 20;
let pagefind = null;

async function engine() {
  if (!pagefind) {
    pagefind = await import(new window.URL('pagefind/pagefind.js', siteRoot).href);
    await pagefind.options({ baseUrl: siteRoot.pathname });
  }
  return pagefind;
}

function link(href, text) {
  const a = document.createElement('a');
  a.href = href;
  a.textContent = text;
  return a;
}

/** How strongly a section of a page matched: the sum of its matched words' scores (a word in a heading weighs most). */
const score = (section) => (section.weighted_locations || []).reduce((sum, word) => sum + word.balanced_score, 0);

/**
 * The sections of a result, best match first. Pagefind gives them in the page's order, one per
 * heading with an id (the part before the first heading is the page itself).
 */
function sections(result) {
  const found = (result.sub_results || []).filter((section) => section.locations && section.locations.length > 0);
  return found.map((section, index) => ({ section, index })).sort((a, b) => score(b.section) - score(a.section) || a.index - b.index).map(({ section }) => section);
}

/**
 * One result: the page, linked to the section that matched best (the page's top when that is its
 * first section), an excerpt from that section with the words found marked, and up to three other
 * sections that matched, best first.
 */
function render(result) {
  const item = document.createElement('li');
  const [best, ...others] = sections(result);
  const first = (result.sub_results || [])[0];
  const title = document.createElement('h2');
  const pageTitle = result.meta.title || result.url;
  const inSection = best && best !== first && best.url !== result.url;
  title.appendChild(link(inSection ? best.url : result.url, pageTitle));
  item.appendChild(title);
  if (inSection) {
    const where = document.createElement('p');
    where.className = 'search-section';
    where.textContent = `§ ${best.title}`;
    item.appendChild(where);
  }
  const excerpt = document.createElement('p');
  // Pagefind escapes the page's text and wraps the words found in <mark>.
  excerpt.innerHTML = best ? best.excerpt : result.excerpt;
  item.appendChild(excerpt);
  const more = others.filter((section) => section.url !== result.url).slice(0, 3);
  if (more.length > 0) {
    const sub = document.createElement('ul');
    for (const section of more) {
      const entry = document.createElement('li');
      entry.appendChild(link(section.url, section.title));
      sub.appendChild(entry);
    }
    item.appendChild(sub);
  }
  return item;
}

async function search(term) {
  const query = term.trim();
  const address = new window.URL(window.location.href);
  address.searchParams.set('q', query);
  window.history.replaceState(null, '', address);
  if (!query) {
    list.hidden = true;
    list.replaceChildren();
    status.textContent = '';
    return;
  }
  status.textContent = 'Searching…';
  const found = await (await engine()).debouncedSearch(query, {}, 200);
  // null: a newer query replaced this one.
  if (found === null) return;
  const results = await Promise.all(found.results.slice(0, MAX_RESULTS).map((result) => result.data()));
  list.replaceChildren(...results.map(render));
  list.hidden = results.length === 0;
  const count = found.results.length;
  status.textContent = count === 0 ? `Nothing found for “${query}”.` : `${count} ${count === 1 ? 'page' : 'pages'} found for “${query}”${count > MAX_RESULTS ? `; the first ${MAX_RESULTS} are shown` : ''}.`;
}

if (form && input && status && list) {
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    void search(input.value);
  });
  input.addEventListener('input', () => void search(input.value));
  const initial = new window.URL(window.location.href).searchParams.get('q');
  if (initial) {
    input.value = initial;
    void search(initial);
  }
}
