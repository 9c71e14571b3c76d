/**
 * `rrcheck explore [spec | spec-module | FILE]`: a web page to step through a
 * spec by hand (cli/explore: the server, its routes, the page). It resolves
 * the spec and its parameters as `check` does, or a counterexample file's
 * spec, parameters and path (then the page opens at the file's last state),
 * starts the server on 127.0.0.1, prints its URL as the one line on stdout,
 * and serves until SIGINT or SIGTERM; then it closes the server (ending a
 * running search's thread) and exits 0. A port it cannot listen on is one
 * line and exit code 16. Searches from the page run on a worker thread of
 * their own when the executable gives the worker's script (`searchWorker`)
 * and how a worker builds the target (`workerTarget`); without them (runCli
 * in a test), on this thread.
 */
import { ExitCode, type ExitCodeValue, UserError } from '../../core/exitCodes.js';
import type { CheckTarget } from '../../core/model.js';
import { resolveParams, type ParamRecord } from '../../core/params.js';
import type { SpecDefinition } from '../../core/spec.js';
import { driftMessage } from '../../trace/replay.js';
import { walkPath } from '../../trace/stepping.js';
import type { PathJson } from '../explore/api.js';
import { bfsEngine, inlineLauncher, workerLauncher, type SearchLauncher } from '../explore/searchThread.js';
import { startServer } from '../explore/server.js';
import type { ExploreSession } from '../explore/session.js';
import { paramList } from '../output.js';
import { readParamFiles } from '../paramFiles.js';
import type { SpecModule } from '../specModule.js';
import { type CheckDeps, findSpec } from './check.js';
import { loadCounterexample } from './replay.js';

/** The port tried when --port is not given (7433 is not assigned to any well-known service). */
export const DEFAULT_PORT = 7433;
/** Distinct states one search from the page may store (--max-states). */
export const DEFAULT_SEARCH_STATES = 1_000_000;
/** Seconds one search from the page may take (--search-timeout). */
export const DEFAULT_SEARCH_SECONDS = 60;
/** How often the command looks whether it was asked to stop. */
const POLL_MS = 100;

/** What `explore` needs beyond what `check` does. */
export interface ExploreDeps extends CheckDeps {
  /**
   * The search worker's script (cli/explore/searchWorker.js, compiled): with
   * it and `workerTarget`, a search from the page runs on a worker thread.
   * Absent: on the server's thread, which answers nothing else meanwhile.
   */
  readonly searchWorker?: URL;
}

export interface ExploreArgs {
  /** A spec id (the default spec when absent and no file is given). */
  readonly spec?: string;
  /** A counterexample file to open (instead of a spec). */
  readonly file?: string;
  /** Spec parameters as typed (not with a file: the file's are used). */
  readonly params: Readonly<Record<string, string | undefined>>;
  /** The spec module `spec` comes from, or the module the file records (deps.registry then holds its specs). */
  readonly module?: SpecModule;
  readonly port: number;
  readonly out: string;
  readonly maxStates: number;
  readonly searchTimeoutSeconds: number;
}

/** The spec, its parameters, the target and the path to open with. */
function resolveTarget(
  args: ExploreArgs,
  deps: CheckDeps,
): { spec: SpecDefinition; params: ParamRecord; target: CheckTarget<unknown, unknown>; start: PathJson } {
  if (args.file === undefined) {
    const spec = findSpec(deps.registry, args.spec ?? deps.defaultSpec);
    const params = resolveParams(spec.params, readParamFiles(spec.params, args.params, deps.files), spec.id);
    return { spec, params, target: spec.build(params), start: { initIndex: 0, labels: [] } };
  }
  const given = Object.entries(args.params).find(([, v]) => v !== undefined);
  if (given !== undefined) throw new UserError(`--${given[0]}: a counterexample file brings its own parameters (leave out the spec parameters)`, ExitCode.usage);
  const { meta } = loadCounterexample(args.file, deps);
  const spec = findSpec(deps.registry, meta.spec);
  const params = resolveParams(spec.params, meta.params, spec.id);
  const target = spec.build(params);
  const inits = target.model.init().length;
  if (meta.initIndex >= inits) throw new UserError(`replay drift in ${args.file}: the spec has no initial state #${meta.initIndex} (it has ${inits})`, ExitCode.replayDrift);
  const walked = walkPath(target.model, { initIndex: meta.initIndex, labels: meta.labels });
  if (walked.status === 'drift') throw new UserError(driftMessage(args.file, walked), ExitCode.replayDrift);
  return { spec, params, target, start: { initIndex: meta.initIndex, labels: meta.labels } };
}

/** Resolves when `interrupted` first says true (never, without it). */
function untilInterrupted(interrupted: (() => boolean) | undefined): Promise<void> {
  return new Promise((resolve) => {
    if (interrupted === undefined) return;
    const timer = setInterval(() => {
      if (!interrupted()) return;
      clearInterval(timer);
      resolve();
    }, POLL_MS);
  });
}

/** Where the page's searches run: a worker thread building the target as the parallel BFS's workers do, or this thread. */
function searchLauncher(args: ExploreArgs, deps: ExploreDeps, spec: SpecDefinition, params: ParamRecord, target: CheckTarget<unknown, unknown>): SearchLauncher {
  if (deps.searchWorker !== undefined && deps.workerTarget !== undefined) {
    return workerLauncher(deps.searchWorker, deps.workerTarget(spec.id, params, args.module?.url), deps.defaultMemoryBytes);
  }
  // The engine's breadth-first search, with the command's memory bound and its interruption.
  return inlineLauncher(target, bfsEngine(deps.explore, deps.defaultMemoryBytes), deps.interrupted);
}

export async function runExplore(args: ExploreArgs, deps: ExploreDeps): Promise<ExitCodeValue> {
  // Polled once at once: the main thread then knows that a signal stops this command cleanly.
  deps.interrupted?.();
  const { spec, params, target, start } = resolveTarget(args, deps);
  const session: ExploreSession = {
    spec,
    params,
    target,
    ...(args.module === undefined ? {} : { module: { given: args.module.given, path: args.module.path, digest: args.module.digest } }),
    start,
    ...(args.file === undefined ? {} : { startFile: args.file }),
    out: args.out,
    searchBounds: { maxStates: args.maxStates, timeoutSeconds: args.searchTimeoutSeconds },
    searches: searchLauncher(args, deps, spec, params, target),
    saving: { ...(deps.files === undefined ? {} : { files: deps.files }), ...(deps.version === undefined ? {} : { version: deps.version }) },
  };
  const server = await startServer(session, args.port);
  deps.io.out(`${server.url}\n`);
  deps.io.err(`exploring ${spec.id} ${paramList(params)} at ${server.url} (Ctrl-C stops)\n`);
  await untilInterrupted(deps.interrupted);
  await server.close();
  deps.io.err('explorer stopped\n');
  return ExitCode.ok;
}
