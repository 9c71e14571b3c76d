/**
 * Costs over every interleaving (`rrcheck metrics`): explores a model's
 * reachable graph by BFS, records for each transition what the target's
 * CostSpec says it costs (a sparse vector of counter amounts, never part of
 * a state, so the states and transitions are exactly those `rrcheck check`
 * counts with the same model), and then aggregates the counters over the
 * paths from an initial state to a state without successors (a terminal
 * path) by dynamic programming over the graph:
 *
 * - acyclic graph (Kahn's algorithm orders every state): in topological
 *   order, each state's distribution of prefix sums (value → number of
 *   paths from an initial state reaching it with that sum) is pushed along
 *   its transitions, shifted by their amounts, and freed once pushed; the
 *   terminal states' distributions add up to the distribution over terminal
 *   paths, from which min, max, support and mean follow. Path counts are
 *   float64: exact up to 2^53 (`exact: false` beyond; min, max and support
 *   stay exact, a count never rounds to 0);
 * - cyclic graph: the number of terminal paths may be infinite and a
 *   maximum unbounded, so only the minimum is computed (Dijkstra's
 *   algorithm; amounts are non-negative); max, mean, support, distribution
 *   and the path count are unknown with the reason `cyclic-graph`;
 * - a bound (states, time) cut the search: every figure is unknown
 *   (`incomplete`), never reported as a result.
 *
 * Reductions: the DP runs on whatever graph the model produces. A figure is
 * reported only if every reduction in force preserves it (as the cost spec
 * declares, see core/costReductions.ts); otherwise it is unknown with the
 * reason `reduced` and the reductions that do not preserve it. The model's
 * partial-order reduction (Model.ample) is the reduction `partial-order`:
 * used without a declaration for it, it preserves nothing.
 *
 * The engine never prints; progress goes to a listener.
 */
import type { CostCounter, CostSpec, CostStatistic, Model, ReductionInForce, ReductionPreserves, StopReason } from '../core/index.js';
import { costReductionsOf } from '../core/index.js';
import { FingerprintStore } from './fingerprintStore.js';
import type { ExploreProgress } from './search.js';

/** The name under which Model.ample's partial-order reduction is matched against the declared reductions. */
export const PARTIAL_ORDER_REDUCTION = 'partial-order';

const NOTHING: ReductionPreserves = { terminalPaths: false, counters: {} };

export interface MetricsTarget<S, A> {
  readonly model: Model<S, A>;
  readonly costs: CostSpec<S, A>;
}

export interface MetricsListener {
  onProgress?(progress: ExploreProgress): void;
  onBound?(reason: MetricsStopReason): void;
}

export type MetricsStopReason = Extract<StopReason, 'states' | 'time'>;

export interface MetricsOptions {
  /** Stop before storing more distinct states than this. */
  readonly maxStates?: number;
  readonly timeoutMs?: number;
  /** Use the model's partial-order reduction (Model.ample) where it has one (default true, as `explore`). */
  readonly partialOrder?: boolean;
  /**
   * The reductions in force with what they preserve (default: what the cost
   * spec declares, core/costReductions.ts). Model.ample, when used, must be
   * listed as `partial-order` to preserve anything.
   */
  readonly reductions?: readonly ReductionInForce[];
  readonly listener?: MetricsListener;
  /** Default 3000. */
  readonly progressIntervalMs?: number;
  /** Milliseconds; default performance.now. Injectable for tests. */
  readonly clock?: () => number;
}

/** Why a figure is not given: the graph has a cycle, a bound cut the search, a reduction in force does not preserve it, or no terminal path exists. */
export type FigureUnknownReason = 'cyclic-graph' | 'incomplete' | 'reduced' | 'no-terminal-path';

export type Figure<T> =
  | { readonly status: 'known'; readonly value: T }
  | {
      readonly status: 'unknown';
      readonly reason: FigureUnknownReason;
      /** With `reduced`: the reductions in force that do not preserve this figure. */
      readonly reductions?: readonly string[];
    };

