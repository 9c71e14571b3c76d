/**
 * explore(): the one entry point of the engine. Runs BFS or DFS over a
 * model's reachable states, checks the properties, and returns a CheckResult.
 *
 * Verdicts: a property is `violated` once a violation is recorded, `holds` if
 * not and the search was complete (every reachable state expanded and, for a
 * `terminal` property, every cycle looked for), and `unknown` otherwise, with
 * its reason: `bound` (a bound cut the search), `stopped-at-violation` (it
 * stopped early at another property's violation) or `cycles-not-checked`
 * (every state was expanded, but cycles were not looked for). `status` is
 * `violation` if any property is violated, else `ok` if complete, else
 * `incomplete`, with the bound in `stoppedBy` if a bound stopped it.
 */
import type { CheckResult, ExploreStats, Model, Property, PropertyVerdict, StopReason, UnknownReason } from '../core/index.js';
import { bfs } from './bfs.js';
import { dfs } from './dfs.js';
import { Search, type ExploreOptions } from './search.js';

/**
 * Probability that some state was wrongly taken for a visited one because
 * two distinct states share a 64-bit fingerprint. Each of the m lookups
 * (initial states and transitions) meets at most n stored fingerprints, each
 * equal by chance with probability 2^-64, so P <= m * n / 2^64 (TLC's
 * optimistic estimate is n * (m - n) / 2^64; this bound is slightly larger
 * and never 0 when there was a lookup).
 */
export function collisionProbability(distinct: number, lookups: number): number {
  return (lookups * distinct) / 18446744073709551616;
}

/** Explores the reachable states of `target.model` (BFS or DFS, as `options.strategy` says), checks `target.properties`, and returns the verdicts (see the module comment). */
export function explore<S, A>(
  target: {
    readonly model: Model<S, A>;
    readonly properties: readonly Property<S>[];
    /** Memory the model shares with its copies in worker threads (handed to `options.workerTarget`'s builder). */
    readonly shared?: unknown;
  },
  options: ExploreOptions<S, A>,
): CheckResult<S> {
  const search = new Search(target.model, target.properties, options, target.shared);
  const queued = options.strategy === 'dfs' ? dfs(search) : bfs(search);
  const end = search.now();
  options.listener?.onProgress?.(search.progress(end, queued, search.maxDepthSeen));

  const halt = search.halt;
  // Every reachable state was expanded.
  const explored = halt === undefined && !search.depthCut;
  // ... but some terminal property still stands and cycles were not looked for.
  const cyclesUnchecked = explored && !search.cyclesChecked && search.wantsCycles();
  // ... or partial-order reduction's cycle proviso failed, so the `always` properties that stand are unproven.
  const provisoFailed = explored && search.provisoFailed && target.properties.some((p, j) => p.kind === 'always' && !search.violated[j]);
  const complete = explored && !cyclesUnchecked && !provisoFailed;
  const stoppedBy: StopReason | undefined =
    halt === 'states' || halt === 'time' || halt === 'memory' || halt === 'interrupted' ? halt : search.depthCut ? 'depth' : undefined;
  const distinct = search.store.size;
  const graphBytes = search.store.indexBytesAllocated() + Math.max(search.graphBytes, search.graph?.bytesAllocated() ?? 0);
  const storeBytes = search.store.bytesAllocated() - search.store.indexBytesAllocated() + search.sharedTableBytes;
  const stats: ExploreStats = {
    distinct,
    transitions: search.transitions,
    maxDepth: search.maxDepthSeen,
    queued,
    elapsedMs: search.elapsedAt(end),
    terminal: search.terminal,
    collisionProbability: collisionProbability(distinct, search.transitions + search.initLookups),
    bytesPerState: distinct > 0 ? (storeBytes + graphBytes) / distinct : 0,
    graphBytesPerState: distinct > 0 ? graphBytes / distinct : 0,
    peakRssBytes: search.samplePeakRss(),
    queuePeakBytes: search.queueStats.peakMemoryBytes,
    spilledBytes: search.queueStats.spilledBytes,
    workers: search.workersUsed,
    ...(search.partialOrder ? { partialOrder: { reducedStates: search.reducedStates, provisoRefusals: search.provisoRefusals } } : {}),
  };
  const unknownReason: UnknownReason | undefined = !explored ? (halt === 'violation' ? 'stopped-at-violation' : 'bound') : undefined;
  const properties: PropertyVerdict[] = target.properties.map((p, j): PropertyVerdict => {
    const verdict = { name: p.name, category: p.category };
    if (search.violated[j]) return { ...verdict, status: 'violated' };
    if (unknownReason !== undefined) return { ...verdict, status: 'unknown', reason: unknownReason };
    if (p.kind === 'terminal' && cyclesUnchecked) return { ...verdict, status: 'unknown', reason: 'cycles-not-checked' };
    if (p.kind === 'always' && provisoFailed) return { ...verdict, status: 'unknown', reason: 'partial-order-proviso' };
    return { ...verdict, status: 'holds' };
  });

  if (search.violations.length > 0) {
    return {
      status: 'violation',
      complete,
      stats,
      properties,
      violations: search.violations,
      ...(stoppedBy === undefined ? {} : { stoppedBy }),
    };
  }
  if (complete) return { status: 'ok', complete: true, stats, properties };
  if (stoppedBy === undefined) {
    if (cyclesUnchecked || provisoFailed) return { status: 'incomplete', complete: false, stats, properties };
    throw new Error('internal: the search stopped early without a violation or a bound');
  }
  return { status: 'incomplete', complete: false, stats, properties, stoppedBy };
}
