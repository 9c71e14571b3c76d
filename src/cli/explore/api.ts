/**
 * The JSON of `rrcheck explore`'s HTTP API, shared by the server (cli/explore)
 * and the page (cli/explore/page, compiled for the browser): types only, so
 * that the page's compilation needs nothing else of the project.
 *
 * The API is stateless but for the searches: the page holds the path (an
 * initial state's index and the labels taken) and sends it with every
 * request; the server replays it. A search runs for a while, off the
 * server's thread: it is started, polled and stopped by its id, one at a
 * time per server; the other routes answer while it runs.
 *
 * - GET  /api/session            → SessionInfo
 * - POST /api/state  {path}      → StateReply | DriftReply
 * - POST /api/search {path, property?} → 202 SearchStatus (running) | DriftReply
 *                                  | 409 ErrorReply (a search is running)
 * - GET  /api/search             → SearchStatus of the latest search (404 before the first)
 * - GET  /api/search/ID          → SearchStatus (404: not the latest search)
 * - POST /api/search/ID/stop {}  → 202 SearchStatus (stopping) | 200 SearchStatus (it had ended)
 * - POST /api/save   {path, property?} → SaveReply | DriftReply
 * - POST /api/load   {text}      → LoadReply (a counterexample file's text)
 *
 * A request the server cannot take (malformed JSON or fields, a body too
 * large, a file of another spec) is answered 4xx with ErrorReply; a spec that
 * throws while explored, 500 with ErrorReply. The server never stops for either.
 */

export interface PathJson {
  readonly initIndex: number;
  readonly labels: readonly string[];
}

export interface ErrorReply {
  readonly error: string;
}

export interface PropertyInfo {
  readonly name: string;
  readonly kind: 'always' | 'terminal';
  readonly category: 'safety' | 'liveness';
  readonly description: string;
}

export interface SessionInfo {
  readonly spec: string;
  readonly title: string;
  /** The resolved parameters, as a counterexample file records them. */
  readonly params: Readonly<Record<string, string | number>>;
  /** The spec module's path as given (absent for a spec of rrcheck's registry). */
  readonly module?: string;
  readonly properties: readonly PropertyInfo[];
  /** How many initial states the model has (a path names one by its index). */
  readonly initialStates: number;
  /** The path to open with when the page has none (the counterexample file the command was given). */
  readonly start: PathJson;
  /** The file `start` comes from, if any. */
  readonly startFile?: string;
  /** Where saved files go (--out). */
  readonly out: string;
  /** The bounds of one search (--max-states, --search-timeout). */
  readonly search: { readonly maxStates: number; readonly timeoutSeconds: number };
}

export interface FindingJson {
  readonly summary: string;
  readonly reason: string;
  readonly subjects: readonly { readonly process: string; readonly role: string; readonly reason: string }[];
}

export interface ActionJson {
  readonly label: string;
  readonly actor?: string;
  readonly kind?: string;
  readonly sender?: string;
  readonly receiver?: string;
  readonly fault: boolean;
}

export interface PropertyStatusJson extends PropertyInfo {
  readonly status: 'holds' | 'violated' | 'not-applicable';
  readonly finding?: FindingJson;
}

export interface StateReply {
  readonly status: 'ok';
  readonly path: PathJson;
  /** The view of the current state (the spec's JSON view). */
  readonly view: unknown;
  readonly enabled: readonly ActionJson[];
  /** What each step of the path did: steps[k] describes labels[k]. */
  readonly steps: readonly ActionJson[];
  /** The last step's changes, by path into the view (`procs[1].vol.status`, `net`). */
  readonly changes: readonly { readonly kind: 'changed' | 'added' | 'removed'; readonly path: string }[];
  /** The same as lines. */
  readonly changeLines: readonly string[];
  readonly properties: readonly PropertyStatusJson[];
  /** The path returns to state loopStart at state loopEnd (a cycle). */
  readonly loopStart?: number;
  readonly loopEnd?: number;
  /** The space-time diagram of the path (an SVG document). */
  readonly svg: string;
}

export interface DriftReply {
  readonly status: 'drift';
  readonly step: number;
  readonly label: string;
  readonly enabled: readonly string[];
  /** The longest prefix of the path that replays. */
  readonly valid: PathJson;
}

export type SearchReply =
  | {
      readonly status: 'found';
      readonly path: PathJson;
      readonly property: string;
      readonly category: 'safety' | 'liveness';
      readonly finding: FindingJson;
      readonly loopStart?: number;
      readonly added: number;
      readonly states: number;
    }
  | { readonly status: 'none'; readonly states: number }
  /**
   * `reason`: the bound that stopped the search (`states`, `time`, `memory`),
   * `stopped` (the Stop button), `interrupted` (the command was), or why a
   * property stayed unknown (`cycles-not-checked`…). `states`: those checked.
   */
  | { readonly status: 'unknown'; readonly states: number; readonly reason: string };

/** Where a search started: the path searched from, and the property (absent: any). */
interface SearchOrigin {
  /** Numbered from 1 by each server. */
  readonly id: number;
  readonly from: PathJson;
  readonly property?: string;
  /** Milliseconds since the search started (to its end, once it ended). */
  readonly elapsedMs: number;
}

/** A search as the server knows it: running (with its progress), ended (with its result), or failed. */
export type SearchStatus =
  | (SearchOrigin & {
      readonly status: 'running';
      /** Distinct states stored so far, and the deepest level reached (steps from `from`). */
      readonly states: number;
      readonly depth: number;
      /** A stop was asked for: the result (unknown, reason `stopped`) comes at the search's next poll. */
      readonly stopping: boolean;
    })
  | (SearchOrigin & { readonly status: 'done'; readonly result: SearchReply })
  /** The spec threw while searched (`code` 500), or broke the model's contract (422): one line. */
  | (SearchOrigin & { readonly status: 'failed'; readonly code: number; readonly error: string });

export interface SaveReply {
  readonly status: 'written' | 'kept';
  /** The file, as the command line names it (relative to the folder rrcheck runs in). */
  readonly file: string;
  readonly property: string;
  readonly expected: 'violates' | 'fixed';
  /** Steps saved: the path, cut at its first violation of the property. */
  readonly steps: number;
  /** The command that replays it, and the exit code it will end with. */
  readonly command: string;
  readonly exitCode: number;
}

export interface LoadReply {
  readonly path: PathJson;
  readonly property: string;
  readonly expected: 'violates' | 'fixed';
  readonly description: string;
}
