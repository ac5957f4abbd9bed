// kanwu serve: the desk (编辑台). The article being edited in CodeMirror beside its pages,
// which follow the text as it is typed (the server builds from the unsaved text); the
// issue's sections and articles as a list to drag and edit; the issue's and publication's
// fields and the 版记 as forms; every file's earlier versions, restorable.
//
// Every change goes to POST /api/desk with the page's secret; articles are named by the
// desk's numbers, never by a path. Every string from the issue is placed with textContent.
// app.js (the viewer) calls in through window.kanwuDesk.
'use strict';

(() => {
  const $ = (id) => document.getElementById(id);
  const SETTINGS = (() => {
    try {
      return JSON.parse($('settings').textContent);
    } catch (e) {
      return {};
    }
  })();
  if (!SETTINGS.desk || !window.CM) return; // --read-only: the viewer alone

  const { t, el } = window.kanwu;
  function button(text, title, onClick, cls) {
    const b = el('button', cls, text);
    b.type = 'button';
    if (title) b.title = title;
    b.addEventListener('click', onClick);
    return b;
  }

  // This window's name: an event stream and every request carry it (locks are per window).
  const WINDOW = [...crypto.getRandomValues(new Uint8Array(12))]
    .map((b) => b.toString(16).padStart(2, '0'))
    .join('');

  async function post(op, fields) {
    const body = JSON.stringify({ op, window: WINDOW, ...fields });
    let r;
    try {
      r = await fetch('/api/desk', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'X-Kanwu-Token': SETTINGS.token },
        body,
      });
    } catch (e) {
      return { ok: false, status: 0, error: t('unreachable') };
    }
    let data = {};
    try {
      data = await r.json();
    } catch (e) {
      data = { error: (await r.text().catch(() => '')).trim() };
    }
    return { ok: r.ok, status: r.status, ...data };
  }

  async function getJson(url) {
    try {
      const r = await fetch(url);
      const data = await r.json();
      return { ok: r.ok, status: r.status, ...data };
    } catch (e) {
      return { ok: false, status: 0, error: t('unreachable') };
    }
  }

  // ---------------------------------------------------------------- the article editor

  const ed = {
    id: null, // the desk's number of the open article
    file: '',
    base: '', // sha256 of the file the text began from
    rev: '', // the text's rev as the server last had it
    bodyLine: 1,
    view: null,
    readOnly: true,
    ready: false, // the open article is shown, claimed (or read-only) and the cursor placed
    dirty: false, // typed since the server last had the text
    unsaved: false, // the server holds a draft not yet on disk
    inflight: false,
    queued: false,
    saveTimer: null,
    conflict: false,
    historyKey: '',
  };
  window.kanwuDesk = { ed, open: openArticle, WINDOW, TOKEN: SETTINGS.token };

  // Saved by itself after this pause in typing (`?autosave=MS` sets another, for tests).
  // The lines of the open article that the last build's errors point at, marked in the editor.
  const setErrors = CM.StateEffect.define();
  const errorLines = CM.StateField.define({
    create: () => CM.Decoration.none,
    update(deco, tr) {
      deco = deco.map(tr.changes);
      for (const e of tr.effects) if (e.is(setErrors)) deco = e.value;
      return deco;
    },
    provide: (f) => CM.EditorView.decorations.from(f),
  });

  function failed(f) {
    if (!ed.view) return;
    const marks = [];
    const doc = ed.view.state.doc;
    for (const d of (f && f.diagnostics) || []) {
      const p = d.place;
      if (!p || !p.line || !ed.file || !(p.file === ed.file || p.file.endsWith('/' + ed.file))) continue;
      const n = p.line - ed.bodyLine + 1;
      if (n >= 1 && n <= doc.lines) marks.push(CM.Decoration.line({ class: 'cm-error-line', attributes: { title: d.message } }).range(doc.line(n).from));
    }
    marks.sort((a, b) => a.from - b.from);
    ed.view.dispatch({ effects: setErrors.of(CM.Decoration.set(marks, true)) });
  }

  const AUTOSAVE_MS = Number(new URLSearchParams(location.search).get('autosave')) || 1200;
  const ro = new CM.Compartment();
  const numbers = new CM.Compartment();

  function saveState(state) {
    const s = $('save-state');
    s.dataset.state = state;
    s.textContent = t('state-' + state);
  }

  function makeEditor() {
    const keys = [
      { key: 'Mod-s', run: () => (saveNow(), true), preventDefault: true },
      { key: 'Mod-b', run: () => (wrap('**'), true) },
      { key: 'Mod-i', run: () => (wrap('*'), true) },
      ...CM.defaultKeymap,
      ...CM.historyKeymap,
      ...CM.searchKeymap,
      CM.indentWithTab,
    ];
    ed.view = new CM.EditorView({
      parent: $('ed-cm'),
      state: CM.EditorState.create({
        doc: '',
        extensions: [
          numbers.of(CM.lineNumbers()),
          CM.history(),
          CM.drawSelection(),
          CM.highlightActiveLine(),
          CM.highlightActiveLineGutter(),
          CM.highlightSelectionMatches(),
          CM.search({ top: true }),
          CM.EditorView.lineWrapping,
          CM.markdownLanguage.extension,
          CM.syntaxHighlighting(CM.defaultHighlightStyle),
          CM.keymap.of(keys),
          ro.of([CM.EditorState.readOnly.of(true), CM.EditorView.editable.of(false)]),
          errorLines,
          CM.EditorView.updateListener.of(onUpdate),
          CM.EditorView.domEventHandlers({
            compositionend: () => {
              // The composed text is in: send it (nothing was sent while composing).
              setTimeout(() => ed.dirty && send(), 0);
            },
          }),
        ],
      }),
    });
  }

  function onUpdate(u) {
    if (u.docChanged && !ed.loading) {
      ed.dirty = true;
      saveState('unsaved');
      // Nothing is sent while an input method composes: the composed text goes at its end.
      if (!u.view.composing) send();
    }
    if (u.selectionSet || u.docChanged) markCursor();
  }

  function setReadOnly(readOnly) {
    ed.readOnly = readOnly;
    ed.view.dispatch({
      effects: ro.reconfigure([
        CM.EditorState.readOnly.of(readOnly),
        CM.EditorView.editable.of(!readOnly),
      ]),
    });
    $('ed-lock').hidden = !readOnly || ed.id === null;
    for (const i of document.querySelectorAll('#ed-fields input, #ed-toolbar button')) i.disabled = readOnly;
    if (readOnly) saveState('read-only');
  }

  function setText(body, bodyLine, keepCursor) {
    const v = ed.view;
    const pos = keepCursor ? Math.min(v.state.selection.main.head, body.length) : 0;
    ed.loading = true;
    v.dispatch({
      changes: { from: 0, to: v.state.doc.length, insert: body },
      selection: { anchor: pos },
      effects: numbers.reconfigure(CM.lineNumbers({ formatNumber: (n) => String(n + bodyLine - 1) })),
    });
    ed.loading = false;
    ed.bodyLine = bodyLine;
  }

  function setFields(fields) {
    for (const name of ['title', 'subtitle', 'source', 'author']) {
      const i = $('f-' + name);
      if (document.activeElement !== i) i.value = fields[name] ?? '';
    }
  }

  async function openArticle(id, line) {
    if (ed.id !== null && ed.id !== id) {
      await flush();
      post('release', { article: ed.id });
    }
    ed.ready = false;
    const a = await getJson('/api/article/' + id);
    if (!a.ok) {
      status(a.error, true);
      return false;
    }
    const opening = $('editor').hidden;
    $('editor').hidden = false;
    document.body.classList.add('editing');
    // The pages' column just got narrower: fit them to it.
    if (opening) window.kanwu.fitWidth();
    const same = ed.id === id;
    ed.id = id;
    ed.file = a.file;
    ed.base = a.base;
    ed.rev = a.rev;
    ed.unsaved = a.draft;
    ed.dirty = false;
    ed.conflict = false;
    $('conflict').hidden = true;
    $('history').hidden = true;
    $('ed-file').textContent = a.file;
    setFields(a.fields);
    $('ed-front-error').hidden = !a.front_error;
    $('ed-front-error').textContent = a.front_error ? t('front-error', { e: a.front_error }) : '';
    setText(a.body, a.body_line, same);
    const c = await post('claim', { article: id });
    setReadOnly(!c.ok);
    if (c.ok) saveState(a.draft ? 'unsaved' : 'saved');
    if (line) goToLine(line);
    highlightOpen();
    ed.ready = true;
    return true;
  }

  // A line of the file (as the pages and messages count) → the editor's line, cursor there.
  function goToLine(fileLine) {
    const v = ed.view;
    const n = fileLine - ed.bodyLine + 1;
    if (n < 1) {
      $('f-title').focus();
      return;
    }
    const line = v.state.doc.line(Math.min(Math.max(1, n), v.state.doc.lines));
    v.dispatch({ selection: { anchor: line.from }, scrollIntoView: true });
    v.focus();
  }

  // Sends the text (and the form's fields) to the server, which builds the pages from it;
  // one request at a time, the newest text last.
  async function send(fields) {
    if (ed.id === null || ed.readOnly) return;
    if (ed.inflight) {
      ed.queued = true;
      if (fields) ed.queuedFields = true;
      return;
    }
    ed.inflight = true;
    ed.dirty = false;
    const payload = { article: ed.id, base: ed.base, body: ed.view.state.doc.toString() };
    if (fields || ed.queuedFields) payload.fields = currentFields();
    ed.queuedFields = false;
    const r = await post('edit', payload);
    ed.inflight = false;
    if (r.ok) {
      ed.rev = r.rev;
      ed.unsaved = r.draft;
      saveState(r.draft ? 'unsaved' : 'saved');
    } else if (r.status === 423) {
      setReadOnly(true);
    } else {
      status(r.error, true);
    }
    if (ed.queued) {
      ed.queued = false;
      send();
      return;
    }
    armAutosave();
  }

  function currentFields() {
    const f = {};
    for (const name of ['title', 'subtitle', 'source', 'author']) f[name] = $('f-' + name).value;
    return f;
  }

  function armAutosave() {
    clearTimeout(ed.saveTimer);
    if (ed.unsaved && !ed.conflict) ed.saveTimer = setTimeout(save, AUTOSAVE_MS);
  }

  async function flush() {
    clearTimeout(ed.saveTimer);
    while (ed.inflight) await new Promise((r) => setTimeout(r, 10));
    if (ed.dirty) await send();
    while (ed.inflight) await new Promise((r) => setTimeout(r, 10));
    if (ed.unsaved) await save();
  }

  async function save() {
    clearTimeout(ed.saveTimer);
    if (ed.id === null || ed.readOnly || ed.conflict) return;
    if (ed.inflight || ed.dirty) {
      ed.saveTimer = setTimeout(save, 100);
      return;
    }
    saveState('saving');
    const r = await post('save', { article: ed.id });
    if (r.ok) {
      ed.base = r.base;
      if (!ed.dirty && !ed.inflight) {
        ed.unsaved = false;
        saveState('saved');
      }
    } else if (r.status === 409 && r.detail && r.detail.conflict) {
      showConflict(r.detail.conflict);
    } else {
      saveState('unsaved');
      status(r.error, true);
    }
  }

  function saveNow() {
    flush();
  }

  // ------------------------------------------------------------ toolbar: Markdown written

  function wrap(mark) {
    const v = ed.view;
    if (ed.readOnly) return;
    const changes = v.state.changeByRange((range) => {
      const text = v.state.sliceDoc(range.from, range.to);
      const insert = mark + text + mark;
      return {
        changes: { from: range.from, to: range.to, insert },
        range: CM.EditorSelection.range(range.from + mark.length, range.from + mark.length + text.length),
      };
    });
    v.dispatch(changes, { userEvent: 'input' });
    v.focus();
  }

  // Each selected line starts with `prefix` (a heading replaces another heading's marks).
  function linePrefix(prefix) {
    const v = ed.view;
    if (ed.readOnly) return;
    const changes = [];
    const seen = new Set();
    for (const r of v.state.selection.ranges) {
      for (let pos = r.from; pos <= r.to; ) {
        const line = v.state.doc.lineAt(pos);
        if (!seen.has(line.number)) {
          seen.add(line.number);
          const m = /^(#{1,6} |> |- |\d+\. )/.exec(line.text);
          const old = m ? m[0].length : 0;
          const same = m && m[0] === prefix;
          changes.push({ from: line.from, to: line.from + old, insert: same ? '' : prefix });
        }
        pos = line.to + 1;
      }
    }
    v.dispatch({ changes, userEvent: 'input' });
    v.focus();
  }

  function insertBlock(text, cursorOffset) {
    const v = ed.view;
    if (ed.readOnly) return;
    const at = v.state.selection.main.head;
    const line = v.state.doc.lineAt(at);
    const before = line.text.trim() ? '\n\n' : '';
    const from = line.text.trim() ? line.to : line.from;
    const insert = before + text + '\n';
    v.dispatch({
      changes: { from, insert },
      selection: { anchor: from + before.length + (cursorOffset ?? text.length) },
      userEvent: 'input',
    });
    v.focus();
  }

  function footnote() {
    const v = ed.view;
    if (ed.readOnly) return;
    const doc = v.state.doc.toString();
    let n = 1;
    while (doc.includes('[^' + n + ']')) n++;
    const at = v.state.selection.main.head;
    const end = doc.length;
    const note = (doc.endsWith('\n') ? '' : '\n') + '\n[^' + n + ']: ';
    v.dispatch({
      changes: [
        { from: at, insert: '[^' + n + ']' },
        { from: end, insert: note },
      ],
      selection: { anchor: end + note.length + ('[^' + n + ']').length },
      scrollIntoView: true,
      userEvent: 'input',
    });
    v.focus();
  }

  function toolbar() {
    const bar = $('ed-toolbar');
    // Labels as the page will number them (一、（一）1.) or a word; the tooltip says more.
    const tools = [
      ['B', 'tool-bold', () => wrap('**'), 'bold'],
      [t('tool-emphasis-short'), 'tool-emphasis', () => wrap('*'), 'em'],
      ['一、', 'tool-h2', () => linePrefix('## ')],
      ['（一）', 'tool-h3', () => linePrefix('### ')],
      ['1.', 'tool-h4', () => linePrefix('#### ')],
      [t('tool-list-short'), 'tool-list', () => linePrefix('- ')],
      [t('tool-numbered-short'), 'tool-numbered', () => linePrefix('1. ')],
      [t('tool-quote-short'), 'tool-quote', () => linePrefix('> ')],
      [t('tool-footnote-short'), 'tool-footnote', footnote],
      [t('tool-table-short'), 'tool-table', () => insertBlock('| ' + t('table-item') + ' | ' + t('table-value') + ' |\n| --- | --- |\n|  |  |', 2)],
      [t('tool-image-short'), 'tool-image', () => insertBlock('![' + t('image-caption') + '](images/)', 2)],
      [t('tool-link-short'), 'tool-link', () => wrapLink()],
    ];
    for (const [label, key, run, cls] of tools) {
      const b = button(label, t(key), run, cls);
      b.dataset.tool = key;
      b.setAttribute('aria-label', t(key));
      bar.append(b);
    }
    bar.append(button(t('find'), t('find-title'), () => CM.openSearchPanel(ed.view), 'wide'));
    bar.append(button(t('undo'), '', () => CM.undo(ed.view), 'wide'));
    bar.append(button(t('redo'), '', () => CM.redo(ed.view), 'wide'));
  }

  function wrapLink() {
    const v = ed.view;
    if (ed.readOnly) return;
    const r = v.state.selection.main;
    const text = v.state.sliceDoc(r.from, r.to) || t('link-text');
    const insert = '[' + text + '](https://)';
    v.dispatch({
      changes: { from: r.from, to: r.to, insert },
      selection: { anchor: r.from + text.length + 3, head: r.from + insert.length - 1 },
      userEvent: 'input',
    });
    v.focus();
  }

  // ------------------------------------------------------------ page ↔ text

  // The doc-order index of the open article in the current view (text layers name it so).
  function docIndex() {
    const v = window.kanwu && window.kanwu.view;
    if (!v || !v.desk || ed.id === null) return -1;
    return v.desk.ids.indexOf(ed.id);
  }

  let markTimer = null;
  function markCursor() {
    clearTimeout(markTimer);
    markTimer = setTimeout(markNow, 60);
  }
  function markNow() {
    document.querySelectorAll('.text-layer span.cursor-mark').forEach((s) => s.classList.remove('cursor-mark'));
    const i = docIndex();
    if (i < 0) return;
    const v = ed.view;
    const fileLine = v.state.doc.lineAt(v.state.selection.main.head).number + ed.bodyLine - 1;
    const spans = [...document.querySelectorAll('.text-layer span[data-article="' + i + '"]')];
    if (!spans.length) return;
    // The runs set from this line, else from the nearest line before it that has any.
    let best = -1;
    for (const s of spans) {
      const l = Number(s.dataset.line);
      if (l <= fileLine && l > best) best = l;
    }
    if (best < 0) best = Math.min(...spans.map((s) => Number(s.dataset.line)));
    const hits = spans.filter((s) => Number(s.dataset.line) === best);
    hits.forEach((s) => s.classList.add('cursor-mark'));
    const page = hits.length && hits[0].closest('.page');
    if (page) {
      const r = hits[0].getBoundingClientRect();
      const m = $('main').getBoundingClientRect();
      if (r.top < m.top || r.bottom > m.bottom) hits[0].scrollIntoView({ block: 'center' });
    }
  }

  // A click on a line of a page: its article opened at that line.
  function pageClicked(article, line) {
    const v = window.kanwu.view;
    if (!v || !v.desk) return false;
    const id = v.desk.ids[article];
    if (id === undefined) return false;
    if (ed.id === id) goToLine(line);
    else openArticle(id, line);
    return true;
  }

  // ------------------------------------------------------------ builds: text from elsewhere

  async function onBuild(view) {
    renderStructure(view);
    const d = view.desk;
    if (!d || ed.id === null) return;
    if (d.conflicts.includes(ed.id) && !ed.conflict && !ed.readOnly) {
      const c = await getJson('/api/conflict/' + ed.id);
      if (c.ok && c.conflict) showConflict(c.conflict);
      return;
    }
    const i = d.ids.indexOf(ed.id);
    const rev = i >= 0 ? d.revs[i] : null;
    // The file changed on disk (or another window typed) and nothing here is unsent: load it.
    if (rev && rev !== ed.rev && !ed.dirty && !ed.inflight && !ed.conflict && (!ed.unsaved || ed.readOnly)) {
      const a = await getJson('/api/article/' + ed.id);
      if (a.ok && !ed.dirty && !ed.inflight) {
        ed.base = a.base;
        ed.rev = a.rev;
        ed.unsaved = a.draft;
        setFields(a.fields);
        setText(a.body, a.body_line, true);
      }
    }
    markCursor();
  }

  function onLocks(locks) {
    if (ed.id === null || !ed.readOnly || ed.conflict) return;
    const holder = locks[String(ed.id)];
    if (!holder) {
      post('claim', { article: ed.id }).then((c) => {
        if (c.ok) {
          setReadOnly(false);
          saveState(ed.unsaved ? 'unsaved' : 'saved');
        }
      });
    }
  }

  // ------------------------------------------------------------ conflict

  function showConflict(c) {
    ed.conflict = true;
    clearTimeout(ed.saveTimer);
    saveState('conflict');
    const box = $('conflict');
    // Each text's lines; those the other text lacks are marked, and each pane opens at its
    // first such line.
    const text = (parts) => {
      const f = parts.fields || [];
      const front = f.filter(([, v]) => v).map(([k, v]) => k + ' = ' + v);
      return front.concat([''], parts.body.split('\n'));
    };
    const mine = text(c.mine);
    const theirs = text(c.theirs);
    const pane = (title, lines, other, cls) => {
      const p = el('div', 'pane ' + cls);
      p.append(el('h3', null, title));
      const pre = el('pre', 'body');
      const others = new Set(other);
      let first = null;
      for (const l of lines) {
        const line = el('div', 'line', l || '\u00a0');
        if (!others.has(l)) {
          line.classList.add('differs');
          first = first || line;
        }
        pre.append(line);
      }
      p.append(pre);
      if (first) requestAnimationFrame(() => (pre.scrollTop = Math.max(0, first.offsetTop - pre.offsetTop - 40)));
      return p;
    };
    const panes = el('div', 'panes');
    panes.append(pane(t('conflict-mine'), mine, theirs, 'mine'), pane(t('conflict-theirs'), theirs, mine, 'theirs'));
    const actions = el('div', 'actions');
    actions.append(
      button(t('keep-mine'), '', () => resolve('mine', c.theirs_hash), 'primary keep-mine'),
      button(t('take-theirs'), '', () => resolve('theirs', c.theirs_hash), 'take-theirs'),
    );
    box.replaceChildren(el('h2', null, t('conflict-title')), el('p', null, t('conflict-explain', { file: ed.file })), panes, actions);
    box.hidden = false;
  }

  async function resolve(keep, theirs) {
    const r = await post('resolve', { article: ed.id, keep, theirs });
    if (r.ok) {
      ed.conflict = false;
      $('conflict').hidden = true;
      await openArticle(ed.id);
    } else if (r.status === 409 && r.detail && r.detail.conflict) {
      showConflict(r.detail.conflict);
    } else {
      status(r.error, true);
    }
  }

  // ------------------------------------------------------------ history

  async function showHistory(target, onRestored) {
    const box = $('history');
    const h = await getJson('/api/history/' + target);
    const list = el('ol', 'versions');
    const preview = el('pre', 'preview');
    const restore = button(t('restore'), '', null, 'primary');
    restore.disabled = true;
    let chosen = null;
    restore.onclick = async () => {
      if (!chosen) return;
      const r = await post('restore', { target, name: chosen });
      if (r.ok) {
        box.hidden = true;
        status(t('restored'));
        onRestored && onRestored();
      } else status(r.error, true);
    };
    for (const v of h.versions || []) {
      const li = el('li', 'version');
      const when = new Date(v.time).toLocaleString(document.documentElement.lang);
      li.append(el('span', 'when', when), el('span', 'why', t('why-' + v.why)), el('span', 'size', v.bytes + ' B'));
      li.addEventListener('click', async () => {
        list.querySelectorAll('.chosen').forEach((x) => x.classList.remove('chosen'));
        li.classList.add('chosen');
        chosen = v.name;
        const text = await getJson('/api/version/' + target + '/' + v.name);
        preview.textContent = text.text ?? '';
        restore.disabled = false;
      });
      list.append(li);
    }
    if (!list.children.length) list.append(el('li', 'empty', t('no-versions')));
    const close = button('×', t('close'), () => (box.hidden = true), 'close');
    box.replaceChildren(close, el('h2', null, t('history-title')), list, preview, restore);
    box.hidden = false;
  }

  // ------------------------------------------------------------ the issue's structure

  // The list is drawn anew only when what it shows changed (not on every keystroke's build).
  let shown = '';
  function renderStructure(view) {
    const d = view.desk;
    if (!d) return;
    const { revs, ...rest } = d;
    const key = JSON.stringify([view.contents, rest, ed.id]);
    if (key === shown) return;
    shown = key;
    const box = $('structure');
    const items = [];
    let index = 0;
    view.contents.forEach((sec, si) => {
      const s = el('li', 'sec');
      s.dataset.section = si;
      const head = el('div', 'sec-head');
      head.append(el('span', 'sec-title', '● ' + sec.title), el('span', 'pg', sec.page ?? '–'));
      const tools = el('span', 'sec-tools');
      tools.append(
        button('↑', t('move-up'), () => structure({ action: 'move-section', section: si, index: Math.max(0, si - 1) })),
        button('✎', t('rename-section'), () => renameSection(si, sec.title)),
        button('+', t('new-article'), () => newArticle(si)),
        button('×', t('remove-section'), () => removeSection(si, sec.title)),
      );
      head.append(tools);
      s.append(head);
      const list = el('ol', 'arts');
      list.dataset.section = si;
      sec.articles.forEach((a, ai) => {
        const id = d.ids[index];
        const li = el('li', 'art');
        li.draggable = true;
        li.dataset.id = id;
        li.dataset.section = si;
        li.dataset.index = ai;
        if (id === ed.id) li.classList.add('open');
        if (d.drafts.includes(id)) li.classList.add('unsaved');
        const title = el('span', 'title', a.title ?? sec.title);
        const pages = a.pages ? ' · ' + (a.pages === 1 ? t('one-page') : t('n-pages', { n: a.pages })) : '';
        const meta = el('span', 'counts', a.file + ' · ' + a.hanzi + ' 汉字' + pages);
        const pg = el('span', 'pg', a.page ?? '–');
        const at = el('span', 'art-tools');
        at.append(
          button('↑', t('move-up'), (e) => (e.stopPropagation(), structure({ action: 'move-article', article: id, section: si, index: Math.max(0, ai - 1) }))),
          button('↓', t('move-down'), (e) => (e.stopPropagation(), structure({ action: 'move-article', article: id, section: si, index: ai + 1 }))),
          button('×', t('remove-article'), (e) => (e.stopPropagation(), removeArticle(id, a.title ?? a.file))),
        );
        li.append(title, pg, meta, at);
        li.addEventListener('click', () => {
          openArticle(id);
          if (a.page) window.kanwu.goToPage(a.page, index);
        });
        li.addEventListener('dragstart', (e) => {
          e.dataTransfer.setData('text/x-kanwu-article', String(id));
          e.dataTransfer.effectAllowed = 'move';
          li.classList.add('dragging');
        });
        li.addEventListener('dragend', () => li.classList.remove('dragging'));
        list.append(li);
        index += 1;
      });
      // Dropping on an article puts the dragged one before it; on the list's end, last.
      list.addEventListener('dragover', (e) => {
        if (![...e.dataTransfer.types].includes('text/x-kanwu-article')) return;
        e.preventDefault();
        e.dataTransfer.dropEffect = 'move';
        list.classList.add('drop');
      });
      list.addEventListener('dragleave', () => list.classList.remove('drop'));
      list.addEventListener('drop', (e) => {
        e.preventDefault();
        list.classList.remove('drop');
        const id = Number(e.dataTransfer.getData('text/x-kanwu-article'));
        if (Number.isNaN(id)) return;
        const over = e.target.closest('li.art');
        let at = over ? Number(over.dataset.index) : sec.articles.length;
        const from = box.querySelector('li.art[data-id="' + id + '"]');
        if (from && Number(from.dataset.section) === si && Number(from.dataset.index) < at) at -= 1;
        structure({ action: 'move-article', article: id, section: si, index: at });
      });
      s.append(list);
      items.push(s);
    });
    const add = el('li', 'add-section');
    const kind = el('select');
    kind.id = 'new-section-kind';
    for (const [k, label] of [['editors-note', '编者的话'], ['news', '行业动态'], ['trends', '行业趋势'], ['reports', '行业报告'], ['other', t('other-kind')]]) {
      const o = el('option', null, label);
      o.value = k;
      kind.append(o);
    }
    const title = el('input');
    title.id = 'new-section-title';
    title.placeholder = t('section-title');
    add.append(kind, title, button(t('add-section'), '', () => {
      const k = kind.value === 'other' ? '' : kind.value;
      structure({ action: 'add-section', kind: k || 'section', title: title.value });
    }, 'wide'));
    items.push(add);
    if (d.loose.length) {
      const loose = el('li', 'loose');
      loose.append(el('h3', null, t('not-in-issue')));
      const ol = el('ol');
      for (const a of d.loose) {
        const li = el('li', 'art loose-art');
        li.dataset.id = a.id;
        li.draggable = true;
        li.addEventListener('dragstart', (e) => e.dataTransfer.setData('text/x-kanwu-loose', String(a.id)));
        const sel = el('select');
        view.contents.forEach((sec, si) => {
          const o = el('option', null, sec.title);
          o.value = si;
          sel.append(o);
        });
        sel.value = String(view.contents.length - 1);
        li.append(
          el('span', 'title', a.title || a.file),
          el('span', 'counts', a.file),
          sel,
          button(t('put-back'), '', () => structure({ action: 'put-back', article: a.id, section: Number(sel.value) }), 'put-back'),
        );
        li.addEventListener('click', (e) => {
          if (e.target.closest('button, select')) return;
          openArticle(a.id);
        });
        ol.append(li);
      }
      loose.append(ol);
      items.push(loose);
    }
    box.replaceChildren(...items);
    box.querySelectorAll('ol.arts').forEach((list) => {
      list.addEventListener('drop', (e) => {
        const id = Number(e.dataTransfer.getData('text/x-kanwu-loose'));
        if (e.dataTransfer.getData('text/x-kanwu-loose')) structure({ action: 'put-back', article: id, section: Number(list.dataset.section) });
      });
    });
  }

  async function structure(change) {
    const r = await post('structure', { change });
    if (!r.ok) {
      status(r.error, true);
      alertBox(r.error);
    } else if (r.article !== null && r.article !== undefined) {
      openArticle(r.article);
    }
    return r;
  }

  function alertBox(text) {
    const a = $('desk-alert');
    a.textContent = text;
    a.hidden = false;
    clearTimeout(alertBox.timer);
    alertBox.timer = setTimeout(() => (a.hidden = true), 8000);
  }

  function renameSection(si, now) {
    const title = prompt(t('rename-section'), now);
    if (title !== null) structure({ action: 'rename-section', section: si, title });
  }
  function newArticle(si) {
    const title = prompt(t('new-article-title'), '');
    if (title !== null) structure({ action: 'new-article', section: si, title });
  }
  function removeSection(si, title) {
    if (confirm(t('confirm-remove-section', { title }))) structure({ action: 'remove-section', section: si });
  }
  function removeArticle(id, title) {
    if (confirm(t('confirm-remove-article', { title }))) structure({ action: 'remove-article', article: id });
  }

  // ------------------------------------------------------------ the forms

  const ISSUE = [
    ['date', 'date', 'field-date'],
    ['year', 'number', 'field-year'],
    ['number', 'number', 'field-number'],
    ['serial', 'number', 'field-serial'],
    ['copies', 'number', 'field-copies'],
  ];
  const PUBLICATION = [
    ['publication.name', 'text', 'field-name'],
    ['publication.publisher', 'text', 'field-publisher'],
    ['publication.marking', 'text', 'field-marking'],
    ['publication.classification', 'text', 'field-classification'],
    ['publication.permit', 'text', 'field-permit'],
    ['publication.printer', 'text', 'field-printer'],
    ['publication.layout', 'layout', 'field-layout'],
    ['publication.paper', 'paper', 'field-paper'],
    ['publication.page_budget', 'number', 'field-page-budget'],
  ];
  const COLOPHON = [
    ['colophon.editor_in_chief', 'text', 'field-editor-in-chief'],
    ['colophon.editors', 'list', 'field-editors'],
    ['colophon.address', 'text', 'field-address'],
    ['colophon.phone', 'text', 'field-phone'],
    ['colophon.email', 'text', 'field-email'],
    ['colophon.send_to', 'list', 'field-send-to'],
    ['colophon.copy_to', 'list', 'field-copy-to'],
    ['colophon.distribute_to', 'list', 'field-distribute-to'],
  ];

  async function renderForms() {
    const f = await getJson('/api/fields');
    if (!f.ok) return;
    const box = $('forms');
    const group = (title, file, fields, values, history) => {
      const g = el('fieldset', 'form');
      g.append(el('legend', null, title));
      for (const [name, kind, label] of fields) {
        const row = el('label', 'field');
        row.append(el('span', 'label', t(label)));
        let input;
        if (kind === 'list') {
          input = el('textarea');
          input.rows = 2;
        } else if (kind === 'layout' || kind === 'paper') {
          input = el('select');
          const opts = kind === 'layout' ? f.layouts : f.papers;
          for (const o of opts) {
            const op = el('option', null, o);
            op.value = o;
            input.append(op);
          }
          if (values[name] && !opts.includes(values[name])) {
            const op = el('option', null, values[name]);
            op.value = values[name];
            input.append(op);
          }
        } else {
          input = el('input');
          input.type = kind === 'number' ? 'text' : kind;
          if (kind === 'number') input.inputMode = 'numeric';
        }
        input.name = name;
        input.id = 'field-' + file + '-' + name.replace('.', '-');
        input.value = values[name] ?? '';
        const error = el('div', 'field-error');
        error.hidden = true;
        input.addEventListener('change', async () => {
          const r = await post('field', { file, field: name, value: input.value });
          row.classList.toggle('invalid', !r.ok);
          error.hidden = r.ok;
          error.textContent = r.ok ? '' : r.error;
          if (r.ok) {
            row.classList.add('saved');
            setTimeout(() => row.classList.remove('saved'), 1200);
          }
        });
        row.append(input, error);
        g.append(row);
      }
      g.append(button(t('history'), t('history-title'), () => showHistory(history, renderForms), 'wide'));
      return g;
    };
    box.replaceChildren(
      group(t('issue-fields'), 'issue', ISSUE, f.issue, 'issue'),
      group(t('publication-fields'), 'publication', PUBLICATION, f.publication, 'publication'),
      group(t('colophon-fields'), 'publication', COLOPHON, f.publication, 'publication'),
    );
  }

  // ------------------------------------------------------------ start

  function status(text, bad) {
    const s = $('status');
    s.textContent = text;
    s.classList.toggle('bad', !!bad);
  }

  function highlightOpen() {
    document.querySelectorAll('#structure li.art').forEach((li) => li.classList.toggle('open', Number(li.dataset.id) === ed.id));
  }

  function tabs() {
    for (const b of document.querySelectorAll('#tabs button')) {
      b.addEventListener('click', () => {
        for (const x of document.querySelectorAll('#tabs button')) x.classList.toggle('on', x === b);
        for (const s of document.querySelectorAll('.tab')) s.hidden = s.id !== 'tab-' + b.dataset.tab;
        if (b.dataset.tab === 'forms') renderForms();
      });
    }
  }

  function start() {
    document.body.classList.add('desk');
    $('tab-checks').hidden = true;
    makeEditor();
    toolbar();
    tabs();
    for (const name of ['title', 'subtitle', 'source', 'author']) {
      let timer = null;
      $('f-' + name).addEventListener('input', () => {
        ed.dirty = true;
        saveState('unsaved');
        clearTimeout(timer);
        timer = setTimeout(() => send(true), 250);
      });
    }
    $('ed-history').addEventListener('click', () => {
      if (ed.id !== null) showHistory('a' + ed.id, () => openArticle(ed.id));
    });
    $('ed-close').addEventListener('click', async () => {
      await flush();
      if (ed.id !== null) post('release', { article: ed.id });
      ed.id = null;
      $('editor').hidden = true;
      document.body.classList.remove('editing');
      window.kanwu.fitWidth();
      highlightOpen();
    });
    document.addEventListener('keydown', (e) => {
      if ((e.ctrlKey || e.metaKey) && e.key === 's') {
        e.preventDefault();
        saveNow();
      }
    });
    // Leaving: the server is told at once (the window's articles are free again), and what
    // is unsaved is saved by the server when the last window has gone.
    window.addEventListener('pagehide', () => {
      navigator.sendBeacon('/api/desk', JSON.stringify({ op: 'bye', window: WINDOW, token: SETTINGS.token }));
    });
    window.addEventListener('beforeunload', (e) => {
      if (ed.dirty || ed.inflight) {
        send();
        e.preventDefault();
      }
    });
  }

  Object.assign(window.kanwuDesk, { start, onBuild, onLocks, pageClicked, status, renderForms, flush, failed });
  window.kanwuDesk.start();
})();
