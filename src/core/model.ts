/**
 * The vocabulary every layer shares: a finite, deterministic transition system.
 *
 * core/ owns the contracts (Model, Property, results, exit codes, hashing); it
 * imports nothing else of the project and no node:* module, so that the engine,
 * the system kit and the specs can all depend on it without cycles.
 */
import type { CostSpec } from './costs.js';
import type { TimingParameters, TimingSpec } from './timing.js';
import type { Diagram, DiagramHighlight } from './diagram.js';

/**
 * A transition system. Pure: no I/O, clocks or randomness, and no mutation of
 * a state once it has been returned.
 *
 * - `init()` returns the initial states in a fixed order (traces refer to
 *   them by index).
 * - `actions(s)` returns the enabled actions of `s` in a fixed order, with
 *   labels unique among them: a trace is a list of labels and replay finds
 *   each label among the enabled actions.
 * - `fingerprint(s, out)` writes a 64-bit fingerprint (two 32-bit lanes) into
 *   `out[0]`, `out[1]`; equal states must give equal fingerprints.
 *   StructuralHasher (hash.ts) does this for plain data: arrays, plain
 *   records, Set, Map, strings, numbers (SameValueZero), bigint, booleans,
 *   null, undefined; on anything else it throws a ModelError
 *   ('unhashable-value', exit code 8) naming the value's path in the state.
 */
export interface Model<S, A> {
  init(): readonly S[];
  actions(state: S): readonly A[];
  next(state: S, action: A): S;
  label(action: A): string;
  fingerprint(state: S, out: Uint32Array): void;
  /**
   * Partial-order reduction (optional; the search uses it unless told not
   * to). Given `state` and its enabled `actions`, returns the ascending
   * indices of a proper subset of them to explore instead of all, or
   * undefined to explore all. The subset must be
   * - persistent: along every run from `state` that takes none of the
   *   subset's actions, every action taken is independent of each of them
   *   (neither enables nor disables the other where both are enabled, and the
   *   two orders reach the same state), and
   * - invisible: none of the subset's actions changes whether an `always`
   *   property holds, in `state` or in any state such a run reaches.
   * The search adds the cycle proviso (a state expanded by a subset never
   * closes a cycle of such states: BFS expands a state fully when a chosen
   * successor was stored at its level or before, DFS when it is on the
   * stack). Then every reachable state without successors stays reachable,
   * a cycle exists iff one existed, and a state violating an `always`
   * property stays reachable (see the README, "Partial-order reduction").
   */
  ample?(state: S, actions: readonly A[]): readonly number[] | undefined;
  /**
   * What an enabled action of `state` does, as data (optional): who acts,
   * which message it consumes, whether it is a fault. Shrinking counts and
   * removes faults and measures reorderings by receiver from it, and
   * diagrams read it; none of them parse labels. A model without it is
   * treated as having no faults and no message consumptions.
   */
  describe?(state: S, action: A): ActionDescription;
}

/**
 * A step as data. `fault`: injected by the environment (a crash), not taken by
 * the protocol; shrinking tries to remove faults first. `receiver` (and
 * `sender`): the step consumes a message addressed to `receiver`; a model
 * lists consumptions oldest first, so a consumption listed after another one
 * to the same receiver overtakes it (a reordering). Processes are named as in
 * the labels and the view (`p0`, `S`).
 */
export interface ActionDescription {
  /** The process taking the step (for a consumption, the receiver). */
  readonly actor?: string;
  readonly sender?: string;
  readonly receiver?: string;
  readonly fault: boolean;
  /** What kind of step, in the model's own words: `crash`, `restart`, `drop`, a message or event kind. */
  readonly kind?: string;
  /** Model-specific facts (for FBL: what became of a consumed application message). */
  readonly detail?: FindingDetail;
}

/** JSON data: what findings and action descriptions carry, so they can be written to files as they are. */
export type FindingValue = string | number | boolean | null | readonly FindingValue[] | { readonly [key: string]: FindingValue };
export type FindingDetail = { readonly [key: string]: FindingValue };

