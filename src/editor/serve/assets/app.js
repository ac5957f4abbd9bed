// kanwu serve: the viewer. Pages are pictures (SVG) with a text layer over each; a build
// announced over Server-Sent Events swaps only the pages whose hash changed. Every string
// from the issue is placed with textContent, never parsed as HTML.
'use strict';

const PX_PER_PT = 96 / 72;
const ZOOMS = [0.25, 0.33, 0.5, 0.67, 0.75, 0.9, 1, 1.1, 1.25, 1.5, 1.75, 2, 2.5, 3, 4];

const kanwu = {
  zoom: 1,
  spreads: true,
  view: null, // the last good build's view
  pages: [], // per page: { el, img, layer, svg, text, w, h }
  version: 0,
  updates: 0, // builds applied since the page was loaded (a reload starts again at 0)
};
window.kanwu = kanwu;
kanwu.goToPage = (n, article, line) => goToPage(n, article, line);
// What desk.js shares with the viewer (it runs after this file, before the page is started).
kanwu.t = (key, vars) => t(key, vars);
kanwu.el = (tag, cls, text) => el(tag, cls, text);
kanwu.fitWidth = () => fitWidth();

const $ = (id) => document.getElementById(id);

// The viewer's words in kanwu's language (the catalogue, placed in the page by the server as
// JSON data); `{name}` placeholders are filled from `vars`. English where a word is missing.
const WORDS = (() => {
  try {
    return JSON.parse($('ui').textContent);
  } catch (e) {
    return {};
  }
})();
function t(key, vars) {
  let s = WORDS[key] ?? key;
  for (const [k, v] of Object.entries(vars || {})) s = s.split('{' + k + '}').join(String(v));
  return s;
}
function translatePage() {
  for (const e of document.querySelectorAll('[data-t]')) e.textContent = t(e.dataset.t);
  for (const e of document.querySelectorAll('[data-title]')) e.title = t(e.dataset.title);
}

function el(tag, cls, text) {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined && text !== null) e.textContent = String(text);
  return e;
}

function status(text, bad) {
  const s = $('status');
  s.textContent = text;
  s.classList.toggle('bad', !!bad);
}

// ------------------------------------------------------------------ pages

function scale() {
  return kanwu.zoom * PX_PER_PT;
}

function sizePage(p) {
  const k = scale();
  p.el.style.width = p.w * k + 'px';
  p.el.style.height = p.h * k + 'px';
  p.layer.style.width = p.w + 'px';
  p.layer.style.height = p.h + 'px';
  p.layer.style.transform = 'scale(' + k + ')';
}

function makePage(n) {
  const e = el('div', 'page');
  e.id = 'page-' + n;
  const img = el('img');
  img.alt = t('page-alt', { n });
  img.decoding = 'async';
  const layer = el('div', 'text-layer');
  const folio = el('div', 'folio', n);
  e.append(img, layer, folio);
  return { el: e, img, layer, svg: null, text: null, w: 595, h: 842 };
}

// Rows as printed: page 1 alone on the right, then 2–3, 4–5 …; or one page a row.
function arrange() {
  const box = $('pages');
  const rows = [];
  const ps = kanwu.pages;
  if (kanwu.spreads && ps.length > 1) {
    rows.push([null, ps[0]]);
    for (let i = 1; i < ps.length; i += 2) rows.push(ps.slice(i, i + 2));
  } else {
    ps.forEach((p) => rows.push([p]));
  }
  const frag = document.createDocumentFragment();
  for (const row of rows) {
    const r = el('div', 'spread');
    for (const p of row) {
      if (p) {
        r.append(p.el);
      } else {
        const blank = el('div');
        blank.style.width = ps[0].w * scale() + 'px';
        r.append(blank);
      }
    }
    frag.append(r);
  }
  box.replaceChildren(frag);
}

// The bleed band's width on screen: the publication's [print] bleed, at the page's scale
// (a screen page is the trim, the paper size).
function trimOverlay() {
  const v = kanwu.view;
  const ps = kanwu.pages;
  const box = $('pages');
  if (!v || !v.print || !v.print.trim || !ps.length) return;
  const tr = v.print.trim;
  const px = (ps[0].w * scale() / tr.width_mm) * v.print.bleed_mm;
  box.style.setProperty('--bleed', px.toFixed(2) + 'px');
  $('trim-label').title = t('trim-detail', { paper: tr.paper, w: tr.width_mm, h: tr.height_mm, bleed: v.print.bleed_mm });
}

