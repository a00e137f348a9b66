// The advisory site's one script, loaded as a module from the site's own
// origin (the Content-Security-Policy allows nothing else). Every page works
// without it; with it, the index filters in place, code blocks get a copy
// button, the search page queries the Pagefind index, and an address that
// names a note's heading as GitHub does finds it.
// Text from advisories is only ever set through textContent, never as HTML.

const base = document.querySelector('meta[name="herald-base"]')?.getAttribute('content') ?? '/';

/** Creates an element with a class and text. */
function element(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

// Copy buttons -------------------------------------------------------------

function addCopyButtons() {
  const status = element('p', 'visually-hidden');
  status.setAttribute('role', 'status');
  document.body.append(status);
  for (const pre of document.querySelectorAll('pre')) {
    const code = pre.querySelector('code') ?? pre;
    let holder = pre.parentElement;
    if (!holder?.classList.contains('code-block')) {
      // A code block of the note body: wrap it, so the button sits on the block.
      holder = element('div', 'code-block');
      pre.before(holder);
      holder.append(pre);
    }
    holder.classList.add('copyable');
    const button = element('button', 'copy-button', 'Copy');
    button.type = 'button';
    button.addEventListener('click', async () => {
      try {
        await navigator.clipboard.writeText(code.textContent.replace(/\n$/, ''));
        button.textContent = 'Copied';
        status.textContent = 'Copied to the clipboard.';
      } catch {
        button.textContent = 'Select and copy';
        status.textContent = 'Copying is not allowed here; select the text and copy it.';
      }
      setTimeout(() => {
        button.textContent = 'Copy';
      }, 2000);
    });
    holder.append(button);
  }
}

// The address as the form's state ----------------------------------------

/**
 * Keeps a form's state in the page's address as steps that Back and
 * Forward go through. `keep(query, how, control)`: a `change` is a step of
 * its own, but a run of changes to one control (keystrokes in a box, the
 * arrow keys through a select's options) is one step, which its later
 * changes update; a change without a control (a reset, a submit) ends the
 * run. `load` puts the form's reading of the address in its place (a
 * filter value the site does not have is dropped), and `none` writes
 * nothing (Back or Forward brought the address).
 */
function addressKeeper() {
  let last;
  return (query, how, control) => {
    if (how !== 'none' && query !== location.search.slice(1)) {
      const address = query ? `?${query}` : location.pathname;
      if (how === 'load' || (control !== undefined && control === last)) history.replaceState(null, '', address);
      else history.pushState(null, '', address);
    }
    last = how === 'change' ? control : undefined;
  };
}

// Filters on the index -------------------------------------------------------

/** A list item with the advisory's title as a link, its id before it (a post has none), as the server writes it. */
function itemWithTitle(entry) {
  const item = element('li', entry.status === 'withdrawn' ? 'advisory-item is-withdrawn' : 'advisory-item');
  const heading = element('h2', 'advisory-item-title');
  const link = element('a');
  link.href = entry.url;
  if (entry.id) {
    link.append(element('span', 'advisory-id', entry.id), ' ');
  }
  link.append(entry.title);
  heading.append(link);
  item.append(heading);
  return item;
}

/** The line under an advisory's title: its dates, severity and (unless published) status. */
function metaLine(entry) {
  const meta = element('p', 'advisory-item-meta');
  const date = (label, value) => {
    const span = element('span', '', `${label} `);
    const time = element('time', '', value);
    time.dateTime = value;
    span.append(time);
    return span;
  };
  if (entry.published) meta.append(date('Published', entry.published));
  if (entry.updated && entry.updated !== entry.published) meta.append(date('Updated', entry.updated));
  if (entry.severity) meta.append(element('span', `badge severity-${entry.severity}`, entry.severity));
  if (entry.status && entry.status !== 'published') meta.append(element('span', `badge status-${entry.status}`, entry.status));
  if (entry.embargoed) meta.append(element('span', 'badge status-embargoed', 'Embargoed'));
  return meta;
}

/** One advisory from advisories.json as a list item, the same markup as the server's. */
function renderItem(entry, productNames) {
  const item = itemWithTitle({ ...entry, id: entry.note ? entry.id : undefined });
  item.append(metaLine(entry));
  if (entry.summary) item.append(element('p', 'advisory-item-summary', entry.summary));
  if (entry.products.length > 0) {
    const list = element('ul', 'tag-list');
    for (const slug of entry.products) {
      const li = element('li');
      const a = element('a', '', productNames[slug] ?? slug);
      a.href = `${base}products/${slug}/`;
      li.append(a);
      list.append(li);
    }
    item.append(list);
  }
  return item;
}

function matches(entry, filters) {
  if (filters.product && !entry.products.includes(filters.product)) return false;
  if (filters.severity && entry.severity !== filters.severity) return false;
  if (filters.status && entry.status !== filters.status) return false;
  if (filters.year && entry.year !== filters.year) return false;
  if (filters.cve) {
    // A CVE or a GitHub advisory id, or the start of one, in any case.
    const wanted = filters.cve.trim().toUpperCase();
    if (wanted && ![...entry.cves, ...(entry.ghsas ?? [])].some((id) => id.toUpperCase().includes(wanted))) return false;
  }
  return true;
}

/**
 * The filter form. Its index (advisories.json: every advisory, about 6 MB
 * at 10,000 of them) is fetched only when a reader is about to use the
 * form (focus or pointer on it, or filters in the address), never with the
 * page itself.
 */
function setUpFilters(form) {
  const list = document.querySelector('[data-advisory-list]');
  const pagination = document.querySelector('[data-pagination]');
  const status = form.querySelector('[data-filter-status]');
  if (!list) return;
  const original = [...list.children];
  const names = ['product', 'severity', 'status', 'year', 'cve'];
  const current = () => Object.fromEntries(names.map((name) => [name, form.elements.namedItem(name)?.value ?? '']));

  let loading;
  const load = () => {
    loading ??= (async () => {
      const response = await fetch(form.dataset.src);
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      return response.json();
    })();
    return loading;
  };

  const show = (index) => {
    const filters = current();
    const active = names.some((name) => filters[name]);
    if (!active) {
      list.replaceChildren(...original);
      if (pagination) pagination.hidden = false;
      status.textContent = '';
      return;
    }
    const found = index.advisories.filter((entry) => matches(entry, filters));
    list.replaceChildren(...found.map((entry) => renderItem(entry, index.products)));
    if (pagination) pagination.hidden = true;
    status.textContent = `${found.length} of ${index.advisories.length} advisories match.`;
  };

  let latest = 0;
  const keep = addressKeeper();
  /** Shows the advisories the form lets through, and keeps the filters in the address as `how` says (`addressKeeper`). */
  const apply = async (how = 'change', control = undefined) => {
    const filters = current();
    const query = new URLSearchParams();
    for (const name of names) if (filters[name]) query.set(name, filters[name]);
    keep(query.toString(), how, control);
    if (!names.some((name) => filters[name])) {
      show({ advisories: [] });
      return;
    }
    const ticket = ++latest;
    if (!status.textContent) status.textContent = 'Loading the list of advisories\u2026';
    let index;
    try {
      index = await load();
    } catch {
      // The server-rendered list and the facet pages still work.
      status.textContent = 'Filtering is not available on this copy of the site: use the pages by product, severity and year.';
      return;
    }
    if (ticket === latest) show(index);
  };

  /** The form as the address says. */
  const fromAddress = () => {
    const params = new URLSearchParams(location.search);
    for (const name of names) {
      const control = form.elements.namedItem(name);
      if (control) control.value = params.get(name) ?? '';
    }
    return params;
  };
  const params = fromAddress();
  // About to be used: start the download before the first choice.
  const prefetch = () => void load().catch(() => {});
  form.addEventListener('focusin', prefetch, { once: true });
  form.addEventListener('pointerover', prefetch, { once: true });
  form.addEventListener('input', (event) => apply('change', event.target.name));
  // A text field's change (it lost the focus) ends its run of typing; a select's is the same change as its input.
  form.addEventListener('change', (event) => apply('change', event.target.tagName === 'SELECT' ? event.target.name : undefined));
  form.addEventListener('reset', () => setTimeout(apply, 0));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    apply();
  });
  // Back and Forward through the filters chosen.
  window.addEventListener('popstate', () => {
    fromAddress();
    apply('none');
  });
  form.hidden = false;
  if (names.some((name) => params.get(name))) apply('load');
}