/** A number of terminal paths; `exact: false` when it exceeds 2^53 (float64 rounding). */
export interface PathCount {
  readonly paths: number;
  readonly exact: boolean;
}

/** Value → number of terminal paths with that total, ascending by value. */
export interface Distribution {
  readonly entries: readonly (readonly [value: number, paths: number])[];
  /** The path counts are exact (every count ≤ 2^53). */
  readonly exact: boolean;
}

export interface CounterMetrics {
  readonly counter: CostCounter;
  readonly min: Figure<number>;
  readonly max: Figure<number>;
  /** Over terminal paths, each path weighing one. */
  readonly mean: Figure<number>;
  /** The totals some terminal path has, ascending. */
  readonly support: Figure<readonly number[]>;
  readonly distribution: Figure<Distribution>;
}

export interface MetricsResult {
  /** Every reachable state was expanded (no bound hit). */
  readonly complete: boolean;
  readonly stoppedBy?: MetricsStopReason;
  /** Distinct states stored and transitions taken: what `rrcheck check` counts for the same model. */
  readonly states: number;
  readonly transitions: number;
  readonly initialStates: number;
  /** States without successors (complete runs only; 0 otherwise). */
  readonly terminalStates: number;
  /** Whether the graph is acyclic (undefined when incomplete). */
  readonly acyclic: boolean | undefined;
  readonly terminalPaths: Figure<PathCount>;
  readonly counters: readonly CounterMetrics[];
  /** The reductions in force (partial-order included when Model.ample was used), by name. */
  readonly reductions: readonly string[];
  /** States expanded by a subset of their actions (partial-order reduction). */
  readonly reducedStates: number;
  readonly elapsedMs: number;
}

/** Explores `target.model` and aggregates `target.costs` over its terminal paths (see the module comment). */
export function computeMetrics<S, A>(target: MetricsTarget<S, A>, options: MetricsOptions = {}): MetricsResult {
  const clock = options.clock ?? (() => performance.now());
  const start = clock();
  const explored = exploreCosts(target, options, clock, start);
  const counters = target.costs.counters;
  const usedAmple = explored.reducedStates > 0 || (options.partialOrder !== false && target.model.ample !== undefined);
  const declared = options.reductions ?? costReductionsOf(target.costs) ?? [];
  const inForce = usedAmple && !declared.some((r) => r.name === PARTIAL_ORDER_REDUCTION)
    ? [...declared, { name: PARTIAL_ORDER_REDUCTION, preserves: NOTHING }]
    : declared;
  const base = {
    states: explored.states,
    transitions: explored.graph.edges,
    initialStates: explored.graph.roots.length,
    reductions: inForce.map((r) => r.name),
    reducedStates: explored.reducedStates,
  };
  if (explored.stoppedBy !== undefined) {
    const unknown = { status: 'unknown', reason: 'incomplete' } as const;
    return {
      ...base,
      complete: false,
      stoppedBy: explored.stoppedBy,
      terminalStates: 0,
      acyclic: undefined,
      terminalPaths: unknown,
      counters: counters.map((counter) => ({ counter, min: unknown, max: unknown, mean: unknown, support: unknown, distribution: unknown })),
      elapsedMs: clock() - start,
    };
  }
  const graph = explored.graph;
  const order = topologicalOrder(graph);
  const figures = order === undefined ? cyclicFigures(graph, counters.length) : acyclicFigures(graph, counters.length, order);
  // On a cyclic graph the partial-order reduction's cycle proviso is not established: it preserves nothing there.
  const effective = order === undefined && usedAmple ? inForce.map((r) => (r.name === PARTIAL_ORDER_REDUCTION ? { ...r, preserves: NOTHING } : r)) : inForce;
  const restricted = restrict(figures, counters, effective);
  return {
    ...base,
    complete: true,
    terminalStates: graph.terminalCount(),
    acyclic: order !== undefined,
    ...restricted,
    elapsedMs: clock() - start,
  };
}