/**
 * The part a process plays in a violation. `orphan`: it depends on a delivery
 * that no longer exists; `at-risk`: it depends on one that may be lost;
 * `stuck`: a run ended with it not live; `crashed`: a run ended with it
 * crashed; `blocked`: it cannot proceed; `undelivered`: a message meant for
 * it was never delivered; `pending`: a message to it is still in flight at
 * the end.
 */
export type SubjectRole = 'orphan' | 'at-risk' | 'stuck' | 'crashed' | 'blocked' | 'undelivered' | 'pending';

/** A message by its sender's send sequence number (and, where the model has it, its data and kind). */
export interface MessageRef {
  readonly source: string;
  readonly ssn?: number;
  readonly data?: number;
  readonly kind?: string;
}

/** The `rsn`-th delivery of `process` (1-based), and the message it delivered. */
export interface DeliveryRef {
  readonly process: string;
  readonly rsn: number;
  readonly message?: MessageRef;
}

/** One process's part in a violation. */
export interface FindingSubject {
  readonly process: string;
  readonly role: SubjectRole;
  /** Why, as a kebab-case code (`lost-delivery`, `not-live`…), never prose. */
  readonly reason: string;
  /** The delivery it depends on (orphans, processes at risk). */
  readonly dependsOn?: DeliveryRef;
  /** The message concerned (never delivered, still in flight). */
  readonly message?: MessageRef;
  readonly detail?: FindingDetail;
}

/**
 * Why a property fails in a state, as data: a one-sentence `summary` for
 * people (printed with the verdict, never parsed), a `reason` code for the
 * whole finding, and the processes involved. Diagrams, shrinking and reports
 * read the structured parts. Serialisable as JSON.
 */
export interface Finding {
  readonly summary: string;
  /** kebab-case: `orphan`, `not-terminated`, `cycle`, `does-not-hold`… */
  readonly reason: string;
  readonly subjects: readonly FindingSubject[];
  /** Counters and other facts of the whole state (`restarts`, `bound`…). */
  readonly detail?: FindingDetail;
}

/** The finding of a property without `explain`, or of a cycle: a reason and a sentence, no subjects. */
export function plainFinding(reason: string, summary: string, detail?: FindingDetail): Finding {
  return detail === undefined ? { summary, reason, subjects: [] } : { summary, reason, subjects: [], detail };
}

/**
 * Why `property` fails in `state`: its own finding (a sentence it gives made
 * a finding without subjects), or `<name> does not hold` (`in a state without
 * successors` for a terminal one).
 */
export function findingOf<S>(property: Property<S>, state: S): Finding {
  if (property.explain !== undefined) {
    const found = property.explain(state);
    return typeof found === 'string' ? plainFinding('explained', found) : found;
  }
  const where = property.kind === 'terminal' ? ' in a state without successors' : '';
  return plainFinding('does-not-hold', `${property.name} does not hold${where}`);
}

/** A lasso's finding: `steps` steps return to state `loopStart` of the trace. */
export function cycleFinding(steps: number, loopStart: number): Finding {
  return plainFinding(
    'cycle',
    `a cycle of ${steps} step(s) returns to state ${loopStart} of the trace: no state without successors is reached along it`,
    { steps, loopStart },
  );
}

