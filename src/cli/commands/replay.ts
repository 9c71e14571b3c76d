/**
 * `rrcheck replay FILE`: re-runs a counterexample file's action labels
 * against the current spec, strictly, printing each step, what changed in the
 * state, and the recorded property's verdict; then compares the outcome with
 * the verdict the file expects.
 *
 * Exit codes: 12/13 when the property is violated (the recorded violation
 * reproduces, or a file marked fixed violates again); 0 when a file marked
 * fixed no longer violates; 7 when a file expected to violate does not; 6 on
 * drift (a label not enabled: it and the enabled ones are named); 4 for an
 * unreadable or malformed file; 5 for another format version; 3 when the
 * file's spec, parameters or property are not those of any current spec.
 */
import { ExitCode, type ExitCodeValue, UserError } from '../../core/exitCodes.js';
import type { CheckTarget, Property } from '../../core/model.js';
import { resolveParams } from '../../core/params.js';
import { decodeCounterexample, type CounterexampleFile } from '../../trace/counterexampleFile.js';
import { formatChanges } from '../../trace/diff.js';
import { traceSteps } from '../../trace/textTrace.js';
import { judgeLabels } from '../../trace/verdict.js';
import { nodeFiles } from '../counterexamples.js';
import type { Io } from '../output.js';
import { paramList, plural } from '../output.js';
import { type CheckDeps, findSpec } from './check.js';

export interface ReplayArgs {
  readonly file: string;
}

/** Reads and decodes the file; every failure is a UserError with its own exit code. */
export function loadCounterexample(path: string, deps: Pick<CheckDeps, 'files'>): CounterexampleFile {
  let text: string;
  try {
    text = (deps.files ?? nodeFiles).readText(path);
  } catch (error) {
    throw new UserError(`cannot read ${path}: ${error instanceof Error ? error.message : String(error)}`, ExitCode.malformedFile);
  }
  const decoded = decodeCounterexample(text);
  switch (decoded.status) {
    case 'ok':
      return decoded.file;
    case 'malformed':
      throw new UserError(`${path}: ${decoded.message}`, ExitCode.malformedFile);
    case 'unsupportedVersion':
      throw new UserError(`${path}: ${decoded.message}`, ExitCode.unsupportedVersion);
  }
}

/** The spec's check target for the file's spec and parameters, and the recorded property. */
export function targetOf(
  file: CounterexampleFile,
  deps: Pick<CheckDeps, 'registry'>,
): { target: CheckTarget<unknown, unknown>; property: Property<unknown> } {
  const { meta } = file;
  const spec = findSpec(deps.registry, meta.spec);
  const target = spec.build(resolveParams(spec.params, meta.params, spec.id));
  const property = target.properties.find((p) => p.name === meta.property);
  if (property === undefined) {
    const known = target.properties.map((p) => p.name).join(', ');
    throw new UserError(`spec ${spec.id} has no property ${meta.property} (properties: ${known})`, ExitCode.badSpec);
  }
  return { target, property };
}

/** Numbered steps, each with the property's verdict where it is decided, and the changes under it. */
function printSteps(
  io: Io,
  target: CheckTarget<unknown, unknown>,
  trace: { initIndex: number; labels: readonly string[]; states: readonly unknown[]; loopStart?: number },
  verdictAt: (index: number) => string,
): void {
  const steps = traceSteps(target, trace);
  const width = String(Math.max(steps.length, 1)).length;
  const num = (k: number) => `${String(k).padStart(width)}.`;
  const pad = ' '.repeat(width + 2);
  const lines = [`  ${num(0)} initial state${trace.initIndex === 0 ? '' : ` #${trace.initIndex}`}${verdictAt(0)}`];
  for (const step of steps) {
    const detail = step.detail === undefined ? '' : ` — ${step.detail}`;
    lines.push(`  ${num(step.index)} ${step.label}${detail}${verdictAt(step.index)}`);
    const changes = formatChanges(step.changes);
    const shown = changes.length > 12 ? changes.slice(0, 11) : changes;
    for (const line of shown) lines.push(`  ${pad}  ${line}`);
    if (shown.length < changes.length) lines.push(`  ${pad}  … and ${changes.length - shown.length} more changes`);
    if (step.changes.length === 0) lines.push(`  ${pad}  (no visible change)`);
  }
  if (trace.loopStart !== undefined) {
    lines.push(`  ${pad}↺ step ${steps.length} returns to state ${trace.loopStart}: steps ${trace.loopStart + 1}–${steps.length} repeat forever`);
  }
  io.out(`${lines.join('\n')}\n`);
}

export function runReplay(args: ReplayArgs, deps: CheckDeps): ExitCodeValue {
  const { io } = deps;
  const file = loadCounterexample(args.file, deps);
  const { meta } = file;
  const { target, property } = targetOf(file, deps);
  if (meta.initIndex >= target.model.init().length) {
    throw new UserError(
      `replay drift in ${args.file}: the spec has no initial state #${meta.initIndex} (it has ${target.model.init().length})`,
      ExitCode.replayDrift,
    );
  }
  io.out(`rrcheck replay ${args.file}\n`);
  io.out(`spec ${meta.spec}: ${paramList(meta.params)}\n`);
  io.out(`property ${property.name} (${property.category}), expected: ${meta.expected}, ${plural(meta.labels.length, 'step')}\n\n`);

  const judged = judgeLabels(target.model, property, meta.labels, { lenient: false, initIndex: meta.initIndex });
  const always = property.kind === 'always';
  if (judged.status === 'drift') {
    printSteps(io, target, { initIndex: meta.initIndex, labels: meta.labels.slice(0, judged.step), states: judged.states }, (k) =>
      always ? `  [${property.name} holds]` : '',
    );
    const enabled = judged.enabled.length === 0 ? 'none' : judged.enabled.map((l) => JSON.stringify(l)).join(', ');
    throw new UserError(
      `replay drift in ${args.file}: step ${judged.step + 1}, ${JSON.stringify(judged.label)}, is not enabled; enabled: ${enabled}`,
      ExitCode.replayDrift,
    );
  }
  const { trace } = judged;
  const last = trace.labels.length;
  const violated = judged.status === 'violated';
  printSteps(io, target, trace, (k) => {
    if (always) return `  [${property.name} ${violated && k === last ? 'VIOLATED' : 'holds'}]`;
    return k === last ? `  [${property.name} ${violated ? 'VIOLATED' : 'not violated'}]` : '';
  });
  if (violated) io.out(`  Why: ${judged.explanation}\n`);
  io.out('\n');

  const code = property.category === 'safety' ? ExitCode.safetyViolation : ExitCode.livenessViolation;
  const where = last === meta.labels.length ? `after step ${last}` : `after step ${last} (the file records ${plural(meta.labels.length, 'step')})`;
  if (violated) {
    io.out(
      meta.expected === 'violates'
        ? `reproduced: ${property.name} is violated ${where}, as recorded.\n`
        : `violated again: ${property.name} is violated ${where}, though the file is marked fixed.\n`,
    );
    return code;
  }
  const along = `${property.name} is not violated along the ${plural(last, 'step')}`;
  if (meta.expected === 'fixed') {
    io.out(`fixed: ${along}, as the file expects.\n`);
    return ExitCode.ok;
  }
  throw new UserError(`the recorded violation no longer reproduces: ${along} of ${args.file}`, ExitCode.notReproduced);
}
