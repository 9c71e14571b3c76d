/**
 * The words of a `rrcheck check` run: its text report, the sentence saying
 * what it covered, why a property is unknown, and the exit code the outcome
 * maps to. Pure functions of the result; reporter.ts builds every command's
 * output (text, JSON, JUnit) from these and the run record.
 */
import { ExitCode, type ExitCodeValue } from '../core/exitCodes.js';
import type { CheckTarget } from '../core/model.js';
import { setMembers, type ParamRecord } from '../core/params.js';
import type { CheckResult, PropertyStatus, PropertyVerdict, StopReason, Strategy } from '../core/result.js';
import type { SpecDefinition } from '../core/spec.js';
import { formatViolation } from '../trace/textTrace.js';
import { boundFlag } from './progress.js';
import { columns, count, duration, paramList, plural, probability, rate } from './output.js';

/** The bounds and switches of a run, as the user gave them. */
export interface RunSettings {
  readonly strategy: Strategy;
  readonly maxDepth?: number;
  readonly maxStates?: number;
  readonly timeoutSeconds?: number;
  readonly continueAfterViolation: boolean;
  /** Threads for BFS (default: the available cores). */
  readonly workers?: number;
  /** --memory in bytes (default: half the machine's RAM). */
  readonly memoryBytes?: number;
}

export interface RunReport {
  readonly spec: SpecDefinition;
  readonly params: ParamRecord;
  readonly target: CheckTarget<unknown, unknown>;
  readonly settings: RunSettings;
  readonly result: CheckResult<unknown>;
}

/**
 * 0 when complete with no violation; 12 when any safety-category property is
 * violated, else 13 for liveness; 14 when nothing was violated but a bound
 * cut the search short.
 */
export function exitCodeOf(result: CheckResult<unknown>): ExitCodeValue {
  switch (result.status) {
    case 'ok':
      return ExitCode.ok;
    case 'incomplete':
      return ExitCode.incomplete;
    case 'violation':
      return result.violations.some((v) => v.category === 'safety')
        ? ExitCode.safetyViolation
        : ExitCode.livenessViolation;
  }
}

/**
 * What the parameters describe, in words: "3 processes (chain, f = 1), up to 1
 * crash, unordered network". Knows the parameter names all rrcheck specs share
 * (and `reduce`, the set of reductions in force) and lists any other
 * parameter as name=value.
 */
export function scopeOf(params: ParamRecord): string {
  const { n, f, crashes, workload, network, reduce, ...rest } = params;
  const parts: string[] = [];
  const inner = [workload, f === undefined ? undefined : `f = ${f}`].filter((x) => x !== undefined).join(', ');
  if (n !== undefined) parts.push(`${plural(Number(n), 'process', 'processes')}${inner === '' ? '' : ` (${inner})`}`);
  else if (inner !== '') parts.push(inner);
  if (crashes !== undefined) parts.push(`up to ${plural(Number(crashes), 'crash', 'crashes')}`);
  if (network !== undefined) parts.push(`${network} network`);
  const others = paramList(rest);
  if (others !== '') parts.push(others);
  // A spec's `reduce` parameter (a set) names the reductions the search applied.
  if (reduce !== undefined) {
    const members = setMembers(reduce);
    parts.push(members.length === 0 ? 'no reduction (every rule literal)' : `reductions: ${members.join(', ')}`);
  }
  return parts.join(', ');
}

/** "163 MB" (binary megabytes, as --memory reads M). */
export function megabytes(bytes: number): string {
  return `${count(Math.round(bytes / 2 ** 20))} MB`;
}

/** "--max-states 100", "--timeout 7 s": the bound's flag and the value it had. */
function boundSetting(bound: StopReason, settings: RunSettings): string {
  if (bound === 'interrupted') return boundFlag(bound);
  const setting =
    bound === 'depth'
      ? settings.maxDepth
      : bound === 'states'
        ? settings.maxStates
        : bound === 'memory'
          ? megabytes(settings.memoryBytes ?? 0)
          : `${settings.timeoutSeconds} s`;
  return `${boundFlag(bound)} ${setting ?? ''}`.trimEnd();
}

/**
 * Why a property is unknown, in words, with what decides it: "the search
 * stopped at the first violation of safety; --continue decides it", "stopped
 * by --max-states 100; raise the bound", "cycles not checked; …". Undefined
 * for a verdict that is not unknown.
 */
export function unknownText(verdict: PropertyVerdict, result: CheckResult<unknown>, settings: RunSettings): string | undefined {
  if (verdict.status !== 'unknown') return undefined;
  const stoppedBy = result.status === 'ok' ? undefined : result.stoppedBy;
  switch (verdict.reason) {
    case 'stopped-at-violation': {
      const first = result.status === 'violation' ? result.violations[0]?.property : undefined;
      const at = first === undefined ? 'a violation' : `the first violation of ${first}`;
      // A depth cut may also have left states unexpanded before the search stopped.
      const also = stoppedBy === undefined ? '' : ` (with ${boundFlag(stoppedBy)} raised)`;
      return `the search stopped at ${at}; --continue${also} decides it`;
    }
    case 'bound':
      if (stoppedBy === 'interrupted') return 'the run was interrupted; run it again (with --checkpoint a run can be resumed)';
      return stoppedBy === undefined ? 'a bound cut the search; raise it' : `stopped by ${boundSetting(stoppedBy, settings)}; raise the bound`;
    case 'cycles-not-checked':
      return 'cycles not checked (the search ran with cycle checking off); a check with it on, as rrcheck check runs, decides it';
    case 'partial-order-proviso':
      return 'partial-order reduction proves nothing here: the explored graph has a cycle of states each expanded by a subset of their steps (the cycle proviso fails); check without partial-order, or with --strategy dfs, to decide it';
    case undefined:
      return 'the search did not decide it';
  }
}