// Search (Pagefind) ---------------------------------------------------------

/** Pagefind's excerpts mark hits with <mark>; keep those and nothing else. */
function excerptNode(html) {
  const parsed = new DOMParser().parseFromString(`<p>${html}</p>`, 'text/html');
  const paragraph = element('p', 'search-excerpt');
  for (const node of parsed.body.firstElementChild?.childNodes ?? []) {
    if (node.nodeName === 'MARK') paragraph.append(element('mark', '', node.textContent));
    else paragraph.append(node.textContent);
  }
  return paragraph;
}

/** Search results shown at once, and added by each "Show more". */
const pageSize = 20;

/** One search result: the page's id, title, date, severity and status (its Pagefind meta), then the excerpt. */
function searchResult(hit) {
  const meta = hit.meta ?? {};
  const item = itemWithTitle({ url: hit.url, id: meta.id, title: meta.title ?? hit.url, status: meta.status });
  item.append(metaLine(meta), excerptNode(hit.excerpt ?? ''));
  return item;
}

/** Severities from the worst; other filters' values in order, years newest first. */
const severityOrder = ['critical', 'high', 'medium', 'low'];

/** Fills a filter's select with the values the index has (`counts`: how many pages have each). */
function fillFilter(select, counts) {
  const values = Object.keys(counts);
  if (select.name === 'severity') values.sort((a, b) => severityOrder.indexOf(a) - severityOrder.indexOf(b));
  else if (select.name === 'year') values.sort().reverse();
  else values.sort((a, b) => a.localeCompare(b, 'en'));
  const label = (value) => (select.name === 'severity' || select.name === 'status' ? value.charAt(0).toUpperCase() + value.slice(1) : value);
  for (const value of values) {
    const option = element('option', '', label(value));
    option.value = value;
    select.append(option);
  }
}