function setZoom(z) {
  kanwu.zoom = Math.min(4, Math.max(0.25, z));
  $('zoom-level').textContent = Math.round(kanwu.zoom * 100) + '%';
  const main = $('main');
  // Keep the same place in view: scroll by the same fraction.
  const frac = main.scrollHeight ? main.scrollTop / main.scrollHeight : 0;
  kanwu.pages.forEach(sizePage);
  arrange();
  trimOverlay();
  main.scrollTop = frac * main.scrollHeight;
}

function fitWidth() {
  const ps = kanwu.pages;
  if (!ps.length) return;
  const perRow = kanwu.spreads && ps.length > 1 ? 2 : 1;
  const avail = $('main').clientWidth - 48;
  setZoom(avail / (ps[0].w * perRow * PX_PER_PT));
}

// Swaps a page's picture in place once the new one is loaded and decoded (the old page stays
// visible until then). A PNG at the size the page is shown comes first: the browser decodes
// it in a few milliseconds, where the page's SVG (every glyph a path) takes tens; the SVG
// replaces it when decoded, sharp at any zoom. `then` runs after the first swap (the text
// layer, which would otherwise hold the browser's one thread while the picture waits).
function loadSvg(p, hash, then) {
  let shown = false;
  const show = (src) => {
    if (p.svg !== hash) return;
    p.img.src = src;
    if (!shown && then) then();
    shown = true;
  };
  const width = Math.round(p.w * scale() * (window.devicePixelRatio || 1));
  const sharp = () => {
    if (p.svg !== hash) return;
    const svg = new Image();
    svg.src = '/page/' + hash + '.svg';
    svg
      .decode()
      .catch(() => {})
      .then(() => show(svg.src));
  };
  if (width < 64 || width > 4096) return sharp();
  // The SVG is asked for once the PNG is shown: both at once share the two cores an office
  // PC has, and the first picture comes later.
  const png = new Image();
  png.src = '/raster/' + hash + '/' + width + '.png';
  png
    .decode()
    .then(() => show(png.src))
    .catch(() => {})
    .then(sharp);
}

async function loadText(p, hash) {
  let data;
  try {
    const r = await fetch('/text/' + hash + '.json');
    if (!r.ok) return;
    data = await r.json();
  } catch (e) {
    return;
  }
  if (p.text !== hash) return;
  const frag = document.createDocumentFragment();
  const spans = [];
  for (const [x, y, w, size, text, article, line] of data.runs) {
    const s = el('span', null, text);
    s.style.left = x + 'px';
    s.style.top = y + 'px';
    s.style.fontSize = size + 'px';
    if (article !== null) {
      s.dataset.article = article;
      s.dataset.line = line;
    }
    spans.push([s, w]);
    frag.append(s);
  }
  p.layer.replaceChildren(frag);
  // Stretch each run to the width Typst gave it, so a selection covers what it shows.
  const natural = spans.map(([s]) => s.offsetWidth);
  spans.forEach(([s, w], i) => {
    if (natural[i] > 0) s.style.transform = 'scaleX(' + w / natural[i] + ')';
  });
}

function applyPages(list) {
  const ps = kanwu.pages;
  let count = ps.length !== list.length;
  while (ps.length < list.length) ps.push(makePage(ps.length + 1));
  ps.length = list.length;
  list.forEach((info, i) => {
    const p = ps[i];
    if (p.w !== info.w || p.h !== info.h) {
      p.w = info.w;
      p.h = info.h;
      sizePage(p);
      count = true;
    }
    const text = p.text !== info.text;
    p.text = info.text;
    if (p.svg !== info.svg) {
      p.svg = info.svg;
      if (p.img.src) loadSvg(p, info.svg, text ? () => loadText(p, info.text) : null);
      else {
        p.img.src = '/page/' + info.svg + '.svg';
        if (text) loadText(p, info.text);
      }
    } else if (text) {
      loadText(p, info.text);
    }
  });
  if (count) arrange();
}

function goToPage(n, article, line) {
  const p = kanwu.pages[n - 1];
  if (!p) return;
  p.el.scrollIntoView({ block: 'start', behavior: 'smooth' });
  p.el.classList.add('flash');
  setTimeout(() => p.el.classList.remove('flash'), 1200);
  if (article !== undefined && article !== null) {
    document.querySelectorAll('.text-layer span.hit').forEach((s) => s.classList.remove('hit'));
    p.layer.querySelectorAll('span[data-article="' + Number(article) + '"]').forEach((s) => {
      if (line === null || line === undefined || s.dataset.line === String(line)) s.classList.add('hit');
    });
  }
}

