/**
 * The answers of `rrcheck explore`'s API (cli/explore/api.ts), one function
 * per route, from a request's parsed JSON body to a status code and a JSON
 * reply. Stateless: the session holds the spec, its parameters and the check
 * target; each request carries its path, which is replayed (trace/stepping).
 * The searches, which run for a while, are the one thing the server keeps
 * (searchBoard.ts); they start through the session's `searches`.
 * A malformed request is a 400 with one line; a spec that throws while
 * replayed or searched is a 500 with one line; neither ends the server.
 */
import { ExitCode } from '../../core/exitCodes.js';
import type { CheckTarget } from '../../core/model.js';
import { resolveParams, type ParamRecord } from '../../core/params.js';
import type { SpecDefinition } from '../../core/spec.js';
import { decodeCounterexample } from '../../trace/counterexampleFile.js';
import { renderSvg } from '../../trace/render/svg.js';
import { pathDiagram, pathState, pathVerdict, shownViolation, walkPath, type PathDrift, type PathRef } from '../../trace/stepping.js';
import { checkGenericInput } from '../commands/render.js';
import { saveRecord, type CounterexampleDeps, type ModuleSource } from '../counterexamples.js';
import { paramList } from '../output.js';
import type { DriftReply, LoadReply, PathJson, SaveReply, SessionInfo, StateReply } from './api.js';
import { BadRequest, failureOf } from './failure.js';
import type { SearchLauncher } from './searchThread.js';

/** What every request of one `rrcheck explore` is answered from. */
export interface ExploreSession {
  readonly spec: SpecDefinition;
  readonly params: ParamRecord;
  readonly target: CheckTarget<unknown, unknown>;
  /** The spec module (absent for a spec of the registry): recorded in saved files. */
  readonly module?: { readonly given: string } & ModuleSource;
  /** The path the page opens with when it has none of its own. */
  readonly start: PathJson;
  readonly startFile?: string;
  /** Where saved files go. */
  readonly out: string;
  readonly searchBounds: { readonly maxStates: number; readonly timeoutSeconds: number };
  /** Starts a search from the page (on a worker thread in the executable: searchThread.ts). */
  readonly searches: SearchLauncher;
  readonly saving: CounterexampleDeps;
}

/** A reply: the HTTP status and the JSON body. */
export interface Reply {
  readonly code: number;
  readonly body: unknown;
}

/** Labels a path may have (a request beyond it is refused, not replayed). */
export const MAX_PATH_LENGTH = 100_000;

const bad = (message: string): never => {
  throw new BadRequest(message);
};

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function bodyRecord(body: unknown): Record<string, unknown> {
  return isRecord(body) ? body : bad('the request body must be a JSON object');
}

/** The request's `path`, checked: an initial index the model has, and a list of labels. */
export function pathOf(session: ExploreSession, body: Record<string, unknown>): PathRef {
  const path = body['path'];
  if (!isRecord(path)) return bad('path must be an object {initIndex, labels}');
  const { initIndex, labels } = path;
  const inits = session.target.model.init().length;
  if (typeof initIndex !== 'number' || !Number.isSafeInteger(initIndex) || initIndex < 0 || initIndex >= inits) {
    return bad(`path.initIndex must be an integer in 0…${inits - 1} (the spec has ${inits} initial state${inits === 1 ? '' : 's'})`);
  }
  if (!Array.isArray(labels) || !labels.every((l) => typeof l === 'string')) return bad('path.labels must be an array of strings');
  if (labels.length > MAX_PATH_LENGTH) return bad(`path.labels has ${labels.length} labels; at most ${MAX_PATH_LENGTH} are taken`);
  return { initIndex, labels: labels as string[] };
}

/** The request's optional `property`: one of the target's. */
export function propertyOf(session: ExploreSession, body: Record<string, unknown>): string | undefined {
  const property = body['property'];
  if (property === undefined || property === null || property === '') return undefined;
  if (typeof property !== 'string' || !session.target.properties.some((p) => p.name === property)) {
    return bad(`property must be one of ${session.target.properties.map((p) => p.name).join(', ')}`);
  }
  return property;
}

export function driftReply(drift: PathDrift): Reply {
  const reply: DriftReply = { status: 'drift', step: drift.step, label: drift.label, enabled: drift.enabled, valid: drift.valid };
  return { code: 200, body: reply };
}

/** Runs a route; what it throws is answered as failure.ts says (400, 422 or 500, with one line). */
export function answer(route: () => Reply): Reply {
  try {
    return route();
  } catch (error) {
    const failure = failureOf(error);
    return { code: failure.code, body: { error: failure.error } };
  }
}

export function sessionInfo(session: ExploreSession): SessionInfo {
  const { spec, target } = session;
  return {
    spec: spec.id,
    title: spec.title,
    params: session.params,
    ...(session.module === undefined ? {} : { module: session.module.given }),
    properties: target.properties.map((p) => ({ name: p.name, kind: p.kind, category: p.category, description: p.description })),
    initialStates: target.model.init().length,
    start: session.start,
    ...(session.startFile === undefined ? {} : { startFile: session.startFile }),
    out: session.out,
    search: { maxStates: session.searchBounds.maxStates, timeoutSeconds: session.searchBounds.timeoutSeconds },
  };
}