// Ids and CVEs first ---------------------------------------------------------

/**
 * An id, former id or CVE as one key, however it was typed: lower case,
 * its runs of letters and of digits joined by dashes, each number without
 * its leading zeros ("OSSN-0007", "ossn 7" and "ossn7" are all "ossn-7").
 */
function idKey(text) {
  return (text.toLowerCase().match(/[a-z]+|\d+/g) ?? []).map((run) => run.replace(/^0+(?=\d)/, '')).join('-');
}

/**
 * The advisory id or CVE that the words typed are, as readers type them,
 * or null: `lookup`, its own spelling (an id's number has four digits at
 * least, as `herald assign-ids` writes it: a word that only its page holds,
 * where "ossn7" would also be the start of OSSN-70 to OSSN-7999's "ossn70"),
 * and `key`, to tell the pages that carry it from the others the lookup
 * finds. A number typed alone with the zeros an id has ("0007") is taken
 * with the site's id prefix; a CVE's "CVE-" may be left out ("2014-0160"),
 * and so may a GitHub advisory id's "GHSA-" ("jfh8-c2jp-5v3q").
 */
function namedId(words, prefix) {
  const named = (spelling) => ({ lookup: spelling, key: idKey(spelling) });
  const ghsa = /^(?:ghsa[\s_-]*)?([2-9cfghjmpqrvwx]{4})[\s_-]+([2-9cfghjmpqrvwx]{4})[\s_-]+([2-9cfghjmpqrvwx]{4})$/i.exec(words) ?? /^ghsa[\s_-]*([2-9cfghjmpqrvwx]{4})([2-9cfghjmpqrvwx]{4})([2-9cfghjmpqrvwx]{4})$/i.exec(words);
  if (ghsa) return named(`GHSA-${ghsa.slice(1).join('-').toLowerCase()}`);
  const cve = /^(?:cve[\s_-]*)?(\d{4})[\s_-]+(\d{4,})$/i.exec(words);
  if (cve) return named(`CVE-${cve[1]}-${cve[2]}`);
  const id = /^(?:([a-z][a-z\d]*?)[\s_-]*)?(\d+)$/i.exec(words);
  // A number alone only as an id writes it ("0007"): "2014" is more often a year than OSSN-2014.
  if (!id || !(id[1] || (prefix && /^0\d{3,}$/.test(id[2])))) return null;
  return named(`${id[1] ?? prefix}-${id[2].replace(/^0+(?=\d)/, '').padStart(4, '0')}`);
}

/** Does a search result's page carry this id, CVE or GitHub advisory id (its Pagefind meta: id, ids with its former ids, cve, ghsa)? */
function names(meta, key) {
  return [meta.id, meta.ids, meta.cve, meta.ghsa].some((value) => (value ?? '').split(/\s+/).some((word) => word && idKey(word) === key));
}

/**
 * Results of a search for the words that the advisories they name come
 * first in. Pagefind ranks a page by how often and where the words are,
 * so "ossn 2" ranked pages with version numbers such as "2.2.21" above
 * OSSN-0002: a second search for the id's own form finds the pages that
 * carry it, and the first few it ranks are checked (one fragment each).
 */
async function withNamedFirst(pagefind, words, results, filters, prefix) {
  const named = namedId(words, prefix);
  if (!named) return results;
  let candidates;
  try {
    const lookup = await pagefind.search(named.lookup, { filters });
    candidates = await Promise.all(lookup.results.slice(0, namedCandidates).map(async (result) => ({ result, data: await result.data() })));
  } catch {
    // The words' own results still stand.
    return results;
  }
  const first = candidates.filter(({ data }) => names(data.meta ?? {}, named.key)).map(({ result }) => results.find((other) => other.id === result.id) ?? result);
  if (first.length === 0) return results;
  return [...first, ...results.filter((result) => !first.includes(result))];
}