// ------------------------------------------------------------------ the side panel

function contents(view) {
  const list = $('contents');
  if (window.kanwuDesk) {
    list.hidden = true;
    budgetLine(view);
    return;
  }
  const items = [];
  for (const sec of view.contents) {
    const s = el('li', 'sec entry');
    s.append(el('span', null, '● ' + sec.title), el('span', 'pg', sec.page ?? '–'));
    if (sec.page) s.addEventListener('click', () => goToPage(sec.page));
    items.push(s);
    for (const a of sec.articles) {
      const e = el('li', 'entry');
      e.append(el('span', 'title', a.title ?? sec.title), el('span', 'pg', a.page ?? '–'));
      const pages = a.pages ? ', ' + (a.pages === 1 ? t('one-page') : t('n-pages', { n: a.pages })) : '';
      e.append(el('span', 'counts', a.file + ' · ' + a.hanzi + ' 汉字' + pages));
      if (a.page) e.addEventListener('click', () => goToPage(a.page, a.index));
      items.push(e);
    }
  }
  list.replaceChildren(...items);
  budgetLine(view);
}

function budgetLine(view) {
  const b = $('budget');
  const total = view.total;
  const parts = [el('span', null, t('total', { pages: total.pages, hanzi: total.hanzi }))];
  if (view.budget) {
    const over = view.budget.over;
    const cls = over > 0 ? 'over' : 'ok';
    const msg = over > 0 ? t('over', { n: over }) : over === 0 ? t('on-budget') : t('spare', { n: -over });
    parts.push(el('span', null, ' · ' + t('budget', { n: view.budget.pages }) + ' '), el('span', cls, msg));
  }
  if (view.print && view.print.blank > 0) {
    parts.push(el('span', null, ' · ' + t('print-blank', { pages: view.print.pages, blank: view.print.blank })));
  }
  b.replaceChildren(...parts);
}

function place(p) {
  if (!p) return null;
  return p.file + (p.line ? ':' + p.line + (p.column ? ':' + p.column : '') : '');
}

function findings(view) {
  const list = $('findings');
  const items = view.findings.map((f) => {
    const li = el('li', 'finding ' + f.level);
    const head = el('div');
    head.append(el('strong', null, t(f.level) + ' · ' + (WORDS['check-' + f.check] ?? f.check) + ' '), el('span', 'pg', f.page ? t('page-short', { n: f.page }) : ''));
    li.append(head, el('div', 'msg', f.message));
    li.append(el('div', 'where', place(f.place) ?? f.where));
    if (f.place && f.place.text) li.append(el('pre', null, f.place.text));
    if (f.page) li.addEventListener('click', () => goToPage(f.page, f.article, f.place && f.place.line));
    return li;
  });
  if (!items.length) items.push(el('li', null, t('no-problems')));
  list.replaceChildren(...items);
  $('finding-count').textContent = view.findings.length ? '(' + view.findings.length + ')' : '';
}

// ------------------------------------------------------------------ builds and failures

function applyBuild(view) {
  if (view.version < kanwu.version) return;
  kanwu.version = view.version;
  const prev = kanwu.view;
  kanwu.view = view;
  kanwu.updates += 1;
  document.title = view.title + ' — kanwu serve';
  $('title').textContent = view.title;
  const first = !kanwu.pages.length;
  applyPages(view.pages);
  if (first) fitWidth();
  contents(view);
  // After the first build, preflight's findings follow the pages in a `findings` event.
  if (view.findings) findings(view);
  else if (prev && prev.findings) view.findings = prev.findings;
  trimOverlay();
  if (view.failed) showFailure(view.failed);
  else {
    $('failure').hidden = true;
    if (window.kanwuDesk) window.kanwuDesk.failed(null);
  }
  status(t('live', { ms: view.elapsed_ms, v: view.version }));
  if (window.kanwuDesk) window.kanwuDesk.onBuild(view);
}