// ---- exploration ---------------------------------------------------------------

/** A growable Int32 list (doubling; the graphs metrics takes fit in memory by design). */
class IntList {
  data = new Int32Array(1024);
  length = 0;
  push(value: number): void {
    if (this.length === this.data.length) {
      const grown = new Int32Array(this.data.length * 2);
      grown.set(this.data);
      this.data = grown;
    }
    this.data[this.length++] = value;
  }
}

/**
 * The explored graph in CSR form: state v's transitions are edges
 * rowStart[v] … rowStart[v+1]−1, edge e goes to target[e] and costs the
 * (counter, amount) pairs costStart[e] … costStart[e+1]−1.
 */
class CostGraph {
  readonly rowStart = new IntList();
  readonly target = new IntList();
  readonly costStart = new IntList();
  readonly costCounter = new IntList();
  readonly costAmount = new IntList();
  readonly roots: number[] = [];
  get states(): number {
    return this.rowStart.length;
  }
  get edges(): number {
    return this.target.length;
  }
  /** Closes the rows (after the last state and the last edge). */
  seal(): void {
    this.rowStart.push(this.target.length);
    this.costStart.push(this.costCounter.length);
  }
  rowEnd(v: number): number {
    return this.rowStart.data[v + 1]!;
  }
  terminalCount(): number {
    let count = 0;
    for (let v = 0; v < this.states; v++) if (this.rowStart.data[v] === this.rowEnd(v)) count++;
    return count;
  }
}

interface Explored {
  readonly graph: CostGraph;
  readonly stoppedBy: MetricsStopReason | undefined;
  /** Distinct states stored (the graph's rows cover the expanded ones only when stopped early). */
  readonly states: number;
  readonly reducedStates: number;
}