/**
 * How many of the lookup's best results are checked: the advisory an id is
 * ranked first of them (at 10,000 notes too, for an id 25 others cite),
 * and a CVE may be named by a few advisories.
 */
const namedCandidates = 8;

// Dotted versions precisely -------------------------------------------------

/**
 * The dotted versions among the words typed ("2014.1", "1.0.1e"). Pagefind
 * drops the dots of a word, so "2014.1" is searched as "20141", and a word
 * is found by its start: 2014.10, 2014.11 and a date of 2014-11 matched.
 */
function versionsIn(words) {
  return words.split(/\s+/).filter((word) => /^\d+(?:\.[\da-z]+)+$/i.test(word));
}

/**
 * A version as a whole in a page's text: not within a longer number
 * (12014.1, 2014.10) nor the tail of another version (3.2014.1), while its
 * point releases count (2014.1 finds 2014.1.4).
 */
function versionPattern(version) {
  return new RegExp(`(?<![\\p{L}\\p{N}]\\.|\\p{N})${version.replaceAll('.', '\\.')}(?![\\p{L}\\p{N}])`, 'iu');
}

/** How many results' texts are fetched at once to be checked for the versions. */
const versionBatch = 25;

/**
 * The results whose page holds every dotted version typed, in its text or
 * its meta (the affected products' versions), in their order. Each
 * result's text is a fetch of its own (Pagefind keeps it for the listing
 * after); `stale` says when a newer search took over, and `progress` is
 * told how many are checked before each batch past the first.
 */
async function withVersionsExactly(results, words, stale, progress) {
  const versions = versionsIn(words);
  const patterns = versions.map(versionPattern);
  if (patterns.length === 0) return results;
  const kept = [];
  for (let start = 0; start < results.length && !stale(); start += versionBatch) {
    if (start > 0) progress(versions, start, results.length);
    const batch = results.slice(start, start + versionBatch);
    const data = await Promise.all(batch.map((result) => result.data()));
    batch.forEach((result, i) => {
      const text = [data[i].content ?? '', ...Object.values(data[i].meta ?? {})].join('\n');
      if (patterns.every((pattern) => pattern.test(text))) kept.push(result);
    });
  }
  return kept;
}

