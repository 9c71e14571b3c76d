/**
 * rrcheck's public API (`import … from 'rrcheck'`): what spec modules, tests
 * and other programs use. Every name is listed here on purpose, by group;
 * anything else under src/ is internal and may change without notice (the
 * package's `exports` map refuses deep imports). The shipped specs import
 * from here only. Model laws for users' own tests are in `rrcheck/testing`
 * (src/testing/index.ts), the shipped FBL specs in `rrcheck/specs`.
 */

/**
 * Models and properties: the contract a spec implements (a finite,
 * deterministic transition system) and what it is checked against.
 */
export type {
  Model,
  CheckTarget,
  Property,
  PropertyKind,
  PropertyCategory,
  CoveragePoint,
  CoverageGauge,
  CoverageSpec,
  ActionDescription,
  Finding,
  FindingSubject,
  SubjectRole,
  MessageRef,
  DeliveryRef,
  FindingValue,
  FindingDetail,
} from './core/model.js';
/** Cost counters: what each step costs, for `rrcheck metrics` and the timed simulation. */
export type { CostCounter, CostSpec } from './core/costs.js';
/** What a spec's reductions preserve of the cost figures (`rrcheck metrics` prints the rest as unknown). */
export {
  COST_STATISTICS,
  costReductionsOf,
  type CostStatistic,
  type ReducedCostSpec,
  type ReductionInForce,
  type ReductionPreserves,
} from './core/costReductions.js';
/** The timed simulation's contract: how long a spec's steps take, which messages are in flight, who is blocked or recovering. */
export type { TimingParameters, TimingSpec, TimedMessage, StepTiming, TimedScenario, InjectedCrash, CrashTrigger } from './core/timing.js';
/** Findings as data: a property's explanation of a violation (who is orphaned, stuck, blocked, and why). */
export { plainFinding, findingOf, cycleFinding } from './core/model.js';

/**
 * Spec modules and their parameters: what `rrcheck check` loads, and how
 * given parameter values are validated and completed with defaults.
 */
export type { SpecDefinition, BuildContext, ParamSchema, ParamValue } from './core/spec.js';
export { resolveParams, defaultParams, setMembers, type ParamRecord, type GivenParams } from './core/params.js';

/** Results of a check: verdicts per property, counterexample traces, statistics. */
export type {
  CheckResult,
  PropertyVerdict,
  PropertyStatus,
  UnknownReason,
  Violation,
  Trace,
  ExploreStats,
  StopReason,
  Strategy,
} from './core/result.js';

/** Errors a user can fix, with the process exit code each maps to. */
export { ExitCode, UserError, ModelError, type ExitCodeValue } from './core/exitCodes.js';

/** Fingerprints and compact state data: content hashing of plain data, collision-free tuple interning. */
export { StructuralHasher } from './core/hash.js';
export { Interner, type InternerMemory } from './core/interner.js';

/**
 * The system kit: builds a Model of crash-prone processes exchanging
 * messages (stable and volatile state, an unordered or FIFO network, a crash
 * budget, restarts, drop rules) from a protocol's handlers.
 */
export {
  SystemModel,
  allOf,
  fateOf,
  type SystemModelOptions,
  type ProtocolHandlers,
  type SystemState,
  type SystemAction,
  type ProcSlot,
  type Envelope,
  type Pid,
  type NetworkKind,
  type Outbox,
  type InternalEvent,
  type GuardVerdict,
  type MessageFate,
  type StepFacts,
  type StepDescriber,
} from './system/kit.js';
/** immer's draft type, which the kit's handlers receive (so specs need not import immer themselves). */
export type { Draft } from 'immer';

/**
 * Small value helpers for states: sets of non-negative numbers as sorted,
 * duplicate-free arrays (canonical, so equal sets hash equally), bit counts of
 * process masks, element-wise maxima of vectors.
 */
export { has as sortedSetHas, insert as sortedSetInsert, union as sortedSetUnion, popcount, vectorMax } from './system/sortedSet.js';