/** The deepest level every state of which was checked, in a BFS cut short at `maxDepth`. */
function completeLevels(result: CheckResult<unknown>): number {
  if (result.status !== 'ok' && result.stoppedBy === 'depth') return result.stats.maxDepth;
  // A state budget or timeout can strike in the middle of a level: only the levels before it are whole.
  return result.stats.maxDepth - 1;
}

/** ONE sentence stating what the run covered, or which bound cut it short. */
export function coverageSentence(report: RunReport): string {
  const { result, settings, params } = report;
  const scope = scopeOf(params);
  const { stats } = result;
  if (result.complete) {
    const found = result.status === 'violation' ? `; ${plural(result.violations.length, 'violation')} found` : '';
    return `exhaustive: every interleaving of ${scope}${found}.`;
  }
  const stoppedBy = result.stoppedBy;
  if (result.status === 'violation' && stoppedBy === undefined) {
    const first = result.violations[0];
    const where = first === undefined ? '' : ` (${first.property}, depth ${first.trace.labels.length})`;
    const tail = settings.continueAfterViolation ? '' : '; --continue searches on';
    return `incomplete: stopped at the first violation${where} after ${count(stats.distinct)} distinct states of ${scope}${tail}.`;
  }
  if (stoppedBy === undefined && result.properties.some((p) => p.reason === 'partial-order-proviso')) {
    const found = result.status === 'violation' ? `; ${plural(result.violations.length, 'violation')} found` : '';
    return `incomplete: every interleaving of ${scope} that partial-order reduction keeps was explored, but its cycle proviso fails, so properties required in every state are unknown${found}.`;
  }
  if (stoppedBy === undefined && result.properties.some((p) => p.reason === 'cycles-not-checked')) {
    // Every state was expanded, but cycles were not looked for.
    const found = result.status === 'violation' ? `; ${plural(result.violations.length, 'violation')} found` : '';
    return `incomplete: every interleaving of ${scope} was explored, but cycles were not checked, so properties required in states without successors are unknown${found}.`;
  }
  const bound = stoppedBy ?? 'states';
  const head = bound === 'interrupted' ? 'incomplete: interrupted' : `incomplete: stopped by ${boundSetting(bound, settings)}`;
  const at = bound === 'depth' ? '' : ` at depth ${count(stats.maxDepth)}`;
  let covered: string;
  if (settings.strategy === 'bfs') {
    const levels = completeLevels(result);
    covered =
      levels < 0
        ? `not even the initial states of ${scope} were all checked`
        : `every interleaving of at most ${plural(levels, 'step')} of ${scope} was checked`;
  } else {
    covered = `dfs checked ${count(stats.distinct)} distinct states of ${scope}, with no depth known to be complete`;
  }
  const found = result.status === 'violation' ? `; ${plural(result.violations.length, 'violation')} found` : '';
  return `${head}${at}; ${covered}${found}.`;
}

const statusWords: Record<PropertyStatus, string> = { holds: 'holds', violated: 'VIOLATED', unknown: 'unknown' };

/** The human-readable report: traces first, then verdicts, numbers and the coverage sentence. */
export function textReport(report: RunReport): string {
  const { spec, params, target, result, settings } = report;
  const sections: string[] = [];
  sections.push(`rrcheck check ${spec.id}: ${paramList(params)} (${settings.strategy})\n`);
  if (result.status === 'violation') {
    for (const violation of result.violations) sections.push(formatViolation(target, violation));
  }
  const descriptions = new Map(target.properties.map((p) => [p.name, p.description]));
  const verdictRows = result.properties.map((p) => [
    `  ${p.name}`,
    statusWords[p.status],
    `${p.category}`,
    descriptions.get(p.name) ?? '',
  ]);
  // Under each unknown verdict, why, and what decides it (aligned with the status column).
  const indent = ' '.repeat(Math.max(...verdictRows.map((r) => [...r[0]!].length)) + 2);
  const verdictLines = columns(verdictRows).flatMap((line, i) => {
    const why = unknownText(result.properties[i]!, result, settings);
    return why === undefined ? [line] : [line, `${indent}unknown: ${why}`];
  });
  sections.push(`Properties\n${verdictLines.join('\n')}\n`);
  const { stats } = result;
  const statRows = [
    ['  distinct states', count(stats.distinct)],
    ['  transitions', count(stats.transitions)],
    ['  depth', count(stats.maxDepth)],
    ['  time', duration(stats.elapsedMs)],
    ['  states/s', `${rate(stats.distinct, stats.elapsedMs)} distinct`],
    ['  collision probability', `${probability(stats.collisionProbability)} (64-bit fingerprints)`],
    ['  workers', String(stats.workers)],
    ['  peak memory', `${megabytes(stats.peakRssBytes)} resident, ${count(stats.distinct > 0 ? stats.peakRssBytes / stats.distinct : 0)} B per distinct state`],
    ['  visited store', `${stats.bytesPerState.toFixed(1)} B per distinct state`],
    ...(stats.spilledBytes > 0 ? [['  queue spilled', `${megabytes(stats.spilledBytes)} to disk`]] : []),
    ...(stats.partialOrder === undefined
      ? []
      : [
          [
            '  partial order',
            `${count(stats.partialOrder.reducedStates)} states expanded by a subset of their steps, ${count(stats.partialOrder.provisoRefusals)} fully for the cycle proviso`,
          ],
        ]),
  ];
  sections.push(`Search\n${columns(statRows).join('\n')}\n`);
  sections.push(`${coverageSentence(report)}\n`);
  return sections.join('\n');
}
