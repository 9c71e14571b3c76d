/**
 * The searches of one explorer server (api.ts: POST /api/search, GET
 * /api/search[/ID], POST /api/search/ID/stop): at most one runs at a time;
 * the latest one is kept, with its progress while it runs and its result
 * once it ended, until the next one starts. The search itself runs where
 * the session's launcher puts it (searchThread.ts: a worker thread in the
 * executable), so these routes, like the others, answer at once.
 *
 * A search stopped from the page ends as `unknown`, reason `stopped`, with
 * the states it checked (the engine's count when it heeded the flag). One
 * that does not heed the flag within STOP_GRACE_MS (a spec stuck in one
 * step) has its thread ended, and is reported with the states of its last
 * progress report: never more than it checked.
 */
import { walkPath, type PathRef, type SearchProgress } from '../../trace/stepping.js';
import type { SearchReply, SearchStatus } from './api.js';
import type { SearchEnd, SearchHandle } from './searchThread.js';
import { bodyRecord, driftReply, pathOf, propertyOf, type ExploreSession, type Reply } from './session.js';

/** How long a stopped search may take to heed the flag before its thread is ended. */
export const STOP_GRACE_MS = 5000;

/** One search, while it runs and after. */
interface SearchRecord {
  readonly id: number;
  readonly from: PathRef;
  readonly property?: string;
  readonly startedMs: number;
  readonly handle: SearchHandle;
  progress: SearchProgress;
  stopping: boolean;
  /** Set once, when the search ended. */
  end?: { readonly at: number; readonly end: SearchEnd };
}

/** The reply a search's end becomes: a stop the engine heeded reads `stopped`. */
function resultOf(record: SearchRecord, end: SearchEnd): SearchReply | { readonly code: number; readonly error: string } {
  if (end.kind === 'failed') return { code: end.code, error: end.error };
  const { outcome } = end;
  switch (outcome.status) {
    case 'drift':
      return { code: 500, error: `the search's thread could not replay the path: step ${outcome.step + 1}, ${JSON.stringify(outcome.label)}, is not enabled there` };
    case 'unknown':
      return record.stopping && outcome.reason === 'interrupted' ? { ...outcome, reason: 'stopped' } : outcome;
    default:
      return outcome;
  }
}

export class SearchBoard {
  private nextId = 1;
  private latest: SearchRecord | undefined;
  /** Timers of stops not yet heeded (cleared when the search ends, or at close). */
  private readonly graceTimers = new Set<NodeJS.Timeout>();

  constructor(
    private readonly session: ExploreSession,
    private readonly clock: () => number = () => performance.now(),
  ) {}

  /** The record of search `id`, if it is the latest one. */
  private find(id: number): SearchRecord | undefined {
    return this.latest !== undefined && this.latest.id === id ? this.latest : undefined;
  }

  private running(): SearchRecord | undefined {
    return this.latest !== undefined && this.latest.end === undefined ? this.latest : undefined;
  }

  private statusOf(record: SearchRecord): SearchStatus {
    const origin = { id: record.id, from: { initIndex: record.from.initIndex, labels: [...record.from.labels] }, ...(record.property === undefined ? {} : { property: record.property }) };
    const elapsedMs = Math.round((record.end?.at ?? this.clock()) - record.startedMs);
    if (record.end === undefined) return { ...origin, elapsedMs, status: 'running', states: record.progress.states, depth: record.progress.depth, stopping: record.stopping };
    const result = resultOf(record, record.end.end);
    return 'error' in result ? { ...origin, elapsedMs, status: 'failed', code: result.code, error: result.error } : { ...origin, elapsedMs, status: 'done', result };
  }

  private finish(record: SearchRecord, end: SearchEnd): void {
    if (record.end !== undefined) return;
    record.end = { at: this.clock(), end };
  }

  /** POST /api/search: starts a search from the state the body's path reaches (409 while one runs). */
  start(body: unknown): Reply {
    const record = bodyRecord(body);
    const path = pathOf(this.session, record);
    const property = propertyOf(this.session, record);
    const running = this.running();
    if (running !== undefined) {
      return { code: 409, body: { error: `search ${running.id} is running: one search at a time (stop it with POST /api/search/${running.id}/stop)` } };
    }
    const walked = walkPath(this.session.target.model, path);
    if (walked.status === 'drift') return driftReply(walked);
    const { maxStates, timeoutSeconds } = this.session.searchBounds;
    const job = { path, maxStates, timeoutMs: timeoutSeconds * 1000, ...(property === undefined ? {} : { property }) };
    // Reports that come after the end (or, from a launcher, before the record exists) are dropped.
    let search: SearchRecord | undefined;
    const handle = this.session.searches(job, (progress) => {
      if (search !== undefined && search.end === undefined) search.progress = progress;
    });
    search = { id: this.nextId++, from: path, ...(property === undefined ? {} : { property }), startedMs: this.clock(), handle, progress: { states: 0, depth: 0 }, stopping: false };
    this.latest = search;
    const started = search;
    void handle.ended.then((end) => this.finish(started, end));
    return { code: 202, body: this.statusOf(started) };
  }

  /** GET /api/search (the latest) and GET /api/search/ID. */
  status(id?: number): Reply {
    const record = id === undefined ? this.latest : this.find(id);
    if (record === undefined) return this.missing(id);
    return { code: 200, body: this.statusOf(record) };
  }

  /** POST /api/search/ID/stop: asks the search to stop (202); one that ended is answered as it is (200). */
  stop(id: number): Reply {
    const record = this.find(id);
    if (record === undefined) return this.missing(id);
    if (record.end !== undefined) return { code: 200, body: this.statusOf(record) };
    if (!record.stopping) {
      record.stopping = true;
      record.handle.stop();
      const timer = setTimeout(() => {
        this.graceTimers.delete(timer);
        if (record.end !== undefined) return;
        // Not heeded: the thread is ended, and the states of its last report are all that is claimed.
        this.finish(record, { kind: 'outcome', outcome: { status: 'unknown', states: record.progress.states, reason: 'interrupted' } });
        void record.handle.terminate();
      }, STOP_GRACE_MS);
      timer.unref();
      this.graceTimers.add(timer);
      void record.handle.ended.then(() => {
        clearTimeout(timer);
        this.graceTimers.delete(timer);
      });
    }
    return { code: 202, body: this.statusOf(record) };
  }

  private missing(id: number | undefined): Reply {
    if (this.latest === undefined) return { code: 404, body: { error: 'no search has been started' } };
    return { code: 404, body: { error: `no search ${id}: the server keeps only the latest, search ${this.latest.id}` } };
  }

  /** Ends a running search's thread (the server is closing); resolves once it is gone. */
  async close(): Promise<void> {
    for (const timer of this.graceTimers) clearTimeout(timer);
    this.graceTimers.clear();
    const running = this.running();
    if (running !== undefined) await running.handle.terminate();
  }
}
