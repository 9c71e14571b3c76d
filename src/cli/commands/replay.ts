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
 * With --json, stdout holds one object (reporter.ts replayJson): the outcome,
 * the exit code, and the replayed violation's trace record; a drift or a
 * violation that no longer reproduces also prints its line on stderr.
 */
import { safeLine, terminalText } from '../../core/echo.js';
import { ExitCode, type ExitCodeValue, UserError } from '../../core/exitCodes.js';
import type { CheckTarget, Property } from '../../core/model.js';
import { resolveParams } from '../../core/params.js';
import { decodeCounterexample, type CounterexampleFile } from '../../trace/counterexampleFile.js';
import { traceRecord, type TraceRecord } from '../../trace/record.js';
import { driftMessage } from '../../trace/replay.js';
import { judgeLabels } from '../../trace/verdict.js';
import { nodeFiles } from '../counterexamples.js';
import { plural } from '../output.js';
import { jsonLine, moduleField, replayHead, replayJson, type ReplayOutcome, type ReplayRun, replaySteps, replayVerdictText } from '../reporter.js';
import { type CheckDeps, findSpec } from './check.js';

export interface ReplayArgs {
  readonly file: string;
  /** Print one JSON object (the replay's run record, its outcome and exit code) instead of the steps. */
  readonly json?: boolean;
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

export function runReplay(args: ReplayArgs, deps: CheckDeps): ExitCodeValue {
  const json = args.json === true;
  // The file's texts (its parameters) reach the terminal: no control character goes through as it is (JSON escapes its own).
  const io = json ? deps.io : { out: (text: string) => deps.io.out(terminalText(text)), err: deps.io.err };
  const file = loadCounterexample(args.file, deps);
  const { meta } = file;
  const { target, property } = targetOf(file, deps);
  const facts = {
    file: args.file,
    property: property.name,
    category: property.category,
    expected: meta.expected,
    recordedSteps: meta.labels.length,
  };
  const record = (status: ReplayOutcome, traces: readonly TraceRecord[] = []) => ({
    spec: meta.spec,
    ...moduleField(meta.module),
    params: meta.params,
    status,
    traces,
  });
  // A drift or a violation that no longer reproduces: one line on stderr and its exit code; with --json, its record on stdout too.
  const fail = (run: ReplayRun & { readonly message: string }): ExitCodeValue => {
    if (!json) throw new UserError(run.message, run.exitCode);
    io.out(jsonLine(replayJson(run)));
    io.err(`rrcheck: ${safeLine(run.message)}\n`);
    return run.exitCode;
  };
  if (meta.initIndex >= target.model.init().length) {
    return fail({
      ...facts,
      record: record('drift'),
      steps: 0,
      exitCode: ExitCode.replayDrift,
      message: `replay drift in ${args.file}: the spec has no initial state #${meta.initIndex} (it has ${target.model.init().length})`,
    });
  }
  if (!json) io.out(replayHead({ ...facts, spec: meta.spec, params: meta.params }));

  const judged = judgeLabels(target.model, property, meta.labels, { lenient: false, initIndex: meta.initIndex });
  const always = property.kind === 'always';
  if (judged.status === 'drift') {
    if (!json) {
      io.out(
        replaySteps(target, { initIndex: meta.initIndex, labels: meta.labels.slice(0, judged.step), states: judged.states }, () =>
          always ? `  [${property.name} holds]` : '',
        ),
      );
    }
    return fail({
      ...facts,
      record: record('drift'),
      steps: judged.step,
      exitCode: ExitCode.replayDrift,
      drift: { step: judged.step, label: judged.label, enabled: judged.enabled },
      message: driftMessage(args.file, judged),
    });
  }
  const { trace } = judged;
  const last = trace.labels.length;
  const violated = judged.status === 'violated';
  if (!json) {
    io.out(
      replaySteps(target, trace, (k) => {
        if (always) return `  [${property.name} ${violated && k === last ? 'VIOLATED' : 'holds'}]`;
        return k === last ? `  [${property.name} ${violated ? 'VIOLATED' : 'not violated'}]` : '';
      }),
    );
    if (violated) io.out(`  Why: ${judged.explanation}\n`);
    io.out('\n');
  }

  const violationCode = property.category === 'safety' ? ExitCode.safetyViolation : ExitCode.livenessViolation;
  let run: ReplayRun;
  if (violated) {
    const traces = [traceRecord({ property: property.name, category: property.category, ...judged })];
    run = { ...facts, record: record(meta.expected === 'violates' ? 'reproduced' : 'violated-again', traces), steps: last, exitCode: violationCode };
  } else if (meta.expected === 'fixed') {
    run = { ...facts, record: record('fixed'), steps: last, exitCode: ExitCode.ok };
  } else {
    return fail({
      ...facts,
      record: record('not-reproduced'),
      steps: last,
      exitCode: ExitCode.notReproduced,
      message: `the recorded violation no longer reproduces: ${property.name} is not violated along the ${plural(last, 'step')} of ${args.file}`,
    });
  }
  io.out(json ? jsonLine(replayJson(run)) : replayVerdictText(run));
  return run.exitCode;
}