function showFailure(failed) {
  if (failed.version < kanwu.version) return;
  kanwu.version = failed.version;
  const items = failed.diagnostics.map((d) => {
    const li = el('li', 'diag');
    li.append(el('div', 'msg', t(d.severity) + ': ' + d.message));
    if (d.place) {
      li.append(el('div', 'where', place(d.place)));
      if (d.place.text !== null) li.append(el('pre', null, d.place.text));
    }
    for (const h of d.hints) li.append(el('div', 'hint', t('hint', { text: h })));
    return li;
  });
  $('diagnostics').replaceChildren(...items);
  $('failure').hidden = false;
  status(t('not-building'), true);
  if (window.kanwuDesk) window.kanwuDesk.failed(failed);
}

// ------------------------------------------------------------------ from the page to the source

function showSource(ev) {
  const box = $('source');
  const s = ev.target.closest('.text-layer span');
  const sel = window.getSelection();
  if (!s || !s.dataset.article || (sel && !sel.isCollapsed)) {
    box.hidden = true;
    return;
  }
  const article = Number(s.dataset.article);
  // The desk: the article opens in the editor, the cursor on that line.
  if (window.kanwuDesk && window.kanwuDesk.pageClicked(article, Number(s.dataset.line))) {
    box.hidden = true;
    return;
  }
  const file = kanwu.view.files[article];
  box.replaceChildren(el('span', 'where', t('line', { file, line: s.dataset.line })));
  if (kanwu.view.allow_open) {
    const b = el('button', null, t('open'));
    b.type = 'button';
    b.id = 'open-source';
    b.title = t('open-title', { file });
    b.addEventListener('click', () => openArticle(article));
    box.append(b);
  }
  box.style.left = Math.min(ev.clientX + 12, window.innerWidth - 300) + 'px';
  box.style.top = ev.clientY + 12 + 'px';
  box.hidden = false;
}

// By its index in the served view, never by a path: the server opens only the files.
async function openArticle(article) {
  try {
    const r = await fetch('/api/open/' + article, { method: 'POST', headers: { 'X-Kanwu-Open': '1' } });
    if (!r.ok) status(t('cannot-open', { why: (await r.text()).trim() }), true);
  } catch (e) {
    status(t('unreachable'), true);
  }
}

// ------------------------------------------------------------------ start

async function start() {
  translatePage();
  $('zoom-in').addEventListener('click', () => setZoom(ZOOMS.find((z) => z > kanwu.zoom + 1e-6) ?? 4));
  $('zoom-out').addEventListener('click', () => setZoom([...ZOOMS].reverse().find((z) => z < kanwu.zoom - 1e-6) ?? 0.25));
  $('zoom-fit').addEventListener('click', fitWidth);
  $('spreads').addEventListener('change', (e) => {
    kanwu.spreads = e.target.checked;
    arrange();
  });
  $('pages').addEventListener('click', showSource);
  $('trim').addEventListener('change', (e) => {
    document.body.classList.toggle('show-trim', e.target.checked);
    trimOverlay();
  });
  if (new URLSearchParams(location.search).get('trim') === '1') {
    $('trim').checked = true;
    document.body.classList.add('show-trim');
  }
  try {
    const r = await fetch('/api/issue');
    const view = await r.json();
    if (view.pages) applyBuild(view);
    else if (view.failed) showFailure(view.failed);
  } catch (e) {
    status(t('unreachable'), true);
  }
  // `?live=0`: a still view of the current build (for a snapshot; a headless browser waits
  // for every open request, and the event stream never ends).
  if (new URLSearchParams(location.search).get('live') === '0') {
    status(t('still', { v: kanwu.version }));
    return;
  }
  const desk = window.kanwuDesk;
  // A desk window's stream names the window and carries the page's secret.
  const events = new EventSource(desk ? '/events/' + desk.WINDOW + '?t=' + desk.TOKEN : '/events');
  if (desk) events.addEventListener('locks', (e) => desk.onLocks(JSON.parse(e.data).locks));
  events.addEventListener('build', (e) => applyBuild(JSON.parse(e.data)));
  events.addEventListener('failed', (e) => showFailure(JSON.parse(e.data)));
  events.addEventListener('findings', (e) => {
    const f = JSON.parse(e.data);
    if (!kanwu.view || f.version !== kanwu.view.version) return;
    kanwu.view.findings = f.findings;
    findings(kanwu.view);
  });
  // A restarted server counts its builds from 1 again: take whatever it sends first.
  events.onopen = () => {
    kanwu.version = 0;
  };
  events.onerror = () => status(t('retrying'), true);
}

// Started once every script has run (desk.js, after this one, sets up the desk first).
document.addEventListener('DOMContentLoaded', start);
