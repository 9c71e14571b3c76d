/**
 * `rrcheck render FILE [--format text|svg|mermaid] [--output PATH]`: draw a
 * counterexample file as a space-time diagram. A short pipeline: read and
 * decode the file, build its spec with its parameters, replay its labels,
 * ask the spec for the diagram (the generic one of trace/genericDiagram,
 * built from the step descriptions and the finding, when the spec draws
 * none), render it, write it to stdout or PATH.
 */
import type { Diagram } from '../../core/diagram.js';
import type { ActionDescription, CheckTarget } from '../../core/model.js';
import { ExitCode, type ExitCodeValue, UserError } from '../../core/exitCodes.js';
import type { CounterexampleFile } from '../../trace/counterexampleFile.js';
import { renderMermaid } from '../../trace/render/mermaid.js';
import { renderSvg } from '../../trace/render/svg.js';
import { renderText } from '../../trace/render/text.js';
import { diagramFacts } from '../../trace/facts.js';
import { describeAction } from '../../trace/verdict.js';
import { genericDiagram } from '../../trace/genericDiagram.js';
import { replayLabels } from '../../trace/replay.js';
import { writeAtomically } from '../files.js';
import { paramList } from '../output.js';
import type { CheckDeps } from './check.js';
import { loadCounterexample, targetOf } from './replay.js';

export const renderFormats = ['text', 'svg', 'mermaid'] as const;
export type RenderFormat = (typeof renderFormats)[number];

export interface RenderArgs {
  readonly file: string;
  readonly format: RenderFormat;
  /** Write here (replacing the file) instead of stdout. */
  readonly output?: string;
}

const renderers: Record<RenderFormat, (d: Diagram) => string> = { text: renderText, svg: renderSvg, mermaid: renderMermaid };

/** The diagram of a decoded counterexample file, replayed strictly against its spec; `path` names it in messages. */
export function diagramOfFile(file: CounterexampleFile, path: string, deps: Pick<CheckDeps, 'registry'>): Diagram {
  const { meta } = file;
  const { target } = targetOf(file, deps);
  if (meta.initIndex >= target.model.init().length) {
    throw new UserError(`replay drift in ${path}: the spec has no initial state #${meta.initIndex}`, ExitCode.replayDrift);
  }
  const replay = replayLabels(target.model, meta.labels, meta.initIndex);
  if (replay.status === 'drift') {
    const enabled = replay.enabled.length === 0 ? 'none' : replay.enabled.map((l) => JSON.stringify(l)).join(', ');
    throw new UserError(
      `replay drift in ${path}: step ${replay.step + 1}, ${JSON.stringify(replay.label)}, is not enabled; enabled: ${enabled}`,
      ExitCode.replayDrift,
    );
  }
  const trace = { states: replay.states, labels: meta.labels, ...(meta.loopStart === undefined ? {} : { loopStart: meta.loopStart }) };
  const facts = diagramFacts(target, meta.property, trace);
  let diagram: Diagram;
  if (target.diagram === undefined) {
    checkGenericInput(meta.spec, target, replay.states, meta.labels, facts.steps);
    diagram = genericDiagram(target, replay.states, meta.labels, facts);
  } else diagram = target.diagram(replay.states, meta.labels, facts);
  return {
    ...diagram,
    title: `${meta.spec} — ${paramList(meta.params)}`,
    ...(meta.loopStart === undefined ? {} : { loopStart: meta.loopStart }),
  };
}

/**
 * What the generic diagram reads of a spec, checked (a spec module is plain
 * JavaScript): `processes` a list of names, and the step descriptions of the
 * trace and of the last state's steps with names and kinds that are strings.
 * A problem is one line, exit code badModule.
 */
export function checkGenericInput<S, A>(
  spec: string,
  target: CheckTarget<S, A>,
  states: readonly S[],
  labels: readonly string[],
  steps: readonly ActionDescription[],
): void {
  const { processes } = target;
  if (processes !== undefined && !(Array.isArray(processes) && processes.every((p) => typeof p === 'string'))) {
    throw new UserError(`spec ${spec}: processes must be an array of process names (strings)`, ExitCode.badModule);
  }
  const last = states[states.length - 1];
  const finalSteps = last === undefined ? [] : target.model.actions(last).map((a) => ({ label: target.model.label(a), d: describeAction(target.model, last, a) }));
  const described = [...steps.map((d, k) => ({ label: labels[k]!, d, where: `step ${k + 1}` })), ...finalSteps.map((f) => ({ ...f, where: 'the last state\'s step' }))];
  for (const { label, d, where } of described) {
    for (const field of ['actor', 'sender', 'receiver', 'kind'] as const) {
      const value: unknown = d[field];
      if (value !== undefined && typeof value !== 'string') {
        throw new UserError(
          `spec ${spec}: describe() of ${where} ${JSON.stringify(label)} gives ${field} ${JSON.stringify(value) ?? String(value)}: it must be a string`,
          ExitCode.badModule,
        );
      }
    }
  }
}

export function runRender(args: RenderArgs, deps: Pick<CheckDeps, 'registry' | 'io' | 'files'>): ExitCodeValue {
  const file = loadCounterexample(args.file, deps);
  const rendered = renderers[args.format](diagramOfFile(file, args.file, deps));
  if (args.output === undefined) {
    deps.io.out(rendered);
    return ExitCode.ok;
  }
  // A temporary name renamed over the file: a reader never sees half a diagram.
  writeAtomically(args.output, rendered);
  deps.io.err(`wrote ${args.output}\n`);
  return ExitCode.ok;
}