/** A model together with the properties it is checked against. */
export interface CheckTarget<S, A> {
  readonly model: Model<S, A>;
  readonly properties: readonly Property<S>[];
  /**
   * Memory the model shares with copies of itself in other threads (an
   * interner's shared buffers, say): structured-clonable, handed to a
   * SpecDefinition's build as `context.shared` (optional; a model without
   * state of its own beyond its parameters needs none).
   */
  readonly shared?: unknown;
  /** A JSON-able view of a state, for trace output and diffs. */
  view(state: S): unknown;
  /**
   * A typed view of a state for the ITF states of counterexample files
   * (optional; `view` otherwise): plain data plus `Set` (written `#set`),
   * `Map` (`#map`) and trace/itf's `ItfTuple` (`#tup`), so that Quint and
   * Apalache users can query sets and maps as such.
   */
  itfView?(state: S): unknown;
  /**
   * The processes, named as Model.describe names them, in the order the
   * generic space-time diagram draws their lanes (optional: otherwise in the
   * order the steps first name them). A process named here gets a lane even
   * if no step names it; one named only by the steps gets a lane after these.
   */
  readonly processes?: readonly string[];
  /** One line describing what an action did, for trace output (optional detail). */
  describeStep?(before: S, action: A, after: S): string | undefined;
  /** How the protocol's steps map to named coverage points (optional; `rrcheck check --coverage`). */
  readonly coverage?: CoverageSpec<S, A>;
  /** What each step costs (optional; `rrcheck metrics` and the timed simulation read it). */
  readonly costs?: CostSpec<S, A>;
  /**
   * How long its steps take under `parameters` (optional; `rrcheck timed` and
   * engine/timed's simulateTimed read it). Pure.
   */
  timing?(parameters: TimingParameters): TimingSpec<S, A>;
  /**
   * The space-time diagram of a trace (states[0] initial, states[k] after
   * labels[k-1]), with the violation's lanes highlighted (optional; without
   * it `rrcheck render` draws the generic diagram of trace/genericDiagram,
   * built from Model.describe and the finding).
   */
  diagram?(states: readonly S[], labels: readonly string[], highlight: DiagramHighlight): Diagram;
}

/**
 * - `always`: must hold in every reachable state (a safety property).
 * - `terminal`: must hold in every reachable state without successors; a
 *   cycle in the state graph also violates it (there is no terminal state to
 *   reach), which both strategies report as a lasso (DFS at a back edge,
 *   BFS over the graph it recorded, once the search is complete).
 */
export type PropertyKind = 'always' | 'terminal';

/** Which exit code a violation maps to (TLC's split between safety and liveness). */
export type PropertyCategory = 'safety' | 'liveness';

/** A named condition on states, checked by the explorer as its `kind` says. */
export interface Property<S> {
  readonly name: string;
  readonly kind: PropertyKind;
  readonly category: PropertyCategory;
  /** One sentence, printed with every verdict. */
  readonly description: string;
  holds(state: S): boolean;
  /**
   * Why the property fails in `state` (asked only where it fails): names the
   * orphan, the stuck process… as data, with a one-sentence summary. A plain
   * sentence is accepted too (a finding with the reason `explained` and no
   * subjects: nothing for a diagram to highlight); read it through findingOf.
   */
  explain?(state: S): Finding | string;
}

/**
 * A named point of a protocol's behaviour that coverage counts: a kind of
 * step, a place where a crash can strike, a recovery path.
 */
export interface CoveragePoint {
  /** kebab-case; what a gate entry's `require` names. */
  readonly name: string;
  /** The heading it is reported under ("protocol steps", "crashes"…), in first-seen order. */
  readonly group: string;
  readonly description: string;
}

/** A number read off each reached state; coverage reports its greatest value (e.g. restarts in one run). */
export interface CoverageGauge<S> {
  readonly name: string;
  readonly description: string;
  measure(state: S): number;
}

/**
 * A spec's classification of steps into coverage points. Listing every point
 * up front lets a report name the points that were never reached, which is
 * what shows a bound too small to mean anything.
 */
export interface CoverageSpec<S, A> {
  readonly points: readonly CoveragePoint[];
  readonly gauges: readonly CoverageGauge<S>[];
  /**
   * Calls `hit(i)` for each point `points[i]` that the step `before`
   * —`action`→ `after` is at (any number of times, including none). Pure.
   */
  classify(before: S, action: A, after: S, hit: (point: number) => void): void;
}
