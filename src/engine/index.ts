/**
 * The engine: a generic explicit-state explorer (BFS for shortest
 * counterexamples, with a cycle check over the recorded graph; DFS with cycle
 * detection on its stack; seeded random walks), its visited-state store of
 * 64-bit fingerprints, bounds and progress reporting, and the aggregation of
 * a spec's cost counters over every terminal path (metrics.ts). It knows nothing of
 * processes or messages and imports src/core only; it never prints and holds
 * no module-level mutable state, so several checks can run in one process.
 */
export { explore, collisionProbability } from './explore.js';
export type { ExploreOptions, ExploreListener, ExploreProgress, TransitionObserver } from './search.js';
export type { WorkerTarget } from './parallelProtocol.js';
export { decodeSnapshot, encodeSnapshot, type CheckpointSink, type Snapshot, type SnapshotCounters, type SnapshotSummary } from './checkpoint.js';
export { coverageCollector, coverageValue, type CoverageCollector, type CoverageReport, type GaugeCoverage, type PointCoverage } from './coverage.js';
export { FingerprintStore, MAX_ACTIONS_PER_STATE } from './fingerprintStore.js';
export { FingerprintTable, type FingerprintTableOptions } from './fingerprintTable.js';
export { rebuildTrace } from './rebuildTrace.js';
export { randomWalks, type RandomWalkOptions, type RandomWalkListener, type RandomWalkResult, type RandomWalkStats } from './randomWalk.js';
export {
  computeMetrics,
  PARTIAL_ORDER_REDUCTION,
  type CounterMetrics,
  type Distribution,
  type Figure,
  type FigureUnknownReason,
  type MetricsListener,
  type MetricsOptions,
  type MetricsResult,
  type MetricsStopReason,
  type MetricsTarget,
  type PathCount,
} from './metrics.js';
export {
  simulateTimed,
  randomScenario,
  type TimedOptions,
  type TimedResult,
  type TimedStep,
  type TimedProcessResult,
  type TimedRecovery,
} from './timed.js';