function exploreCosts<S, A>(target: MetricsTarget<S, A>, options: MetricsOptions, clock: () => number, start: number): Explored {
  const { model, costs } = target;
  const counterCount = costs.counters.length;
  const maxStates = options.maxStates ?? Number.POSITIVE_INFINITY;
  const deadline = options.timeoutMs === undefined ? Number.POSITIVE_INFINITY : start + options.timeoutMs;
  const interval = options.progressIntervalMs ?? 3000;
  const usePartialOrder = options.partialOrder !== false && model.ample !== undefined;
  const store = new FingerprintStore({ indexed: true });
  const graph = new CostGraph();
  const fp = new Uint32Array(2);
  /** queue[i]: the state of store index i until it is expanded. */
  const queue: (S | undefined)[] = [];
  let reducedStates = 0;
  let lastProgress = start;
  let depth = 0;
  let levelEnd = 0;
  let ticks = 0;
  const progress = (now: number, expanded: number): ExploreProgress => ({
    distinct: store.size,
    transitions: graph.edges,
    queued: store.size - expanded,
    depth,
    elapsedMs: now - start,
    statesPerSecond: now > start ? (store.size * 1000) / (now - start) : 0,
  });
  /** Reads the clock every 256 steps; true when the time is up. */
  const timeUp = (expanded: number): boolean => {
    if ((++ticks & 255) !== 0) return false;
    const now = clock();
    if (now >= deadline) return true;
    if (now - lastProgress >= interval) {
      lastProgress = now;
      options.listener?.onProgress?.(progress(now, expanded));
    }
    return false;
  };
  const stop = (reason: MetricsStopReason): Explored => {
    options.listener?.onBound?.(reason);
    return { graph, stoppedBy: reason, states: store.size, reducedStates };
  };

  const inits = model.init();
  for (let k = 0; k < inits.length; k++) {
    const s = inits[k]!;
    model.fingerprint(s, fp);
    if (store.size >= maxStates && !store.has(fp[0]!, fp[1]!)) return stop('states');
    const index = store.insert(fp[0]!, fp[1]!, -1, k);
    if (index < 0) continue;
    queue.push(s);
    graph.roots.push(index);
  }
  levelEnd = store.size;

  // Per-edge scratch: the amounts added so far by counter (merged), and which counters were touched.
  const amounts = new Float64Array(counterCount);
  const touched: number[] = [];
  const add = (counter: number, amount: number): void => {
    if (!(Number.isInteger(counter) && counter >= 0 && counter < counterCount)) throw new Error(`cost spec: counter index ${counter} is not in 0..${counterCount - 1}`);
    if (!(Number.isSafeInteger(amount) && amount >= 0)) throw new Error(`cost spec: amount ${amount} of ${costs.counters[counter]!.name} is not a non-negative integer`);
    if (amount === 0) return;
    if (amounts[counter] === 0) touched.push(counter);
    amounts[counter] = amounts[counter]! + amount;
  };

  for (let v = 0; v < store.size; v++) {
    if (v === levelEnd) {
      depth++;
      levelEnd = store.size;
    }
    const s = queue[v]!;
    queue[v] = undefined;
    graph.rowStart.push(graph.edges);
    const actions = model.actions(s);
    const chosen = usePartialOrder && actions.length >= 2 ? model.ample!(s, actions) : undefined;
    if (chosen !== undefined) reducedStates++;
    const count = chosen === undefined ? actions.length : chosen.length;
    for (let i = 0; i < count; i++) {
      if (timeUp(v)) return stop('time');
      const k = chosen === undefined ? i : chosen[i]!;
      const action = actions[k]!;
      const t = model.next(s, action);
      model.fingerprint(t, fp);
      if (store.size >= maxStates && !store.has(fp[0]!, fp[1]!)) return stop('states');
      const r = store.insertOrFind(fp[0]!, fp[1]!, v, k);
      if (r >= 0) queue.push(t);
      graph.target.push(r >= 0 ? r : ~r);
      graph.costStart.push(graph.costCounter.length);
      costs.measure(s, action, t, add);
      touched.sort((a, b) => a - b);
      for (const c of touched) {
        graph.costCounter.push(c);
        graph.costAmount.push(amounts[c]!);
        amounts[c] = 0;
      }
      touched.length = 0;
    }
  }
  graph.seal();
  options.listener?.onProgress?.(progress(clock(), store.size));
  return { graph, stoppedBy: undefined, states: store.size, reducedStates };
}

// ---- aggregation -----------------------------------------------------------------

/** Kahn's algorithm from the initial states: every state in an order where each comes after its predecessors, or undefined if the graph has a cycle. */
function topologicalOrder(graph: CostGraph): Int32Array | undefined {
  const n = graph.states;
  const indegree = new Int32Array(n);
  const targets = graph.target.data;
  for (let e = 0; e < graph.edges; e++) indegree[targets[e]!]!++;
  const order = new Int32Array(n);
  let tail = 0;
  for (let v = 0; v < n; v++) if (indegree[v] === 0) order[tail++] = v;
  for (let head = 0; head < tail; head++) {
    const v = order[head]!;
    for (let e = graph.rowStart.data[v]!; e < graph.rowEnd(v); e++) {
      const w = targets[e]!;
      if (--indegree[w]! === 0) order[tail++] = w;
    }
  }
  return tail === n ? order : undefined;
}

interface Figures {
  readonly terminalPaths: Figure<PathCount>;
  readonly perCounter: readonly Omit<CounterMetrics, 'counter'>[];
}

/** The counters some transition adds to. */
function activeCounters(graph: CostGraph, counterCount: number): boolean[] {
  const active = new Array<boolean>(counterCount).fill(false);
  for (let i = 0; i < graph.costCounter.length; i++) active[graph.costCounter.data[i]!] = true;
  return active;
}

