/**
 * Random search: seeded random walks from an initial state, for
 * configurations beyond exhaustive reach. fast-check generates the walks, so
 * a failing walk is shrunk by fast-check's own shrinker, and the same seed
 * gives the same walks (and the same shrunk walk) on every machine.
 *
 * A walk is a list of choices, one per step: integers in [0, 65535], where
 * choice c picks the enabled action floor(c · count / 65536), so that every
 * action is reachable whatever the count (up to 65,536) and a choice shrunk
 * towards 0 picks an earlier action (for models built with the system kit:
 * an older message, a lower process). A walk stops at a violation, at a state
 * without successors, or when its choices run out (`maxSteps`).
 *
 * Properties are checked as the explorer checks them: `always` properties in
 * every state of the walk, `terminal` properties in a state without
 * successors, and a state that repeats an earlier one of the same walk is a
 * cycle that violates every terminal property (a lasso).
 *
 * Like the explorer, this never prints; it reports through a listener.
 */
import fc from 'fast-check';
import { duplicateLabel, duplicateLabelError } from '../core/labels.js';
import { cycleFinding, findingOf, type Finding, type Model, type Property } from '../core/model.js';
import type { Violation } from '../core/result.js';

/** How randomWalks() searches: the seed, how many walks, how long each. */
export interface RandomWalkOptions {
  readonly seed: number;
  /** Walks to try before giving up. */
  readonly runs: number;
  /** Steps per walk at most. */
  readonly maxSteps: number;
  /** Walks fast-check may replay while shrinking a failing walk (default 2,000). */
  readonly maxShrinkWalks?: number;
  readonly listener?: RandomWalkListener;
  /** Default 3000. */
  readonly progressIntervalMs?: number;
  /** Milliseconds; default performance.now. Injectable for tests. */
  readonly clock?: () => number;
  /**
   * Polled before each walk: once true, no further walk is taken (the
   * result says `stoppedBy: 'interrupted'`), and shrinking a failing walk
   * keeps the smallest found so far.
   */
  readonly interrupted?: () => boolean;
}

/** What the random walks measured. */
export interface RandomWalkStats {
  /** Walks run by the search (the failing one included), not counting those replayed while shrinking. */
  readonly walks: number;
  /** Steps taken by those walks. */
  readonly steps: number;
  /** The longest of those walks. */
  readonly longest: number;
  /** How many of them reached a state without successors. */
  readonly terminal: number;
  readonly elapsedMs: number;
}

/** How randomWalks() reports progress; it never prints. */
export interface RandomWalkListener {
  onProgress?(stats: RandomWalkStats): void;
}

/** What randomWalks() returns: the shrunk violation of a failing walk, or `incomplete` when no walk failed. */
export type RandomWalkResult<S> =
  | {
      readonly status: 'violation';
      readonly seed: number;
      readonly stats: RandomWalkStats;
      /** Steps of the failing walk as first found, before fast-check shrank it. */
      readonly foundLength: number;
      /** The failing walk as fast-check shrank it (its trace ends at the violation). */
      readonly violation: Violation<S>;
      /** Walks fast-check replayed while shrinking. */
      readonly shrinkWalks: number;
    }
  | {
      readonly status: 'incomplete';
      readonly seed: number;
      readonly stats: RandomWalkStats;
      /** Present when an interruption stopped the walks before `runs` were taken. */
      readonly stoppedBy?: 'interrupted';
    };

const CHOICES = 65536;

interface Walk<S> {
  readonly violation: Violation<S> | undefined;
  readonly steps: number;
  readonly terminal: boolean;
}

