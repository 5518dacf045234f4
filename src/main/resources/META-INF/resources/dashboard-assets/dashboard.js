// Stigmergy reviewer dashboard. Plain JavaScript, no build step, no external resources.
// Every call acts as the `reviewer` role (read-only on the server); this script only ever reads.
// The event stream is read with fetch() because EventSource cannot send the bearer header.
'use strict';

(() => {
  const TOKEN_KEY = 'stigmergy.dashboard.token';
  const ROLE = 'reviewer';
  const LEVEL_NAMES = { 1: 'advisory', 2: 'soft reservation', 3: 'priority', 4: 'hard lock' };
  const FILES_BLOCKED = 'files_blocked';

  const $ = (selector, root = document) => root.querySelector(selector);
  const view = document.body.dataset.view;
  const params = new URLSearchParams(location.search);

  // ---- tiny DOM builder: h('li', {class: 'x'}, 'text', child) -------------------------------------
  function h(tag, attrs, ...children) {
    const el = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === null || v === undefined || v === false) continue;
      if (k === 'dataset') Object.assign(el.dataset, v);
      else if (k === 'style') el.setAttribute('style', v);
      else el.setAttribute(k, v === true ? '' : v);
    }
    for (const c of children.flat()) {
      if (c === null || c === undefined || c === false) continue;
      el.append(c instanceof Node ? c : String(c));
    }
    return el;
  }

  // ---- the token and the API -----------------------------------------------------------------------
  const token = () => sessionStorage.getItem(TOKEN_KEY);

  function signOut() {
    sessionStorage.removeItem(TOKEN_KEY);
    location.assign('/dashboard');
  }

  function headers(extra) {
    return Object.assign({ Authorization: 'Bearer ' + token(), 'X-Stigmergy-Role': ROLE }, extra || {});
  }

  // the service's clock minus the browser's, so decay and countdowns follow the service's time even when the
  // browser's clock is off: taken from the instant a sensing read was computed for (`at`, the service's own
  // clock), else from each answer's Date header
  let skewMillis = 0;
  let skewFromService = false;

  function noteServerTime(response) {
    if (skewFromService) return;
    const date = Date.parse(response.headers.get('Date') || '');
    if (!Number.isNaN(date) && Math.abs(date - Date.now()) > 2000) skewMillis = date - Date.now();
  }

  function noteServiceTime(iso) {
    const at = Date.parse(iso || '');
    if (Number.isNaN(at)) return;
    skewMillis = at - Date.now();
    skewFromService = true;
  }

  const now = () => Date.now() + skewMillis;

  class ApiError extends Error {
    constructor(status, problem) {
      super((problem && (problem.detail || problem.title)) || ('HTTP ' + status));
      this.status = status;
    }
  }

  async function api(path) {
    const response = await fetch(path, { headers: headers({ Accept: 'application/json' }) });
    noteServerTime(response);
    if (response.status === 401 && view !== 'login') {
      signOut();
      throw new ApiError(401);
    }
    if (!response.ok) {
      let problem = null;
      try { problem = await response.json(); } catch (ignored) { /* not a problem document */ }
      throw new ApiError(response.status, problem);
    }
    return response.json();
  }

  const enc = encodeURIComponent;
  const entityPath = (address) => address.split('/').map(enc).join('/');

  // ---- paging: the Agents and Board views show one page at a time, walking the API's `after` cursors ----
  // read(after) reads the page after that cursor and answers { nextAfter, count, render }; render() draws it.
  // A page read while another was asked for is dropped, so a click never shows an older answer.
  class Pager {
    constructor(nav, read, describe) {
      this.nav = nav;
      this.read = read;
      this.describe = describe;
      this.trail = [{ after: null, offset: 0 }];
      this.nextAfter = null;
      this.count = 0;
      this.asked = 0;
      this.button('previous').addEventListener('click', () => {
        if (this.trail.length > 1) { this.trail.pop(); this.show().catch(this.failed); }
      });
      this.button('next').addEventListener('click', () => {
        if (!this.nextAfter) return;
        const here = this.trail[this.trail.length - 1];
        this.trail.push({ after: this.nextAfter, offset: here.offset + this.count });
        this.show().catch(this.failed);
      });
      this.failed = (e) => { const error = document.querySelector('.error'); if (error) error.textContent = e.message; };
    }

    button(which) { return this.nav.querySelector('[data-page="' + which + '"]'); }

    restart() { this.trail = [{ after: null, offset: 0 }]; return this.show(); }

    async show() {
      const asked = ++this.asked;
      const here = this.trail[this.trail.length - 1];
      const page = await this.read(here.after);
      if (asked !== this.asked) return;
      this.nextAfter = page.nextAfter || null;
      this.count = page.count;
      page.render();
      this.button('previous').disabled = this.trail.length === 1;
      this.button('next').disabled = !this.nextAfter;
      this.nav.querySelector('.page-info').textContent = 'Page ' + this.trail.length + ' · '
        + this.describe(here.offset, page);
    }
  }

  /** Reads a form's fields into the page's address and calls apply when it is submitted. */
  function filterForm(form, names, apply) {
    for (const name of names) form[name].value = params.get(name) || '';
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      const next = new URLSearchParams(location.search);
      for (const name of names) {
        if (form[name].value.trim()) next.set(name, form[name].value.trim()); else next.delete(name);
      }
      history.replaceState(null, '', location.pathname + '?' + next);
      apply();
    });
    return () => Object.fromEntries(names.map((name) => [name, form[name].value.trim()]).filter(([, v]) => v));
  }

  // ---- the event stream: fetch + a text/event-stream parser, resuming with Last-Event-ID -------------
  // A browser opens at most 6 HTTP/1.1 connections per host. A page kept in the back-forward cache keeps its
  // streams open, so a few views visited in turn would take every connection and stall the next page's reads:
  // streams end when the page is hidden, and a page restored from that cache loads afresh.
  const openStreams = new Set();
  window.addEventListener('pagehide', () => { for (const stream of [...openStreams]) stream.stop(); });
  window.addEventListener('pageshow', (e) => { if (e.persisted) location.reload(); });

  class EventStream {
    // onOpen (optional) runs each time a stream opens without a Last-Event-ID: such a stream starts at the
    // log's end, so what changed since the view's last read can only be caught by reading again
    constructor(query, onEvent, onOpen) {
      this.query = query;
      this.onEvent = onEvent;
      this.onOpen = onOpen || null;
      this.lastEventId = null;
      this.abort = null;
      this.stopped = false;
    }

    start() {
      openStreams.add(this);
      this.run();
      return this;
    }

    stop() {
      openStreams.delete(this);
      this.stopped = true;
      if (this.abort) this.abort.abort();
    }

    async run() {
      let backoff = 500;
      while (!this.stopped) {
        this.abort = new AbortController();
        try {
          const extra = { Accept: 'text/event-stream' };
          if (this.lastEventId !== null) extra['Last-Event-ID'] = this.lastEventId;
          const response = await fetch('/events/stream?' + this.query, { headers: headers(extra), signal: this.abort.signal });
          if (response.status === 401) { signOut(); return; }
          if (!response.ok) throw new ApiError(response.status);
          setLive('live');
          backoff = 500;
          if (this.lastEventId === null && this.onOpen) this.onOpen();
          await this.read(response.body.getReader());
        } catch (e) {
          if (this.stopped) return;
        }
        setLive('reconnecting');
        await new Promise((resolve) => setTimeout(resolve, backoff));
        backoff = Math.min(backoff * 2, 10000);
      }
    }

    // WHATWG HTML §9.2 "Server-sent events": lines end in CR, LF or CRLF; a blank line dispatches
    async read(reader) {
      const decoder = new TextDecoder();
      let buffer = '';
      let data = [];
      let type = 'message';
      let id = null;
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        buffer += decoder.decode(value, { stream: true });
        let match;
        while ((match = /\r\n|\r|\n/.exec(buffer)) !== null) {
          // a lone CR at the end of the buffer may be the first half of a CRLF: wait for more
          if (match[0] === '\r' && match.index === buffer.length - 1) break;
          const line = buffer.slice(0, match.index);
          buffer = buffer.slice(match.index + match[0].length);
          if (line === '') {
            if (id !== null) this.lastEventId = id;
            if (data.length > 0) {
              try { this.onEvent(type, JSON.parse(data.join('\n'))); } catch (e) { console.error(e); }
            }
            data = []; type = 'message'; id = null;
            continue;
          }
          if (line.startsWith(':')) continue;
          const colon = line.indexOf(':');
          const field = colon < 0 ? line : line.slice(0, colon);
          let fieldValue = colon < 0 ? '' : line.slice(colon + 1);
          if (fieldValue.startsWith(' ')) fieldValue = fieldValue.slice(1);
          if (field === 'data') data.push(fieldValue);
          else if (field === 'event') type = fieldValue;
          else if (field === 'id') id = fieldValue;
        }
      }
    }
  }

  function setLive(state) {
    const live = $('#live');
    if (!live) return;
    live.textContent = state === 'live' ? 'live' : state;
    live.dataset.state = state;
  }

  // ---- formatting ------------------------------------------------------------------------------------
  function duration(ms) {
    const s = Math.max(0, Math.round(ms / 1000));
    if (s < 60) return s + ' s';
    if (s < 3600) return Math.floor(s / 60) + ' min ' + String(s % 60).padStart(2, '0') + ' s';
    if (s < 86400) return Math.floor(s / 3600) + ' h ' + String(Math.floor((s % 3600) / 60)).padStart(2, '0') + ' min';
    return Math.floor(s / 86400) + ' d';
  }

  const ago = (iso) => (iso ? duration(now() - Date.parse(iso)) + ' ago' : 'never');
  const clockTime = (iso) => new Date(iso).toLocaleTimeString([], { hour12: false });

  function colourOf(type) {
    if (type.colour) return type.colour;
    let hash = 0;
    for (const c of type.name) hash = (hash * 31 + c.charCodeAt(0)) | 0;
    return 'hsl(' + (Math.abs(hash) % 360) + ' 55% 45%)';
  }

  // ---- decay, as the service computes it (DESIGN.md §2), from each type's policy ----------------------
  let signalTypes = new Map();

  async function loadSignalTypes() {
    const types = await api('/signal-types');
    signalTypes = new Map(types.map((t) => [t.name, t]));
  }

  /** The pheromone's intensity at instant t (ms), or 0 once invisible. */
  function intensityAt(p, t) {
    const type = signalTypes.get(p.type);
    const kind = type ? type.decay.kind : 'PERMANENT';
    if (p.visibleUntil && t >= Date.parse(p.visibleUntil)) return 0;
    if (kind === 'EXPONENTIAL') {
      const halfLife = p.halfLifeSeconds || type.decay.halfLifeSeconds;
      const elapsed = Math.max(0, (t - Date.parse(p.foldedAt)) / 1000);
      const value = p.foldedIntensity * Math.pow(2, -elapsed / halfLife);
      return value < type.decay.floor ? 0 : value;
    }
    if (kind === 'EXPIRY') return p.foldedIntensity;
    // REINFORCEMENT_ONLY and PERMANENT do not decay between reads: the read's value stands
    return p.intensity;
  }

  // ---- environment selector and navigation -------------------------------------------------------------
  let environment = null;

  async function setUpChrome() {
    if (!token()) { location.assign('/dashboard'); return false; }
    $('#sign-out').addEventListener('click', signOut);
    const me = await api('/agents/me');
    $('#who').textContent = me.agent.id + ' · ' + me.actingRole;
    const environments = await api('/environments');
    const select = $('#environment');
    environment = params.get('environment') || (environments[0] && environments[0].name) || null;
    for (const env of environments) {
      select.append(h('option', { value: env.name, selected: env.name === environment }, env.name));
    }
    select.addEventListener('change', () => {
      const next = new URLSearchParams(location.search);
      next.set('environment', select.value);
      location.assign(location.pathname + '?' + next);
    });
    for (const link of document.querySelectorAll('[data-nav]')) {
      if (environment) link.href = '/dashboard/' + link.dataset.nav + '?environment=' + enc(environment);
      if (link.dataset.nav === view) link.setAttribute('aria-current', 'page');
    }
    return true;
  }

  // ---- sign in -----------------------------------------------------------------------------------------
  function login() {
    const form = $('#login-form');
    const error = $('#login-error');
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      error.textContent = '';
      sessionStorage.setItem(TOKEN_KEY, form.token.value.trim());
      try {
        await api('/agents/me');
        location.assign('/dashboard/board');
      } catch (e) {
        sessionStorage.removeItem(TOKEN_KEY);
        error.textContent = e.status === 401 ? 'This token belongs to no agent.'
          : e.status === 403 ? 'This agent does not have the reviewer role: ' + e.message
            : 'Cannot sign in: ' + e.message;
      }
    });
  }

  // ---- Board -------------------------------------------------------------------------------------------
  const cards = new Map(); // address → {entity, pheromones, lock, intents, unlockRequests}

  async function loadEntityState(address) {
    const path = entityPath(address);
    const [entity, sensed, lock, intents, requests] = await Promise.all([
      api('/entities/' + path),
      api('/entities/' + path + '/pheromones'),
      api('/entities/' + path + '/lock').catch((e) => { if (e.status === 404) return null; throw e; }),
      api('/environments/' + enc(environment) + '/intents?status=ACTIVE&limit=1000&entity=' + enc(address)),
      api('/unlock-requests?status=PENDING&limit=1000&entity=' + enc(address)),
    ]);
    noteServiceTime(sensed.at);
    return { entity, pheromones: sensed.pheromones, lock, intents, unlockRequests: requests };
  }

  // one page of entities (DashboardService.board: by address, bounded in count and bytes); events re-read the
  // cards on the page, and entities on other pages wait until their page is shown
  let boardPager = null;

  async function board() {
    await loadSignalTypes();
    if (!environment) { $('#summary').textContent = 'No environment yet.'; return; }
    const envQ = 'environment=' + enc(environment);
    const filters = filterForm($('#board-filters'), ['kind', 'status'], () => boardPager.restart().catch(showBoardError));
    // subscribe before the first read, so no change falls between the read and the stream; changes seen
    // before that read ends are re-read after it
    const queued = new Set();
    let ready = false;
    const pending = new Map();
    new EventStream(envQ, (type, event) => {
      if (type.startsWith('signal-type.')) { loadSignalTypes().then(() => cards.forEach((_, a) => renderCard(a))); return; }
      if (!event.entity) return;
      if (!ready) { queued.add(event.entity); return; }
      if (!cards.has(event.entity)) return;
      // one re-read per entity for a burst of events (an L4 declaration writes several)
      clearTimeout(pending.get(event.entity));
      pending.set(event.entity, setTimeout(() => refreshCard(event.entity), 60));
    }).start();
    boardPager = new Pager($('#board-pager'), async (after) => {
      const q = new URLSearchParams(filters());
      q.set('limit', params.get('limit') || '25');
      if (after) q.set('after', after);
      const page = await api('/dashboard/api/environments/' + enc(environment) + '/board?' + q);
      return {
        nextAfter: page.nextAfter,
        count: page.cards.length,
        render: () => {
          noteServiceTime(page.at);
          cards.clear();
          $('#board').replaceChildren();
          for (const card of page.cards) {
            cards.set(card.entity.address, {
              entity: card.entity, pheromones: card.pheromones, lock: card.lock, intents: card.intents,
              unlockRequests: card.unlockRequests, trimmed: card.trimmed,
            });
          }
          for (const address of cards.keys()) renderCard(address);
          tickBoard();
          $('#board-error').textContent = '';
        },
      };
    }, (offset, page) => (page.count ? 'entities ' + (offset + 1) + '–' + (offset + page.count) : 'no entities'));
    await boardPager.show();
    setInterval(tickBoard, 250);
    ready = true;
    for (const address of queued) if (cards.has(address)) refreshCard(address);
  }

  function showBoardError(e) { $('#board-error').textContent = e.message; }

  async function refreshCard(address) {
    try {
      cards.set(address, await loadEntityState(address));
      renderCard(address);
      tickBoard();
      $('#board-error').textContent = '';
    } catch (e) {
      $('#board-error').textContent = 'Could not refresh ' + address + ': ' + e.message;
    }
  }

  function renderCard(address) {
    const state = cards.get(address);
    const { entity } = state;
    const id = 'card-' + address.replace(/[^A-Za-z0-9_-]/g, '_');
    const blocked = state.pheromones.filter((p) => p.type === FILES_BLOCKED);
    const signals = state.pheromones.filter((p) => p.type !== FILES_BLOCKED);

    const card = h('article', { class: 'card', id, 'aria-labelledby': id + '-title', dataset: { entity: address } },
      h('header', {},
        h('h2', { id: id + '-title' }, address),
        h('span', { class: 'status' }, entity.status)),
      h('p', { class: 'title' }, entity.title),
      state.trimmed ? h('p', { class: 'note trimmed' }, 'Too much on this entity for one page: its pheromones, intents and requests are not shown.') : null);

    for (const p of blocked) {
      const files = (p.payload && p.payload.files) || [];
      const holder = (p.payload && p.payload.holder) || '?';
      card.append(h('div', { class: 'badge files-blocked', role: 'status', dataset: { holder } },
        h('strong', {}, 'files_blocked'), ' ',
        h('span', { class: 'files' }, files.join(', ')),
        ' · held by ', h('span', { class: 'holder' }, holder)));
    }

    if (state.lock) {
      card.append(h('div', { class: 'lock', dataset: { holder: state.lock.holder } },
        h('span', { class: 'lock-tag' }, 'Locked'), ' by ',
        h('span', { class: 'holder' }, state.lock.holder),
        h('span', { class: 'token', title: 'fencing token' }, ' #' + state.lock.fencingToken),
        ' · lease ', h('span', { class: 'countdown', dataset: { expiresAt: state.lock.expiresAt } }, '')));
    } else {
      card.append(h('div', { class: 'lock free' }, 'unlocked'));
    }

    if (state.unlockRequests.length) {
      card.append(h('ul', { class: 'unlock-requests', 'aria-label': 'Pending unlock requests' },
        state.unlockRequests.map((r) => h('li', {},
          h('strong', {}, r.requester), ' asks ', r.holder, ' to release the ', r.holdKind,
          r.handover ? ' (handover)' : '', ': “', r.reason, '” · expires in ',
          h('span', { class: 'countdown', dataset: { expiresAt: r.expiresAt } }, '')))));
    }

    const bars = h('ul', { class: 'pheromones', 'aria-label': 'Pheromones' });
    const byType = new Map();
    for (const p of signals) {
      if (!byType.has(p.type)) byType.set(p.type, []);
      byType.get(p.type).push(p);
    }
    for (const [typeName, list] of byType) {
      const type = signalTypes.get(typeName) || { name: typeName, maxIntensity: 10, decay: { kind: 'PERMANENT' } };
      const claimed = list.find((p) => p.claim && Date.parse(p.claim.expiresAt) > now());
      bars.append(h('li', { class: 'pher', dataset: { type: typeName } },
        h('span', { class: 'name', title: type.description || '' }, typeName),
        h('span', { class: 'bar', role: 'meter', 'aria-label': typeName + ' intensity', 'aria-valuemin': '0',
          'aria-valuemax': String(type.maxIntensity) },
        h('span', { class: 'fill', style: 'background:' + colourOf(type) })),
        h('span', { class: 'value' }, ''),
        h('span', { class: 'depositors' }, list.map((p) => p.depositor).join(', ') + (claimed ? ' · claimed by ' + claimed.claim.holder : ''))));
    }
    if (!byType.size) bars.append(h('li', { class: 'none' }, 'no pheromones'));
    card.append(bars);

    const held = [];
    for (const intent of state.intents) {
      for (const f of intent.files) {
        if (f.status === 'HELD') held.push({ intent, file: f });
      }
    }
    held.sort((a, b) => b.file.level - a.file.level);
    if (held.length) {
      card.append(h('ul', { class: 'intents', 'aria-label': 'Intents' },
        held.map(({ intent, file }) => h('li', { class: 'intent lvl' + file.level, dataset: { level: file.level } },
          h('span', { class: 'lvl-tag', title: LEVEL_NAMES[file.level] }, 'L' + file.level), ' ',
          h('code', {}, file.path), ' · ', intent.agent, ' · p', intent.priority))));
    }

    const old = document.getElementById(id);
    if (old) old.replaceWith(card);
    else $('#board').append(card);
  }

  /** Re-draws everything that moves with time: bars, countdowns and the summary. No server calls. */
  function tickBoard() {
    const t = now();
    let active = 0; let claimed = 0; let expired = 0;
    for (const [address, state] of cards) {
      const card = document.querySelector('[data-entity="' + CSS.escape(address) + '"]');
      if (!card) continue;
      for (const p of state.pheromones) {
        if (intensityAt(p, t) > 0) {
          active++;
          if (p.claim && Date.parse(p.claim.expiresAt) > t) claimed++;
        } else {
          expired++;
        }
      }
      for (const li of card.querySelectorAll('.pher')) {
        const typeName = li.dataset.type;
        const type = signalTypes.get(typeName) || { maxIntensity: 10 };
        let total = 0;
        for (const p of state.pheromones) {
          if (p.type === typeName) total += intensityAt(p, t);
        }
        const fraction = Math.min(1, total / type.maxIntensity);
        li.querySelector('.fill').style.width = (fraction * 100).toFixed(2) + '%';
        li.querySelector('.value').textContent = total.toFixed(2);
        li.querySelector('.bar').setAttribute('aria-valuenow', total.toFixed(2));
        li.classList.toggle('faded', total === 0);
      }
      for (const span of card.querySelectorAll('.countdown')) {
        const left = Date.parse(span.dataset.expiresAt) - t;
        span.textContent = left > 0 ? duration(left) : 'expired';
        span.classList.toggle('expired', left <= 0);
      }
    }
    const locks = [...cards.values()].filter((s) => s.lock && Date.parse(s.lock.expiresAt) > t).length;
    $('#summary').textContent = cards.size + ' entities · pheromones: ' + active + ' active · ' + claimed
      + ' claimed · ' + expired + ' expired · ' + locks + ' locked';
  }

  // ---- Files -------------------------------------------------------------------------------------------
  /** A git wildmatch pattern (or a directory ending in /, or a plain path) as a predicate on file paths. */
  function matcher(pattern) {
    if (pattern.endsWith('/')) return (path) => path.startsWith(pattern);
    if (!/[*?[]/.test(pattern)) return (path) => path === pattern || path.startsWith(pattern + '/');
    let re = '';
    for (let i = 0; i < pattern.length; i++) {
      const c = pattern[i];
      if (c === '*' && pattern[i + 1] === '*') {
        if (pattern[i + 2] === '/') { re += '(?:.*/)?'; i += 2; } else { re += '.*'; i += 1; }
      } else if (c === '*') re += '[^/]*';
      else if (c === '?') re += '[^/]';
      else if (c === '[') {
        const end = pattern.indexOf(']', i + 2);
        if (end < 0) { re += '\\['; continue; }
        re += '[' + pattern.slice(i + 1, end).replace(/^!/, '^').replace(/\\/g, '\\\\') + ']';
        i = end;
      } else re += c.replace(/[.+^${}()|\\\]]/g, '\\$&');
    }
    const compiled = new RegExp('^' + re + '$');
    return (path) => compiled.test(path);
  }

  async function files() {
    if (!environment) { $('#files-summary').textContent = 'No environment yet.'; return; }
    await renderFiles();
    let pending = null;
    new EventStream('environment=' + enc(environment) + '&types=intent.*,unlock-request.*', () => {
      clearTimeout(pending);
      pending = setTimeout(() => renderFiles().catch((e) => { $('#files-error').textContent = e.message; }), 100);
    }).start();
  }

  async function renderFiles() {
    const envPath = '/environments/' + enc(environment);
    const [tree, held] = await Promise.all([
      api('/dashboard/api/environments/' + enc(environment) + '/files'),
      api(envPath + '/held-files'),
    ]);
    const holds = held.map((f) => ({ ...f, matches: matcher(f.path) }));
    const edited = new Map(); // path → 'conflict' | 'both'
    for (const pair of (tree.overlaps ? tree.overlaps.pairs : [])) {
      for (const f of pair.files) {
        for (const p of [f.basePath, f.pathA, f.pathB]) if (p && edited.get(p) !== 'conflict') edited.set(p, f.conflicts ? 'conflict' : 'both');
      }
      for (const p of pair.conflictingPaths) edited.set(p, 'conflict');
    }

    const paths = new Set(tree.files);
    const unmatched = holds.filter((f) => !tree.files.some(f.matches));
    for (const f of unmatched) if (!/[*?[]/.test(f.path) && !f.path.endsWith('/')) paths.add(f.path);
    for (const p of edited.keys()) paths.add(p);

    // nested directories: name → {dirs, files}
    const root = { dirs: new Map(), files: [] };
    for (const path of [...paths].sort()) {
      const parts = path.split('/');
      let node = root;
      for (const dir of parts.slice(0, -1)) {
        if (!node.dirs.has(dir)) node.dirs.set(dir, { dirs: new Map(), files: [] });
        node = node.dirs.get(dir);
      }
      node.files.push(path);
    }

    let heldCount = 0; let overlapCount = 0;
    function fileItem(path) {
      const on = holds.filter((f) => f.matches(path));
      const level = on.reduce((m, f) => Math.max(m, f.level), 0);
      const intents = new Set(on.map((f) => f.intentId));
      const overlap = intents.size > 1;
      const edit = edited.get(path);
      if (level) heldCount++;
      if (overlap) overlapCount++;
      const name = path.slice(path.lastIndexOf('/') + 1);
      return {
        level, interesting: level > 0 || !!edit,
        el: h('li', { class: ['file', level ? 'lvl' + level : '', overlap ? 'overlap' : '', edit ? 'edit-' + edit : ''].join(' ').trim(), dataset: { path, level } },
          h('span', { class: 'fname' }, name),
          level ? h('span', { class: 'lvl-tag', title: LEVEL_NAMES[level] }, 'L' + level) : null,
          on.length ? h('span', { class: 'holders' }, on.map((f) => f.holder + ' (L' + f.level + ', ' + f.entity + ')').join(' · ')) : null,
          overlap ? h('span', { class: 'flag overlap-flag' }, 'overlapping intents') : null,
          edit ? h('span', { class: 'flag edit-flag ' + edit }, edit === 'conflict' ? 'merge conflicts' : 'both branches edit') : null),
      };
    }
    function dirItem(name, node) {
      const children = [];
      let level = 0; let interesting = false;
      for (const [child, sub] of node.dirs) {
        const item = dirItem(child, sub);
        level = Math.max(level, item.level); interesting = interesting || item.interesting;
        children.push(item.el);
      }
      for (const path of node.files) {
        const item = fileItem(path);
        level = Math.max(level, item.level); interesting = interesting || item.interesting;
        children.push(item.el);
      }
      const list = h('ul', { role: 'group' }, children);
      if (name === null) return { el: list, level, interesting };
      return {
        level, interesting,
        el: h('li', { class: 'dir' + (level ? ' lvl' + level : '') },
          h('details', { open: interesting }, h('summary', {}, name + '/'), list)),
      };
    }
    const rendered = dirItem(null, root);
    $('#tree').replaceChildren(...rendered.el.children);

    const overlaps = $('#overlaps');
    overlaps.replaceChildren();
    if (tree.overlaps) {
      for (const pair of tree.overlaps.pairs) {
        overlaps.append(h('div', { class: 'pair' + (pair.clean ? '' : ' conflicting') },
          h('strong', {}, pair.refA + ' ↔ ' + pair.refB), ' · ',
          pair.files.length ? pair.files.length + ' file(s) both edit: ' + pair.files.map((f) => f.pathA || f.pathB || f.basePath).join(', ') : 'no file both edit',
          ' · ', pair.clean ? 'merges cleanly' : 'conflicts in ' + pair.conflictingPaths.join(', ')));
      }
    }
    if (tree.note) overlaps.append(h('p', { class: 'note' }, tree.note));
    if (unmatched.length) {
      overlaps.append(h('p', { class: 'note' }, 'Held patterns matching no file at ' + (tree.ref || 'HEAD') + ': ',
        unmatched.map((f) => f.path + ' (L' + f.level + ', ' + f.holder + ')').join(', ')));
    }
    $('#files-summary').textContent = paths.size + ' files' + (tree.truncated ? ' (tree truncated)' : '') + ' · '
      + heldCount + ' held · ' + overlapCount + ' with overlapping intents · '
      + edited.size + ' edited on several branches · branches: ' + (tree.branches.join(', ') || 'none');
    $('#files-error').textContent = '';
  }

  // ---- Agents ------------------------------------------------------------------------------------------
  // liveness (active, idle, gone) is the service's, derived when the list is read (DESIGN.md §7); the view reads
  // the list again on every event, liveness changes included

  // one page of agents (DashboardService.agents: by id, bounded in count and bytes, with each agent's holds);
  // an event by an agent on the page, or by none (the sweeps), reads the page again, at most once a second
  async function agents() {
    const filters = filterForm($('#agents-filters'), ['q'], () => pager.restart().catch(showAgentsError));
    const shown = new Set();
    const pager = new Pager($('#agents-pager'), async (after) => {
      const q = new URLSearchParams(filters());
      q.set('limit', params.get('limit') || '50');
      if (environment) q.set('environment', environment);
      if (after) q.set('after', after);
      const page = await api('/dashboard/api/agents?' + q);
      return {
        nextAfter: page.nextAfter,
        count: page.agents.length,
        matching: page.matching,
        render: () => {
          shown.clear();
          for (const a of page.agents) shown.add(a.id);
          renderAgents(page.agents);
        },
      };
    }, (offset, page) => (page.count ? 'agents ' + (offset + 1) + '–' + (offset + page.count) + ' of ' + page.matching
      : 'no agents') + (filters().q ? ' matching “' + filters().q + '”' : ''));
    await pager.show();
    setInterval(tickAgents, 1000);
    let pending = null;
    let lastRead = 0;
    const reread = () => {
      if (pending) return;
      pending = setTimeout(() => {
        pending = null;
        lastRead = Date.now();
        pager.show().catch(showAgentsError);
      }, Math.max(100, lastRead + 1000 - Date.now()));
    };
    new EventStream('', (type, event) => { if (!event.agent || shown.has(event.agent)) reread(); }, reread).start();
  }

  function showAgentsError(e) { $('#agents-error').textContent = e.message; }

  function renderAgents(list) {
    const rows = list.map((a) => {
      const held = a.locks;
      const declared = a.intents;
      const liveness = a.liveness ? a.liveness.state : 'gone';
      const leases = a.liveness ? a.liveness.liveLeases : 0;
      return h('tr', { class: liveness, dataset: { agent: a.id, liveness, lastHeartbeatAt: a.lastHeartbeatAt || '', lastEventAt: a.lastEventAt || '' } },
        h('th', { scope: 'row' }, h('span', { class: 'dot', 'aria-hidden': 'true' }), ' ', a.displayName, h('br'), h('small', {}, a.id)),
        h('td', { class: 'liveness' }, liveness, leases ? h('small', {}, ' · ' + leases + (leases === 1 ? ' lease' : ' leases')) : null),
        h('td', {}, a.roles.map((r) => h('span', { class: 'role' }, r))),
        h('td', { class: 'heartbeat' }, ''),
        h('td', { class: 'seen' }, ''),
        h('td', {},
          held.length ? h('div', {}, h('span', { class: 'lock-tag' }, 'Locked'), ' ', held.map((l) => l.entity + ' (' + l.environment + ')').join(', ')) : null,
          declared.map((i) => h('div', {}, i.files.filter((f) => f.status === 'HELD').map((f) => h('span', { class: 'intent-chip lvl' + f.level }, 'L' + f.level + ' ' + f.path)), ' on ' + i.entity)),
          a.trimmed ? h('span', { class: 'muted' }, 'too many to show here') : null,
          !held.length && !declared.length && !a.trimmed ? h('span', { class: 'muted' }, 'none') : null));
    });
    $('#agents tbody').replaceChildren(...rows);
    tickAgents();
    $('#agents-error').textContent = '';
  }

  function tickAgents() {
    const count = { active: 0, idle: 0, gone: 0 }; let total = 0;
    for (const row of document.querySelectorAll('#agents tbody tr')) {
      total++;
      count[row.dataset.liveness] = (count[row.dataset.liveness] || 0) + 1;
      row.querySelector('.heartbeat').textContent = ago(row.dataset.lastHeartbeatAt || null);
      row.querySelector('.seen').textContent = ago(row.dataset.lastEventAt || null);
    }
    $('#agents-summary').textContent = total + ' agents on this page · ' + count.active + ' active · ' + count.idle + ' idle (holds '
      + 'still leased, no recent heartbeat) · ' + count.gone + ' gone';
  }

  // ---- Feed --------------------------------------------------------------------------------------------
  const FEED_LIMIT = 500;

  function feed() {
    const form = $('#feed-filters');
    for (const name of ['types', 'entity', 'agent']) form[name].value = params.get(name) || '';
    form.allEnvironments.checked = params.get('allEnvironments') === 'true';
    let stream = null;
    const start = () => {
      if (stream) stream.stop();
      $('#feed').replaceChildren();
      const q = new URLSearchParams();
      for (const name of ['types', 'entity', 'agent']) if (form[name].value.trim()) q.set(name, form[name].value.trim());
      if (environment && !form.allEnvironments.checked) q.set('environment', environment);
      stream = new EventStream(q.toString(), (type, event) => {
        const list = $('#feed');
        list.prepend(h('li', { class: 'event', dataset: { type: event.type } },
          h('time', { datetime: event.occurredAt }, clockTime(event.occurredAt)), ' ',
          h('span', { class: 'etype' }, event.type), ' ',
          event.entity ? h('span', { class: 'eentity' }, event.entity) : null, ' ',
          event.agent ? h('span', { class: 'eagent' }, 'by ' + event.agent) : null, ' ',
          h('code', { class: 'edata' }, JSON.stringify(event.data).slice(0, 300))));
        while (list.children.length > FEED_LIMIT) list.lastChild.remove();
      }).start();
    };
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      const next = new URLSearchParams(location.search);
      for (const name of ['types', 'entity', 'agent']) next.set(name, form[name].value.trim());
      next.set('allEnvironments', String(form.allEnvironments.checked));
      history.replaceState(null, '', location.pathname + '?' + next);
      start();
    });
    start();
  }

  // ---- Conflicts: open merge requests against each other (the conflict radar) ---------------------------
  let selectedPair = null;

  async function conflicts() {
    await renderConflicts();
    let pending = null;
    const reread = () => {
      clearTimeout(pending);
      pending = setTimeout(() => renderConflicts().catch((e) => { $('#conflicts-error').textContent = e.message; }), 100);
    };
    const q = new URLSearchParams();
    q.set('types', 'merge-request.*');
    if (environment) q.set('environment', environment);
    new EventStream(q.toString(), reread, reread).start();
  }

  async function renderConflicts() {
    if (!environment) { $('#conflicts-summary').textContent = 'No environment'; return; }
    const matrix = await api('/environments/' + enc(environment) + '/merge-requests/conflicts');
    const keys = matrix.mergeRequests.map((r) => r.key);
    const byPair = new Map(matrix.pairs.map((p) => [p.a + '|' + p.b, p]));
    const pairOf = (x, y) => byPair.get(x < y ? x + '|' + y : y + '|' + x);
    const head = h('tr', {}, h('td', {}), keys.map((k) => h('th', { scope: 'col' }, k)));
    const rows = matrix.mergeRequests.map((r) => h('tr', { dataset: { mergeRequest: r.key } },
      h('th', { scope: 'row' }, r.key, h('br'), h('small', {}, r.sourceRef + ' → ' + r.targetRef)),
      keys.map((k) => {
        if (k === r.key) return h('td', { class: 'cell self' }, '');
        const p = pairOf(r.key, k);
        if (!p || p.targetRef !== r.targetRef) return h('td', { class: 'cell clear' }, '');
        const id = p.a + '|' + p.b;
        const button = h('button', { type: 'button', title: p.files.map((f) => f.path).join(', ') },
          p.conflicts ? 'conflict' : 'touch');
        button.addEventListener('click', () => { selectedPair = id; showPair(p); });
        return h('td', { class: 'cell ' + (p.conflicts ? 'conflict' : 'touch'), dataset: { pair: id } }, button);
      })));
    $('#conflicts thead').replaceChildren(head);
    $('#conflicts tbody').replaceChildren(...rows);
    const conflicting = matrix.pairs.filter((p) => p.conflicts).length;
    $('#conflicts-summary').textContent = keys.length + ' open merge requests · ' + conflicting
      + ' pairs git would fail to merge · ' + (matrix.pairs.length - conflicting) + ' pairs whose edits touch';
    if (selectedPair && byPair.has(selectedPair)) showPair(byPair.get(selectedPair));
    else if (selectedPair) { selectedPair = null; $('#pair').replaceChildren(); }
    $('#conflicts-error').textContent = '';
  }

  const lineRange = (hunk) => (hunk.lineCount === 0 ? 'after line ' + (hunk.startLine - 1)
    : hunk.lineCount === 1 ? 'line ' + hunk.startLine
      : 'lines ' + hunk.startLine + '–' + (hunk.startLine + hunk.lineCount - 1));

  function showPair(p) {
    $('#pair').replaceChildren(
      h('h2', {}, p.a + ' × ' + p.b),
      h('p', {}, (p.conflicts ? 'git would conflict' : 'the edits touch; git merges them cleanly')
        + ' · target ' + p.targetRef + ' · ' + p.mergeBases + ' merge base' + (p.mergeBases === 1 ? '' : 's')
        + ' · computed ' + ago(p.computedAt)),
      h('ul', { class: 'pair-files' }, p.files.map((f) => h('li', { dataset: { path: f.path } },
        h('code', {}, f.path), ' ', f.conflicts ? h('span', { class: 'tag-conflict' }, 'conflicts') : null,
        h('ul', {}, f.collidingHunks.map(([x, y]) => h('li', { class: 'hunk' },
          p.a + ' ' + lineRange(x) + ' ↔ ' + p.b + ' ' + lineRange(y))))))));
  }

  // ---- start ---------------------------------------------------------------------------------------------
  async function main() {
    if (view === 'login') { login(); return; }
    if (!(await setUpChrome())) return;
    const views = { board, files, conflicts, agents, feed };
    await views[view]();
  }

  main().catch((e) => {
    const error = document.querySelector('.error');
    if (error) error.textContent = 'The dashboard could not load: ' + e.message;
    console.error(e);
  });
})();
