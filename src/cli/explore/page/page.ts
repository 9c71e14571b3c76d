/**
 * The page of `rrcheck explore` (compiled by tsconfig.page.json for the
 * browser; no library). It holds the path (initial state and labels; also in
 * the URL's hash, so a reload or a bookmark opens the same state) and asks
 * the server (cli/explore/api.ts) about it at every change: the state, the
 * enabled actions, the properties, what changed and the diagram. A search
 * runs on the server while the page stays usable: the page polls its
 * progress, shows it, and can stop it.
 */
import type {
  ActionJson,
  DriftReply,
  ErrorReply,
  LoadReply,
  PathJson,
  PropertyStatusJson,
  SaveReply,
  SearchReply,
  SearchStatus,
  SessionInfo,
  StateReply,
} from '../api.js';

function byTestId<T extends HTMLElement>(id: string): T {
  const found = document.querySelector<T>(`[data-testid="${id}"]`);
  if (found === null) throw new Error(`the page has no ${id}`);
  return found;
}

/** An element with attributes and children (text is always set as text, never as HTML). */
function el(tag: string, attrs: Record<string, string> = {}, children: (Node | string)[] = []): HTMLElement {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  for (const c of children) node.append(c);
  return node;
}

class RequestError extends Error {}

async function api<T>(route: string, body?: unknown): Promise<T> {
  const response = await fetch(route, body === undefined ? {} : { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const json = (await response.json()) as T | ErrorReply;
  if (!response.ok) throw new RequestError((json as ErrorReply).error ?? `${response.status} ${response.statusText}`);
  return json as T;
}

/** The page: its controls, what it shows, and the path it holds (kept in this closure, not in the module). */
function explorerPage(): void {
  const ui = {
    error: byTestId<HTMLDivElement>('error'),
    initIndex: byTestId<HTMLSelectElement>('init-index'),
    back: byTestId<HTMLButtonElement>('back'),
    reset: byTestId<HTMLButtonElement>('reset'),
    steps: byTestId<HTMLOListElement>('path-steps'),
    loop: byTestId<HTMLParagraphElement>('loop'),
    actions: byTestId<HTMLDivElement>('actions'),
    actionCount: byTestId<HTMLSpanElement>('action-count'),
    properties: byTestId<HTMLUListElement>('properties'),
    searchProperty: byTestId<HTMLSelectElement>('search-property'),
    search: byTestId<HTMLButtonElement>('search'),
    searchStop: byTestId<HTMLButtonElement>('search-stop'),
    searchResult: byTestId<HTMLParagraphElement>('search-result'),
    saveProperty: byTestId<HTMLSelectElement>('save-property'),
    save: byTestId<HTMLButtonElement>('save'),
    saveResult: byTestId<HTMLDivElement>('save-result'),
    loadFile: byTestId<HTMLInputElement>('load-file'),
    loadResult: byTestId<HTMLParagraphElement>('load-result'),
    diagram: byTestId<HTMLImageElement>('diagram'),
    changes: byTestId<HTMLUListElement>('changes'),
    state: byTestId<HTMLDivElement>('state'),
  };

  /** What the page knows: the session, the path shown and the server's answer for it. */
  // searching: the id of the search the page follows, while it runs.
  const page: { session?: SessionInfo; path: PathJson; shown?: StateReply; diagramUrl?: string; searching: number | undefined } = { path: { initIndex: 0, labels: [] }, searching: undefined };

  function showError(message: string | undefined): void {
    ui.error.hidden = message === undefined;
    ui.error.textContent = message ?? '';
  }

  /** Runs `work` with the controls disabled; an error is shown in the banner (and in `into`, if given). */
  async function busy(work: () => Promise<void>, into?: HTMLElement): Promise<void> {
    document.body.dataset['busy'] = 'true';
    document.body.dataset['ready'] = 'false';
    for (const b of document.querySelectorAll('button, select, input')) (b as HTMLButtonElement).disabled = true;
    try {
      showError(undefined);
      await work();
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      showError(message);
      if (into !== undefined) {
        into.textContent = message;
        into.classList.add('bad');
      }
    } finally {
      for (const b of document.querySelectorAll('button, select, input')) (b as HTMLButtonElement).disabled = false;
      ui.back.disabled = page.path.labels.length === 0;
      searchControls();
      document.body.dataset['busy'] = 'false';
      document.body.dataset['ready'] = 'true';
    }
  }

  /** One search at a time: while one runs, Stop instead of starting another. */
  function searchControls(): void {
    const running = page.searching !== undefined;
    ui.search.disabled = running;
    ui.searchProperty.disabled = running;
    ui.searchStop.hidden = !running;
    document.body.dataset['searching'] = String(running);
  }

  // ---- the path in the URL's hash ----

  function pathFromHash(): PathJson | undefined {
    const match = /^#path=(.*)$/.exec(location.hash);
    if (match === null) return undefined;
    try {
      const parsed = JSON.parse(decodeURIComponent(match[1]!)) as { i?: unknown; l?: unknown };
      if (typeof parsed.i === 'number' && Array.isArray(parsed.l) && parsed.l.every((x) => typeof x === 'string')) return { initIndex: parsed.i, labels: parsed.l };
    } catch {
      // not a path: ignored
    }
    return undefined;
  }

  function hashOf(path: PathJson): string {
    return `#path=${encodeURIComponent(JSON.stringify({ i: path.initIndex, l: path.labels }))}`;
  }

  // ---- rendering ----

  const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

  /** A path into the view, written as trace/diff.ts writes the changes' paths. */
  function childPath(path: string, key: string | number): string {
    if (typeof key === 'number') return `${path}[${key}]`;
    if (IDENTIFIER.test(key)) return path === '' ? key : `${path}.${key}`;
    return `${path}[${JSON.stringify(key)}]`;
  }

  function isRecord(v: unknown): v is Record<string, unknown> {
    return typeof v === 'object' && v !== null && !Array.isArray(v);
  }

  /** Whether `path` is one of the changed paths or lies inside one. */
  function changedAt(path: string, changed: ReadonlySet<string>): boolean {
    if (changed.has(path)) return true;
    for (const c of changed) if (c !== '' && (path.startsWith(`${c}.`) || path.startsWith(`${c}[`))) return true;
    return false;
  }

  function scalar(value: unknown): HTMLElement {
    if (value === null || value === undefined) return el('span', { class: 'empty' }, [String(value)]);
    if (typeof value === 'string') return el('span', { class: 'str' }, [value]);
    if (typeof value === 'number') return el('span', { class: 'num' }, [String(value)]);
    if (typeof value === 'boolean') return el('span', { class: 'bool' }, [String(value)]);
    return el('span', {}, [JSON.stringify(value)]);
  }

  /** A table with one row per item of `rows` (records: `[key, record]`), a column per field of any of them. */
  function recordRows(rows: readonly (readonly [string, Record<string, unknown>, string])[], changed: ReadonlySet<string>): HTMLElement {
    const keys: string[] = [];
    for (const [, item] of rows) for (const k of Object.keys(item)) if (item[k] !== undefined && !keys.includes(k)) keys.push(k);
    const head = el('tr', {}, [el('th', {}, ['']), ...keys.map((k) => el('th', {}, [k]))]);
    const body = rows.map(([name, item, p]) => {
      const row = el('tr', { 'data-path': p }, [
        el('th', { class: 'key' }, [name]),
        ...keys.map((k) => {
          const cp = childPath(p, k);
          const cell = el('td', { 'data-path': cp }, [item[k] !== undefined ? valueNode(item[k], cp, changed) : el('span', { class: 'empty' }, ['—'])]);
          if (changedAt(cp, changed)) cell.classList.add('changed');
          return cell;
        }),
      ]);
      if (changedAt(p, changed)) row.classList.add('changed');
      return row;
    });
    return el('table', {}, [el('thead', {}, [head]), el('tbody', {}, body)]);
  }

  /** Scalars inline when they are few and short, else one per line. */
  function scalarList(values: readonly unknown[], path: string, changed: ReadonlySet<string>): HTMLElement {
    const short = values.length <= 4 && values.every((v) => String(v).length <= 16);
    if (short) return el('span', {}, ['[', ...values.flatMap((v, i) => (i === 0 ? [scalar(v)] : [', ', scalar(v)])), ']']);
    return el(
      'ol',
      { class: 'list', start: '0' },
      values.map((v, i) => {
        const p = childPath(path, i);
        const item = el('li', { 'data-path': p }, [scalar(v)]);
        if (changedAt(p, changed)) item.classList.add('changed');
        return item;
      }),
    );
  }

  /**
   * A JSON value as nested tables: an array of records, or a record of at
   * least two records (processes by name), as one row per item; other
   * records as key | value rows; arrays of scalars as lists.
   */
  function valueNode(value: unknown, path: string, changed: ReadonlySet<string>): HTMLElement {
    if (Array.isArray(value)) {
      if (value.length === 0) return el('span', { class: 'empty' }, ['(none)']);
      if (value.every(isRecord)) return recordRows(value.map((item, i) => [String(i), item, childPath(path, i)] as const), changed);
      if (value.every((v) => !isRecord(v) && !Array.isArray(v))) return scalarList(value, path, changed);
      return el(
        'table',
        {},
        value.map((v, i) => {
          const p = childPath(path, i);
          const cell = el('td', { 'data-path': p }, [valueNode(v, p, changed)]);
          if (changedAt(p, changed)) cell.classList.add('changed');
          return el('tr', {}, [el('td', { class: 'key' }, [String(i)]), cell]);
        }),
      );
    }
    if (isRecord(value)) {
      const entries = Object.entries(value).filter(([, v]) => v !== undefined);
      if (entries.length === 0) return el('span', { class: 'empty' }, ['{}']);
      if (entries.length >= 2 && entries.every(([, v]) => isRecord(v))) {
        return recordRows(entries.map(([k, v]) => [k, v as Record<string, unknown>, childPath(path, k)] as const), changed);
      }
      return el(
        'table',
        {},
        entries.map(([k, v]) => {
          const p = childPath(path, k);
          const cell = el('td', { 'data-path': p }, [valueNode(v, p, changed)]);
          if (changedAt(p, changed)) cell.classList.add('changed');
          return el('tr', {}, [el('td', { class: 'key' }, [k]), cell]);
        }),
      );
    }
    return scalar(value);
  }

  /** The view grouped by its top-level keys, each under its own heading. */
  function renderState(view: unknown, changed: ReadonlySet<string>): void {
    const groups = isRecord(view) ? Object.entries(view).filter(([, v]) => v !== undefined) : [['state', view] as const];
    ui.state.replaceChildren(
      ...groups.map(([key, value]) => {
        const p = isRecord(view) ? childPath('', key) : '';
        const group = el('div', { class: 'group', 'data-testid': `state-${key}`, 'data-path': p }, [el('h3', {}, [key]), valueNode(value, p, changed)]);
        if (changedAt(p, changed) && p !== '') group.querySelector('h3')!.classList.add('changed');
        return group;
      }),
    );
  }

  function who(a: ActionJson): string {
    const parts = [a.actor, a.kind].filter((x): x is string => x !== undefined);
    return `${parts.join(' · ')}${a.fault ? ' · fault' : ''}`;
  }

  function renderPath(state: StateReply): void {
    const items: HTMLElement[] = [];
    const n = state.path.labels.length;
    const step = (k: number, label: string, action?: ActionJson) => {
      const button = el('button', { type: 'button', 'data-testid': `step-${k}`, title: k === n ? 'the current state' : `go back to the state after step ${k}` }, [
        el('span', { class: 'n' }, [String(k)]),
        el('span', { class: 'label' }, [label]),
      ]);
      button.addEventListener('click', () => void go({ initIndex: state.path.initIndex, labels: state.path.labels.slice(0, k) }));
      if (k === state.loopStart) button.append(el('span', { class: 'loop-mark', title: 'the path returns to this state' }, ['↺']));
      const li = el('li', { class: `${k === n ? 'current' : ''}${action?.fault ? ' fault' : ''}`.trim() }, [button]);
      items.push(li);
    };
    step(0, `initial state #${state.path.initIndex}`);
    state.path.labels.forEach((label, i) => step(i + 1, label, state.steps[i]));
    ui.steps.replaceChildren(...items);
    ui.steps.dataset['length'] = String(n);
    items[items.length - 1]?.scrollIntoView({ block: 'nearest' });
    ui.loop.hidden = state.loopStart === undefined;
    ui.loop.textContent = state.loopStart === undefined ? '' : `↺ the state after step ${state.loopEnd} is the state after step ${state.loopStart}: the path has closed a cycle`;
  }

  function renderActions(state: StateReply): void {
    ui.actionCount.textContent = `(${state.enabled.length})`;
    if (state.enabled.length === 0) {
      ui.actions.replaceChildren(el('p', { class: 'muted', 'data-testid': 'no-actions' }, ['none: no step is enabled in this state (it has no successors)']));
      return;
    }
    ui.actions.replaceChildren(
      ...state.enabled.map((a) => {
        const b = el('button', { type: 'button', 'data-testid': 'action', 'data-label': a.label, class: a.fault ? 'fault' : '' }, [
          el('span', { class: 'label' }, [a.label]),
          el('span', { class: 'who' }, [who(a)]),
        ]);
        b.addEventListener('click', () => void go({ initIndex: state.path.initIndex, labels: [...state.path.labels, a.label] }));
        return b;
      }),
    );
  }

  const VERDICT: Record<PropertyStatusJson['status'], string> = { holds: 'holds', violated: 'VIOLATED', 'not-applicable': 'not applicable' };

  function renderProperties(state: StateReply): void {
    ui.properties.replaceChildren(
      ...state.properties.map((p) => {
        const children: (Node | string)[] = [el('span', { class: 'verdict' }, [VERDICT[p.status]]), el('strong', {}, [p.name]), el('span', { class: 'muted small' }, [` ${p.kind} · ${p.category}`])];
        if (p.status === 'not-applicable') children.push(el('p', { class: 'why muted' }, ['judged only in a state without successors (or on a cycle)']));
        if (p.finding !== undefined) {
          children.push(el('p', { class: 'why', 'data-testid': `finding-${p.name}` }, [p.finding.summary]));
          if (p.finding.subjects.length > 0) {
            children.push(el('ul', { class: 'subjects' }, p.finding.subjects.map((s) => el('li', {}, [`${s.process}: ${s.role} (${s.reason})`]))));
          }
        }
        return el('li', { 'data-testid': `property-${p.name}`, 'data-status': p.status, title: p.description }, children);
      }),
    );
  }

  function renderChanges(state: StateReply): void {
    if (state.path.labels.length === 0) {
      ui.changes.replaceChildren(el('li', { class: 'muted' }, ['(the initial state)']));
      return;
    }
    if (state.changeLines.length === 0) {
      ui.changes.replaceChildren(el('li', { class: 'muted' }, ['nothing in the view']));
      return;
    }
    ui.changes.replaceChildren(...state.changeLines.map((line) => el('li', {}, [line])));
  }

  function renderDiagram(state: StateReply): void {
    if (page.diagramUrl !== undefined) URL.revokeObjectURL(page.diagramUrl);
    // As an image: the SVG is shown, never run.
    page.diagramUrl = URL.createObjectURL(new Blob([state.svg], { type: 'image/svg+xml' }));
    ui.diagram.src = page.diagramUrl;
    ui.diagram.dataset['steps'] = String(state.path.labels.length);
  }

  function render(state: StateReply): void {
    page.shown = state;
    renderPath(state);
    renderActions(state);
    renderProperties(state);
    renderChanges(state);
    renderState(state.view, new Set(state.changes.map((c) => c.path)));
    renderDiagram(state);
    ui.initIndex.value = String(state.path.initIndex);
  }

  /** Shows the state `path` reaches (or, if it drifts, the longest prefix that replays, and why). */
  async function show(path: PathJson): Promise<void> {
    const reply = await api<StateReply | DriftReply>('/api/state', { path });
    if (reply.status === 'drift') {
      const enabled = reply.enabled.length === 0 ? 'none' : reply.enabled.join(', ');
      await show(reply.valid);
      throw new RequestError(`step ${reply.step + 1}, "${reply.label}", is not enabled (enabled: ${enabled}); shown: the path up to step ${reply.step}`);
    }
    page.path = reply.path;
    if (location.hash !== hashOf(reply.path)) location.hash = hashOf(reply.path);
    render(reply);
  }

  function go(path: PathJson): Promise<void> {
    return busy(() => show(path));
  }

  // ---- search, save, load ----

  function options(select: HTMLSelectElement, first: string, properties: SessionInfo['properties']): void {
    select.replaceChildren(el('option', { value: '' }, [first]), ...properties.map((p) => el('option', { value: p.name }, [`${p.name} (${p.kind})`])));
  }

  function searchText(reply: SearchReply): string {
    const states = (n: number) => `${n.toLocaleString('en')} state${n === 1 ? '' : 's'}`;
    switch (reply.status) {
      case 'found':
        return `Found: ${reply.property} violated ${reply.added} step${reply.added === 1 ? '' : 's'} from here${reply.loopStart === undefined ? '' : ' (a cycle)'} — ${reply.finding.summary} (${states(reply.states)} searched).`;
      case 'none':
        return `No violation is reachable from here: the search from this state was complete (${states(reply.states)}).`;
      case 'unknown':
        return reply.reason === 'stopped'
          ? `Stopped: no violation among the ${states(reply.states)} checked before you stopped the search; unknown beyond them.`
          : `No violation among the ${states(reply.states)} checked, but the search stopped (${reply.reason}) before it was complete: unknown beyond them.`;
    }
  }

  /** How often the page asks a running search how far it got. */
  const POLL_MS = 250;

  function progressText(status: Extract<SearchStatus, { status: 'running' }>): string {
    const seconds = (status.elapsedMs / 1000).toFixed(1);
    return `${status.stopping ? 'stopping' : 'searching'}… ${status.states.toLocaleString('en')} states, depth ${status.depth}, ${seconds} s`;
  }

  /** Shows search `status` as it runs (the progress) and, once it ended, its result; a violation found is then shown. */
  async function follow(status: SearchStatus): Promise<void> {
    page.searching = status.id;
    searchControls();
    ui.searchResult.classList.remove('bad');
    let current = status;
    try {
      while (current.status === 'running') {
        ui.searchResult.dataset['status'] = 'running';
        ui.searchResult.dataset['states'] = String(current.states);
        ui.searchResult.textContent = progressText(current);
        await new Promise((resolve) => setTimeout(resolve, POLL_MS));
        current = await api<SearchStatus>(`/api/search/${current.id}`);
      }
    } catch (error) {
      page.searching = undefined;
      searchControls();
      throw error;
    }
    page.searching = undefined;
    searchControls();
    if (current.status === 'failed') {
      ui.searchResult.dataset['status'] = 'failed';
      throw new RequestError(current.error);
    }
    const reply = current.result;
    ui.searchResult.dataset['states'] = String(reply.states);
    // The found path is shown first, so that the result's status says the page shows it.
    if (reply.status === 'found') await go(reply.path);
    ui.searchResult.dataset['status'] = reply.status;
    ui.searchResult.textContent = searchText(reply);
  }

  /** Starts a search from the current state (the request returns at once); then follows it. */
  async function search(): Promise<void> {
    const property = ui.searchProperty.value;
    const reply = await api<SearchStatus | DriftReply>('/api/search', { path: page.path, ...(property === '' ? {} : { property }) });
    if (reply.status === 'drift') throw new RequestError(`the path no longer replays at step ${reply.step + 1}`);
    void follow(reply).catch(showSearchError);
  }

  function showSearchError(error: unknown): void {
    const message = error instanceof Error ? error.message : String(error);
    showError(message);
    ui.searchResult.textContent = message;
    ui.searchResult.classList.add('bad');
  }

  async function stopSearch(): Promise<void> {
    if (page.searching === undefined) return;
    const status = await api<SearchStatus>(`/api/search/${page.searching}/stop`, {});
    if (status.status === 'running') ui.searchResult.textContent = progressText(status);
  }

  async function save(): Promise<void> {
    const property = ui.saveProperty.value;
    ui.saveResult.classList.remove('bad');
    const reply = await api<SaveReply | DriftReply>('/api/save', { path: page.path, ...(property === '' ? {} : { property }) });
    if ('status' in reply && reply.status === 'drift') throw new RequestError(`the path no longer replays at step ${reply.step + 1}`);
    const saved = reply as SaveReply;
    const what = saved.expected === 'violates' ? `violates ${saved.property}` : `does not violate ${saved.property} (saved as fixed)`;
    ui.saveResult.dataset['file'] = saved.file;
    ui.saveResult.replaceChildren(
      el('p', {}, [`${saved.status === 'written' ? 'Saved' : 'Already saved as'} `, el('code', { 'data-testid': 'saved-file' }, [saved.file]), ` — ${saved.steps} steps; ${what}.`]),
      el('p', {}, ['Replay it: ', el('code', { 'data-testid': 'save-command' }, [saved.command]), ` (exits ${saved.exitCode})`]),
    );
  }

  async function load(file: File): Promise<void> {
    ui.loadResult.classList.remove('bad');
    ui.loadResult.textContent = '';
    const reply = await api<LoadReply>('/api/load', { text: await file.text() });
    await show(reply.path);
    ui.loadResult.textContent = `Loaded ${file.name}: ${reply.description}`;
  }

  // ---- start ----

  async function start(): Promise<void> {
    const session = await api<SessionInfo>('/api/session');
    page.session = session;
    byTestId('spec-id').textContent = session.spec;
    byTestId('spec-title').textContent = `${session.title}${session.module === undefined ? '' : ` (module ${session.module})`}`;
    byTestId('params').textContent = Object.entries(session.params)
      .map(([k, v]) => `${k}=${v}`)
      .join('  ');
    document.title = `rrcheck explore — ${session.spec}`;
    ui.initIndex.replaceChildren(...Array.from({ length: session.initialStates }, (_, i) => el('option', { value: String(i) }, [`#${i}`])));
    options(ui.searchProperty, 'any property', session.properties);
    options(ui.saveProperty, 'the first violated (else the first)', session.properties);
    ui.search.title = `breadth-first, at most ${session.search.maxStates.toLocaleString('en')} states and ${session.search.timeoutSeconds} s`;
    ui.save.title = `into ${session.out}`;
    await show(pathFromHash() ?? session.start);
    // A search started before this page was (re)loaded, still running: followed here.
    const latest = await fetch('/api/search');
    if (latest.ok) {
      const status = (await latest.json()) as SearchStatus;
      if (status.status === 'running') void follow(status).catch(showSearchError);
    }
  }

  ui.back.addEventListener('click', () => void go({ initIndex: page.path.initIndex, labels: page.path.labels.slice(0, -1) }));
  ui.reset.addEventListener('click', () => void go({ initIndex: page.path.initIndex, labels: [] }));
  ui.initIndex.addEventListener('change', () => void go({ initIndex: Number(ui.initIndex.value), labels: [] }));
  ui.search.addEventListener('click', () => void busy(search, ui.searchResult));
  // Not through busy: the rest of the page stays as it is while the search winds down.
  ui.searchStop.addEventListener('click', () => void stopSearch().catch(showSearchError));
  ui.save.addEventListener('click', () => void busy(save, ui.saveResult));
  ui.loadFile.addEventListener('change', () => {
    const file = ui.loadFile.files?.[0];
    if (file !== undefined) void busy(() => load(file), ui.loadResult).then(() => (ui.loadFile.value = ''));
  });
  // The browser's own Back and Forward move through the hash.
  window.addEventListener('hashchange', () => {
    const path = pathFromHash();
    if (path !== undefined && hashOf(path) !== hashOf(page.path)) void go(path);
  });
  void busy(start);
}

explorerPage();