/** Runs one walk: choices[0] picks the initial state, choices[k + 1] the action of step k + 1. */
function walk<S, A>(model: Model<S, A>, properties: readonly Property<S>[], initChoice: number, choices: readonly number[]): Walk<S> {
  const inits = model.init();
  const initIndex = Math.floor((initChoice * inits.length) / CHOICES);
  if (initIndex >= inits.length) throw new Error('random walk: the model has no initial state');
  let state: S = inits[initIndex] as S;
  const states: S[] = [state];
  const labels: string[] = [];
  const always = properties.filter((p) => p.kind === 'always');
  const terminal = properties.filter((p) => p.kind === 'terminal');
  const seen = new Map<string, number>();
  const fp = new Uint32Array(2);
  const violation = (p: Property<S>, finding: Finding, loopStart?: number): Walk<S> => ({
    violation: {
      property: p.name,
      category: p.category,
      trace: loopStart === undefined ? { initIndex, labels, states } : { initIndex, labels, states, loopStart },
      explanation: finding.summary,
      finding,
    },
    steps: labels.length,
    terminal: false,
  });
  const checkAlways = (): Walk<S> | undefined => {
    for (const p of always) if (!p.holds(state)) return violation(p, findingOf(p, state));
    return undefined;
  };
  /** A repeated state closes a cycle: every terminal property is violated by it (the first one is reported). */
  const checkCycle = (): Walk<S> | undefined => {
    if (terminal.length === 0) return undefined;
    model.fingerprint(state, fp);
    const key = `${fp[0]},${fp[1]}`;
    const loopStart = seen.get(key);
    if (loopStart === undefined) {
      seen.set(key, states.length - 1);
      return undefined;
    }
    const steps = labels.length - loopStart;
    return violation(terminal[0]!, cycleFinding(steps, loopStart), loopStart);
  };

  let stop = checkAlways() ?? checkCycle();
  if (stop !== undefined) return stop;
  for (const choice of choices) {
    const actions = model.actions(state);
    if (actions.length === 0) break;
    const duplicate = actions.length > 1 ? duplicateLabel(model, actions) : undefined;
    if (duplicate !== undefined) throw duplicateLabelError(duplicate, initIndex, labels);
    const action = actions[Math.floor((choice * actions.length) / CHOICES)]!;
    labels.push(model.label(action));
    state = model.next(state, action);
    states.push(state);
    stop = checkAlways() ?? checkCycle();
    if (stop !== undefined) return stop;
  }
  if (model.actions(state).length > 0) return { violation: undefined, steps: labels.length, terminal: false };
  for (const p of terminal) {
    if (!p.holds(state)) return violation(p, findingOf(p, state));
  }
  return { violation: undefined, steps: labels.length, terminal: true };
}

/**
 * Runs up to `runs` random walks of at most `maxSteps` steps with fast-check
 * (seeded; no other randomness), stops at the first violation, and lets
 * fast-check shrink the failing walk's choices.
 */
export function randomWalks<S, A>(
  target: { readonly model: Model<S, A>; readonly properties: readonly Property<S>[] },
  options: RandomWalkOptions,
): RandomWalkResult<S> {
  const { model, properties } = target;
  for (const key of ['runs', 'maxSteps'] as const) {
    if (!Number.isSafeInteger(options[key]) || options[key] < 1) throw new RangeError(`randomWalks: ${key} must be an integer ≥ 1, got ${options[key]}`);
  }
  const clock = options.clock ?? (() => performance.now());
  const interval = options.progressIntervalMs ?? 3000;
  const maxShrinkWalks = options.maxShrinkWalks ?? 2000;
  const start = clock();
  let lastProgress = start;
  let walks = 0;
  let steps = 0;
  let longest = 0;
  let terminalWalks = 0;
  let found: number | undefined;
  let shrinkWalks = 0;
  let thrown: unknown;
  let interrupted = false;
  const stats = (): RandomWalkStats => ({ walks, steps, longest, terminal: terminalWalks, elapsedMs: clock() - start });

  const arbitrary = fc.noBias(
    fc.tuple(fc.nat({ max: CHOICES - 1 }), fc.array(fc.nat({ max: CHOICES - 1 }), { minLength: options.maxSteps, maxLength: options.maxSteps })),
  );
  const details = fc.check(
    fc.property(arbitrary, ([init, choices]) => {
      if (thrown !== undefined || interrupted) return true;
      if (options.interrupted?.() === true) {
        // Every later run passes at once: no walk, and no more shrinking. Before a failure, throwing ends
        // fast-check's runs (it shrinks the throwing run, whose candidates all pass at once): returning true
        // would let it generate every remaining run's choices.
        interrupted = true;
        if (found === undefined) throw new Error('interrupted');
        return true;
      }
      if (found !== undefined) {
        // Shrinking: fast-check replays smaller walks; past the budget, refuse them all.
        if (shrinkWalks >= maxShrinkWalks) return true;
        shrinkWalks++;
      }
      let w: Walk<S>;
      try {
        w = walk(model, properties, init, choices);
      } catch (error) {
        // An exception is not a failing walk: stop, and rethrow below.
        thrown = error;
        return true;
      }
      if (found === undefined) {
        walks++;
        steps += w.steps;
        longest = Math.max(longest, w.steps);
        if (w.terminal) terminalWalks++;
        if (w.violation !== undefined) found = w.steps;
        const now = clock();
        if (options.listener?.onProgress !== undefined && now - lastProgress >= interval) {
          lastProgress = now;
          options.listener.onProgress(stats());
        }
      }
      return w.violation === undefined;
    }),
    { seed: options.seed, numRuns: options.runs },
  );
  if (thrown !== undefined) throw thrown;
  if (!details.failed || details.counterexample === null || found === undefined) {
    return { status: 'incomplete', seed: options.seed, stats: stats(), ...(interrupted ? { stoppedBy: 'interrupted' as const } : {}) };
  }
  const [init, choices] = details.counterexample[0];
  const shrunk = walk(model, properties, init, choices).violation;
  if (shrunk === undefined) throw new Error('random walk: the shrunk walk does not fail again (is the model deterministic?)');
  return { status: 'violation', seed: options.seed, stats: stats(), foundLength: found, violation: shrunk, shrinkWalks };
}