async function setUpSearch(form) {
  const input = form.querySelector('input[name="q"]');
  const results = document.querySelector('[data-search-results]');
  const status = document.querySelector('[data-search-status]');
  const more = document.querySelector('[data-search-more]');
  const filterBox = form.querySelector('[data-search-filters]');
  const selects = [...form.querySelectorAll('[data-search-filters] select')];
  const params = new URLSearchParams(location.search);
  const idPrefix = form.dataset.idPrefix ?? '';
  // The words from the address at once, so that the reader can edit them
  // while the index loads (a second or more at thousands of advisories);
  // what they type meanwhile is searched once it is there, never replaced.
  input.value = params.get('q') ?? '';
  let run = null;
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    run?.();
  });
  let pagefind;
  try {
    pagefind = await import(`${base}pagefind/pagefind.js`);
    await pagefind.options({ baseUrl: base });
    // The index is split into parts (a few hundred advisories each, so an
    // edit rewrites one part): merge them all into the (empty) primary index.
    const response = await fetch(`${base}pagefind/herald-search.json`, { cache: 'no-cache' });
    const list = response.ok ? await response.json() : { parts: [] };
    await Promise.all(list.parts.map((part) => pagefind.mergeIndex(`${base}pagefind/${part}`, { baseUrl: base })));
    pagefind.init();
  } catch {
    status.textContent = 'The search index is not available on this copy of the site.';
    return;
  }
  // The filters' values, read from every part of the index while the first search runs.
  const filling = pagefind.filters().then((available) => {
    for (const select of selects) fillFilter(select, available[select.name] ?? {});
    filterBox.hidden = selects.every((select) => select.options.length <= 1);
  });
  const chosen = () => Object.fromEntries(selects.filter((select) => select.value).map((select) => [select.name, select.value]));
  let latest = 0;
  let loadMore = async () => {};
  const keep = addressKeeper();
  // The words searched in the tab's title, so that the history's entries and the tabs tell the searches apart.
  const pageTitle = document.title;
  /** Searches what the form says, and keeps it in the address as `how` says (`addressKeeper`). */
  run = async (how = 'change', control = undefined) => {
    const term = input.value.trim();
    const filters = chosen();
    const filtered = Object.keys(filters).length > 0;
    const ticket = ++latest;
    // Until this search's results are in place (a newer one takes over).
    results.setAttribute('aria-busy', 'true');
    keep(new URLSearchParams({ ...(term ? { q: term } : {}), ...filters }).toString(), how, control);
    document.title = term ? `\u201c${term}\u201d \u2013 ${pageTitle}` : pageTitle;
    if (!term && !filtered) {
      results.replaceChildren();
      results.setAttribute('aria-busy', 'false');
      more.hidden = true;
      status.textContent = '';
      return;
    }
    // No words but a filter: every advisory the filters let through.
    const search = await pagefind.debouncedSearch(term || null, { filters }, 150);
    // A newer keystroke superseded this search.
    if (search === null || ticket !== latest) return;
    // A dotted version typed: the pages that hold it, not a longer number that starts alike.
    // Many candidates are many fetches: say how far the check is meanwhile.
    const checking = (versions, checked, total) => {
      status.textContent = `Looking for ${versions.map((version) => `\u201c${version}\u201d`).join(' and ')} in the text of ${total} advisories: ${checked} checked\u2026`;
    };
    const holding = term ? await withVersionsExactly(search.results, term, () => ticket !== latest, checking) : search.results;
    if (ticket !== latest) return;
    // An id or CVE typed: the advisory it names first.
    const ranked = term ? await withNamedFirst(pagefind, term, holding, filters, idPrefix) : holding;
    if (ticket !== latest) return;
    results.replaceChildren();
    more.hidden = true;
    const count = ranked.length;
    const none = term ? `No advisory mentions \u201c${term}\u201d${filtered ? ' with these filters' : ''}.` : 'No advisory matches these filters.';
    const found = count === 0 ? none : `${count} advisor${count === 1 ? 'y' : 'ies'} found`;
    // The results a page at a time: each one's data is a fetch of its own.
    const showNext = async () => {
      const shown = results.children.length;
      const data = await Promise.all(ranked.slice(shown, shown + pageSize).map((result) => result.data()));
      if (ticket !== latest) return;
      results.append(...data.map(searchResult));
      results.setAttribute('aria-busy', 'false');
      const now = results.children.length;
      status.textContent = count === 0 ? found : now < count ? `${found}; showing the first ${now}.` : `${found}.`;
      more.hidden = now >= count;
      more.textContent = `Show ${Math.min(pageSize, count - now)} more`;
    };
    loadMore = showNext;
    await showNext();
  };
  more.addEventListener('click', async () => {
    const first = results.children.length;
    more.disabled = true;
    try {
      await loadMore();
    } finally {
      more.disabled = false;
    }
    // Keyboard and screen reader users land on the first new result.
    results.children[first]?.querySelector('a')?.focus();
  });
  input.addEventListener('input', () => run('change', 'q'));
  for (const select of selects) select.addEventListener('change', () => run('change', select.name));
  // Back and Forward through the searches made.
  window.addEventListener('popstate', async () => {
    const address = new URLSearchParams(location.search);
    input.value = address.get('q') ?? '';
    await filling.catch(() => {});
    for (const select of selects) select.value = address.get(select.name) ?? '';
    run('none');
  });
  if (selects.some((select) => params.get(select.name))) {
    // Filters in the address: their options must be there to be chosen.
    await filling.catch(() => {});
    for (const select of selects) select.value = params.get(select.name) ?? '';
  } else {
    // Without filters, the search works all the same.
    filling.catch(() => {});
  }
  if (input.value || Object.keys(chosen()).length > 0) run('load');
}

// A heading by the fragment GitHub gives it ----------------------------------

// A note's headings carry GitHub's fragment behind `section-`
// (src/markdown/heading-ids.ts: the prefix keeps them off the page's own
// ids), and the note's own links point there. An address written as GitHub
// names the heading (`/advisories/OSSN-0007/#discussion`: a link from
// another note, an address someone shared) finds no such id: it is taken
// to the heading that carries it.
function followHeadingFragment() {
  let fragment;
  try {
    fragment = decodeURIComponent(location.hash.slice(1));
  } catch {
    return;
  }
  if (!fragment || document.getElementById(fragment)) return;
  document.getElementById(`section-${fragment}`)?.scrollIntoView();
}

addCopyButtons();
followHeadingFragment();
window.addEventListener('hashchange', followHeadingFragment);
const filterForm = document.querySelector('[data-filter-form]');
if (filterForm) setUpFilters(filterForm);
const searchForm = document.querySelector('[data-search-form]');
if (searchForm) setUpSearch(searchForm);