/** Space-time diagrams of a trace, which a CheckTarget may draw and the renderers turn into pictures. */
export {
  diagramMessages,
  type Diagram,
  type DiagramEvent,
  type DiagramEventKind,
  type DiagramHighlight,
  type DiagramMessage,
  type DeterminantRef,
  type LaneIncarnation,
  type MessageContent,
  type LaneHighlight,
  type LanePhase,
  type MessageClass,
  type Emphasis,
} from './core/diagram.js';

/**
 * The explorer: exhaustive BFS (shortest counterexamples; parallel with
 * worker threads) or DFS over a model's reachable states, checking its
 * properties; seeded random walks for state spaces too large to exhaust;
 * coverage of a spec's named points.
 */
export { explore, collisionProbability } from './engine/explore.js';
export { decodeSnapshot, encodeSnapshot, type CheckpointSink, type Snapshot, type SnapshotCounters, type SnapshotSummary } from './engine/checkpoint.js';
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
} from './engine/metrics.js';
export type { ExploreOptions, ExploreListener, ExploreProgress, TransitionObserver } from './engine/search.js';
export type { WorkerTarget } from './engine/parallelProtocol.js';
export { randomWalks, type RandomWalkOptions, type RandomWalkListener, type RandomWalkResult, type RandomWalkStats } from './engine/randomWalk.js';
/**
 * The timed simulation: a discrete-event run of a model's own actions on a
 * clock (a spec's TimingSpec), with injected crashes, measuring blocked time,
 * recovery time, messages and cost counters per process.
 */
export {
  simulateTimed,
  randomScenario,
  type TimedOptions,
  type TimedResult,
  type TimedStep,
  type TimedProcessResult,
  type TimedRecovery,
} from './engine/timed.js';
export {
  coverageCollector,
  coverageValue,
  type CoverageCollector,
  type CoverageReport,
  type GaugeCoverage,
  type PointCoverage,
} from './engine/coverage.js';

/**
 * Traces: strict replay of action labels, numbered text with the diff of
 * each step, shrinking of a violation to a shorter one under a fault-aware
 * order, and the counterexample file format (ITF with rrcheck's record).
 */
export { replayLabels, type ReplayOutcome } from './trace/replay.js';
export { traceSteps, formatSteps, formatViolation, type TraceStep, type TextTraceOptions } from './trace/textTrace.js';
export { diffValues, formatChange, formatChanges, formatValue, type Change } from './trace/diff.js';
export { shrinkViolation, type ShrinkOptions, type ShrinkResult, type ShortcutSearch } from './trace/shrink.js';
export { describeAction, traceFinding, type TraceCost } from './trace/verdict.js';
export { describeSteps, diagramFacts } from './trace/facts.js';
/**
 * The space-time diagram of any model, built from its steps' descriptions
 * (Model.describe) and the violation's finding: what `rrcheck render` draws
 * for a spec without a `diagram` of its own, and what a spec's `diagram` may
 * return. Lanes follow CheckTarget.processes, then first mention.
 */
export { genericDiagram, type GenericDiagramTarget } from './trace/genericDiagram.js';
export { traceRecord, type TraceRecord } from './trace/record.js';
export {
  encodeCounterexample,
  decodeCounterexample,
  counterexampleFileName,
  COUNTEREXAMPLE_FORMAT_VERSION,
  type CounterexampleFile,
  type CounterexampleMeta,
  type CounterexampleInput,
  type DecodeOutcome,
  type ExpectedVerdict,
  type FoundBy,
  type ItfState,
  type ModuleRecord,
} from './trace/counterexampleFile.js';
export { ItfTuple, itfSome, itfProblem, type ItfValue } from './trace/itf.js';

/** Rendering a Diagram: SVG, a Mermaid sequence diagram (for Markdown), or text for a terminal. */
export { renderSvg } from './trace/render/svg.js';
export { renderMermaid } from './trace/render/mermaid.js';
export { renderText, TEXT_LEGEND } from './trace/render/text.js';