function acyclicFigures(graph: CostGraph, counterCount: number, order: Int32Array): Figures {
  const active = activeCounters(graph, counterCount);
  const activeList = active.flatMap((a, c) => (a ? [c] : []));
  const slot = new Int32Array(counterCount).fill(-1);
  activeList.forEach((c, i) => (slot[c] = i));
  const n = graph.states;
  const paths = new Float64Array(n);
  for (const r of graph.roots) paths[r] = 1;
  /** Per state while it is pending: per active counter, prefix sum → paths. */
  const dists: (Map<number, number>[] | undefined)[] = new Array(n);
  const fresh = (): Map<number, number>[] => activeList.map(() => new Map<number, number>());
  for (const r of graph.roots) dists[r] = activeList.map(() => new Map([[0, 1]]));
  const totals = fresh();
  let terminalPaths = 0;
  const shift = new Float64Array(activeList.length);
  const targets = graph.target.data;
  for (let i = 0; i < n; i++) {
    const v = order[i]!;
    const mine = dists[v] ?? fresh();
    dists[v] = undefined;
    const begin = graph.rowStart.data[v]!;
    const end = graph.rowEnd(v);
    if (begin === end) {
      terminalPaths += paths[v]!;
      mine.forEach((dist, j) => mergeInto(totals[j]!, dist, 0));
      continue;
    }
    for (let e = begin; e < end; e++) {
      const w = targets[e]!;
      paths[w] = paths[w]! + paths[v]!;
      shift.fill(0);
      for (let p = graph.costStart.data[e]!; p < graph.costStart.data[e + 1]!; p++) shift[slot[graph.costCounter.data[p]!]!] = graph.costAmount.data[p]!;
      const theirs = (dists[w] ??= fresh());
      mine.forEach((dist, j) => mergeInto(theirs[j]!, dist, shift[j]!));
    }
  }
  const exact = terminalPaths <= Number.MAX_SAFE_INTEGER;
  const known = <T>(value: T): Figure<T> => ({ status: 'known', value });
  const perCounter = Array.from({ length: counterCount }, (_, c) => {
    const entries: [number, number][] = slot[c]! < 0 ? [[0, terminalPaths]] : [...totals[slot[c]!]!.entries()].sort((a, b) => a[0] - b[0]);
    let weighted = 0;
    for (const [value, count] of entries) weighted += value * count;
    return {
      min: known(entries[0]![0]),
      max: known(entries[entries.length - 1]![0]),
      mean: known(weighted / terminalPaths),
      support: known(entries.map(([value]) => value)),
      distribution: known({ entries, exact }),
    };
  });
  return { terminalPaths: known({ paths: terminalPaths, exact }), perCounter };
}

function mergeInto(into: Map<number, number>, from: Map<number, number>, by: number): void {
  for (const [value, count] of from) into.set(value + by, (into.get(value + by) ?? 0) + count);
}

/** On a cyclic graph: the minimum of each counter over terminal paths (Dijkstra from the initial states); the rest unknown. */
function cyclicFigures(graph: CostGraph, counterCount: number): Figures {
  const cyclic = { status: 'unknown', reason: 'cyclic-graph' } as const;
  const n = graph.states;
  const terminal = new Uint8Array(n);
  let anyTerminal = false;
  for (let v = 0; v < n; v++) {
    if (graph.rowStart.data[v] === graph.rowEnd(v)) {
      terminal[v] = 1;
      anyTerminal = true;
    }
  }
  const active = activeCounters(graph, counterCount);
  const perCounter = Array.from({ length: counterCount }, (_, c) => {
    let min: Figure<number>;
    if (!anyTerminal) min = { status: 'unknown', reason: 'no-terminal-path' };
    else min = { status: 'known', value: active[c] ? shortestToTerminal(graph, c, terminal) : 0 };
    return { min, max: cyclic, mean: cyclic, support: cyclic, distribution: cyclic };
  });
  return { terminalPaths: cyclic, perCounter };
}