/** POST /api/state: everything the page shows of the state a path reaches. */
export function stateRoute(session: ExploreSession, body: unknown): Reply {
  const path = pathOf(session, bodyRecord(body));
  const state = pathState(session.target, path);
  if (state.status === 'drift') return driftReply(state);
  // What the generic diagram reads of a spec module is checked first, as `render` checks it (a problem: 422, one line).
  if (session.target.diagram === undefined) checkGenericInput(session.spec.id, session.target, state.states, state.path.labels, state.descriptions);
  const diagram = pathDiagram(session.target, state.states, state.path.labels, shownViolation(state), state.descriptions);
  const reply: StateReply = {
    status: 'ok',
    path: state.path,
    view: state.view,
    enabled: state.enabled,
    steps: state.steps,
    changes: state.changes,
    changeLines: state.changeLines,
    properties: state.properties,
    ...(state.loopStart === undefined ? {} : { loopStart: state.loopStart, loopEnd: state.loopEnd! }),
    svg: renderSvg({ ...diagram, title: `${session.spec.id} — ${paramList(session.params)}` }),
  };
  return { code: 200, body: reply };
}

/** `rrcheck replay PATH`, the path quoted for a POSIX shell when it needs it. */
function replayCommand(file: string): string {
  return /^[\w./-]+$/.test(file) ? `rrcheck replay ${file}` : `rrcheck replay '${file.replace(/'/g, `'\\''`)}'`;
}

/**
 * POST /api/save: the path as a counterexample file in --out. For a path that
 * violates the property (the first one it violates, when none is named), the
 * file is cut at the violation and expects it (replay exits 12 or 13); for
 * one that does not, it is marked fixed (replay exits 0 while it stays so).
 */
export function saveRoute(session: ExploreSession, body: unknown): Reply {
  const record = bodyRecord(body);
  const path = pathOf(session, record);
  const property = propertyOf(session, record);
  const verdict = pathVerdict(session.target, path, property);
  if (verdict === undefined) return bad('the spec has no properties');
  if (verdict.status === 'drift') return driftReply(verdict);
  const p = verdict.property;
  const violates = verdict.status === 'violates';
  const saved = saveRecord(
    {
      dir: session.out,
      spec: session.spec.id,
      params: session.params,
      target: session.target,
      record: {
        property: p.name,
        category: p.category,
        initIndex: path.initIndex,
        labels: verdict.labels,
        ...(violates && verdict.loopStart !== undefined ? { loopStart: verdict.loopStart } : {}),
        explanation: violates ? verdict.finding.summary : `${p.name} is not violated along these ${verdict.labels.length} steps`,
        ...(violates ? { finding: verdict.finding } : {}),
      },
      states: verdict.states,
      expected: violates ? 'violates' : 'fixed',
      strategy: 'explore',
      foundLength: path.labels.length,
      ...(session.module === undefined ? {} : { module: { path: session.module.path, digest: session.module.digest } }),
    },
    session.saving,
  );
  const exitCode = !violates ? ExitCode.ok : p.category === 'safety' ? ExitCode.safetyViolation : ExitCode.livenessViolation;
  const reply: SaveReply = {
    status: saved.status,
    file: saved.path,
    property: p.name,
    expected: violates ? 'violates' : 'fixed',
    steps: verdict.labels.length,
    command: replayCommand(saved.path),
    exitCode,
  };
  return { code: 200, body: reply };
}

/** Parameters in a canonical order, to compare two records. */
function canonical(params: Readonly<Record<string, string | number>>): string {
  return JSON.stringify(Object.keys(params).sort().map((k) => [k, params[k]]));
}

/**
 * POST /api/load: a counterexample file's text (uploaded from the page), of
 * this session's spec and parameters; its path, to open. A file of another
 * spec or other parameters, or one that drifts, is refused (409) with why.
 */
export function loadRoute(session: ExploreSession, body: unknown): Reply {
  const text = bodyRecord(body)['text'];
  if (typeof text !== 'string') return bad('text must be the counterexample file\'s text');
  const decoded = decodeCounterexample(text);
  if (decoded.status !== 'ok') return { code: 400, body: { error: decoded.message } };
  const { meta } = decoded.file;
  const running = `this explorer runs ${session.spec.id} with ${paramList(session.params)}`;
  if (meta.spec !== session.spec.id) {
    return { code: 409, body: { error: `the file is a counterexample of spec ${meta.spec}; ${running} (start rrcheck explore with the file to open it)` } };
  }
  let params: ParamRecord | undefined;
  try {
    params = resolveParams(session.spec.params, meta.params, session.spec.id);
  } catch {
    params = undefined;
  }
  if (params === undefined || canonical(params) !== canonical(session.params)) {
    return {
      code: 409,
      body: { error: `the file's parameters are ${paramList(meta.params)}; ${running} (start rrcheck explore with the file to open it)` },
    };
  }
  if (meta.initIndex >= session.target.model.init().length) {
    return { code: 409, body: { error: `the file starts from initial state #${meta.initIndex}; the spec has ${session.target.model.init().length}` } };
  }
  const walked = walkPath(session.target.model, { initIndex: meta.initIndex, labels: meta.labels });
  if (walked.status === 'drift') {
    return {
      code: 409,
      body: { error: `the file drifts: step ${walked.step + 1}, ${JSON.stringify(walked.label)}, is not enabled; enabled: ${walked.enabled.map((l) => JSON.stringify(l)).join(', ') || 'none'}` },
    };
  }
  const reply: LoadReply = {
    path: { initIndex: meta.initIndex, labels: meta.labels },
    property: meta.property,
    expected: meta.expected,
    description: decoded.file.description,
  };
  return { code: 200, body: reply };
}