/** The least total of counter `c` over paths from an initial state to a terminal one (Dijkstra; amounts are non-negative). */
function shortestToTerminal(graph: CostGraph, c: number, terminal: Uint8Array): number {
  const n = graph.states;
  const dist = new Float64Array(n).fill(Number.POSITIVE_INFINITY);
  const done = new Uint8Array(n);
  const heap = new MinHeap();
  for (const r of graph.roots) {
    dist[r] = 0;
    heap.push(0, r);
  }
  const targets = graph.target.data;
  while (heap.size > 0) {
    const [d, v] = heap.pop();
    if (done[v] === 1) continue;
    done[v] = 1;
    if (terminal[v] === 1) return d;
    for (let e = graph.rowStart.data[v]!; e < graph.rowEnd(v); e++) {
      let amount = 0;
      for (let p = graph.costStart.data[e]!; p < graph.costStart.data[e + 1]!; p++) if (graph.costCounter.data[p] === c) amount = graph.costAmount.data[p]!;
      const w = targets[e]!;
      if (d + amount < dist[w]!) {
        dist[w] = d + amount;
        heap.push(d + amount, w);
      }
    }
  }
  throw new Error('internal: a terminal state is stored but none was reached from an initial state');
}

/** A binary min-heap of (key, node). */
class MinHeap {
  private keys: number[] = [];
  private nodes: number[] = [];
  get size(): number {
    return this.keys.length;
  }
  push(key: number, node: number): void {
    const keys = this.keys;
    const nodes = this.nodes;
    let i = keys.length;
    keys.push(key);
    nodes.push(node);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (keys[parent]! <= key) break;
      keys[i] = keys[parent]!;
      nodes[i] = nodes[parent]!;
      i = parent;
    }
    keys[i] = key;
    nodes[i] = node;
  }
  pop(): [number, number] {
    const keys = this.keys;
    const nodes = this.nodes;
    const top: [number, number] = [keys[0]!, nodes[0]!];
    const lastKey = keys.pop()!;
    const lastNode = nodes.pop()!;
    const size = keys.length;
    if (size > 0) {
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= size) break;
        const r = l + 1;
        const child = r < size && keys[r]! < keys[l]! ? r : l;
        if (keys[child]! >= lastKey) break;
        keys[i] = keys[child]!;
        nodes[i] = nodes[child]!;
        i = child;
      }
      keys[i] = lastKey;
      nodes[i] = lastNode;
    }
    return top;
  }
}

/** Marks unknown (`reduced`) every known figure some reduction in force does not preserve. */
function restrict(
  figures: Figures,
  counters: readonly CostCounter[],
  inForce: readonly ReductionInForce[],
): Pick<MetricsResult, 'terminalPaths' | 'counters'> {
  const notPreserving = (keeps: (p: ReductionPreserves) => boolean): string[] => inForce.filter((r) => !keeps(r.preserves)).map((r) => r.name);
  const guard = <T>(figure: Figure<T>, keeps: (p: ReductionPreserves) => boolean): Figure<T> => {
    if (figure.status !== 'known') return figure;
    const names = notPreserving(keeps);
    return names.length === 0 ? figure : { status: 'unknown', reason: 'reduced', reductions: names };
  };
  const statistic = (name: string, s: CostStatistic) => (p: ReductionPreserves) => p.counters[name]?.includes(s) ?? false;
  return {
    terminalPaths: guard(figures.terminalPaths, (p) => p.terminalPaths),
    counters: counters.map((counter, c) => {
      const f = figures.perCounter[c]!;
      return {
        counter,
        min: guard(f.min, statistic(counter.name, 'min')),
        max: guard(f.max, statistic(counter.name, 'max')),
        mean: guard(f.mean, statistic(counter.name, 'mean')),
        support: guard(f.support, statistic(counter.name, 'support')),
        distribution: guard(f.distribution, statistic(counter.name, 'distribution')),
      };
    }),
  };
}
