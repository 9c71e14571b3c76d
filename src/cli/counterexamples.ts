/**
 * What `check` and `simulate` do with a violation they found: shrink it (with
 * a bounded breadth-first shortcut when it was not found breadth-first),
 * encode it as a counterexample file, and save it under `--out` without ever
 * overwriting a different file. File access goes through a `FileAccess`, so
 * tests can run the commands in memory; `nodeFiles` is the real one.
 */
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { ExitCode, UserError } from '../core/exitCodes.js';
import type { CheckTarget, Finding } from '../core/model.js';
import type { ParamRecord } from '../core/params.js';
import type { Violation } from '../core/result.js';
import {
  counterexampleFileName,
  decodeCounterexample,
  encodeCounterexample,
  type CounterexampleMeta,
  type ExpectedVerdict,
  type FoundBy,
  sameCounterexample,
} from '../trace/counterexampleFile.js';
import { traceRecord, type TraceRecord } from '../trace/record.js';
import { shrinkViolation, type ShortcutSearch, type ShrinkResult } from '../trace/shrink.js';
import type { Explore } from './commands/check.js';
import { createAtomically, ensureWritableFolder, makeFolderOf } from './files.js';
import { readInputText } from './inputFiles.js';
import type { Io } from './output.js';

/** Reading and creating text files; the only file I/O of the commands. */
export interface FileAccess {
  /** The file's text (UTF-8, a byte-order mark dropped); throws (with the system's message) when it cannot be read, is not a regular file, is too large or is not UTF-8. */
  readText(path: string): string;
  /**
   * Creates `path` (and its folder) with `text`, whole or not at all (never a
   * partial file under `path`); false, writing nothing, if the file exists.
   */
  createText(path: string, text: string): boolean;
  /**
   * Creates the folder `dir` if needed and proves it writable, before the work
   * that fills it starts; throws a one-line UserError naming `flag` otherwise.
   */
  ensureFolder(dir: string, flag: string): void;
}

export const nodeFiles: FileAccess = {
  readText: (path) => readInputText(path),
  createText: (path, text) => {
    makeFolderOf(path);
    return createAtomically(path, text);
  },
  ensureFolder: ensureWritableFolder,
};

/** What the commands need besides the spec registry to save counterexamples. */
export interface CounterexampleDeps {
  /** Default `nodeFiles`. */
  readonly files?: FileAccess;
  /** Recorded in every file as `toolVersion`. */
  readonly version?: string;
}

/** States a breadth-first shortcut may visit while shrinking a trace that was not found breadth-first. */
export const SHORTCUT_MAX_STATES = 200_000;

/**
 * Shrinks `violation` (see trace/shrink.ts). A trace found by BFS is already
 * shortest; any other gets the breadth-first shortcut, through the injected
 * explorer, bounded by SHORTCUT_MAX_STATES (a state bound, not a time bound,
 * so the result does not depend on the machine).
 */
export function shrinkFound(
  target: CheckTarget<unknown, unknown>,
  violation: Violation<unknown>,
  how: { readonly strategy: FoundBy; readonly explore: Explore; readonly seed?: number; readonly stop?: ShrinkStop },
): ShrinkResult<unknown> {
  const stop = how.stop === undefined ? undefined : () => how.stop!.reached();
  const shortcut: ShortcutSearch = (t, maxDepth) => {
    const result = how.explore(t, { strategy: 'bfs', maxDepth, maxStates: SHORTCUT_MAX_STATES, ...(stop === undefined ? {} : { interrupted: stop }) });
    return result.status === 'violation' ? result.violations[0]?.trace : undefined;
  };
  return shrinkViolation(target, violation, {
    ...(how.seed === undefined ? {} : { seed: how.seed }),
    ...(how.strategy === 'bfs' ? {} : { shortcut }),
    ...(stop === undefined ? {} : { stop }),
  });
}

/** Why shrinking ended before it was done: the time left by --timeout ran out, or the run was interrupted. */
export type ShrinkCut = 'timeout' | 'interrupted';

/** When shrinking must stop (see shrinkStop); `reason` says why once it has. */
export interface ShrinkStop {
  reached(): boolean;
  readonly reason: ShrinkCut | undefined;
}

/** Shrinking's time when --timeout has (almost) run out: a few seconds still make most traces shorter. */
export const SHRINK_FLOOR_MS = 2000;
/** How long a violation is still shrunk after an interruption (then the best trace so far is saved). */
export const INTERRUPT_GRACE_MS = 2000;

/**
 * The stop of shrinking: at `deadlineMs` (the end of --timeout; pushed to
 * SHRINK_FLOOR_MS after the first poll when less is left), and
 * INTERRUPT_GRACE_MS after `interrupted` is first seen true.
 */
export function shrinkStop(bounds: { readonly clock: () => number; readonly deadlineMs?: number; readonly interrupted?: () => boolean }): ShrinkStop {
  let deadline: number | undefined;
  let graceEnd: number | undefined;
  let reason: ShrinkCut | undefined;
  return {
    get reason() {
      return reason;
    },
    reached() {
      if (reason !== undefined) return true;
      const now = bounds.clock();
      if (bounds.deadlineMs !== undefined) {
        deadline ??= Math.max(bounds.deadlineMs, now + SHRINK_FLOOR_MS);
        if (now >= deadline) reason = 'timeout';
      }
      if (reason === undefined && bounds.interrupted?.() === true) {
        graceEnd ??= now + INTERRUPT_GRACE_MS;
        if (now >= graceEnd) reason = 'interrupted';
      }
      return reason !== undefined;
    },
  };
}

export interface SaveRequest {
  readonly dir: string;
  readonly spec: string;
  readonly params: ParamRecord;
  readonly target: CheckTarget<unknown, unknown>;
  readonly shrunk: ShrinkResult<unknown>;
  readonly strategy: FoundBy;
  readonly seed?: number;
  /** Overrides shrunk.foundLength (simulate: the walk before fast-check shrank it). */
  readonly foundLength?: number;
  /** The spec module of a user's spec: recorded in the file (ModuleRecord). */
  readonly module?: ModuleSource;
}

/** A spec module as the saved file records it: the absolute path and the sha256 of the file. */
export interface ModuleSource {
  readonly path: string;
  readonly digest: string;
}

/**
 * The module's path relative to the folder `dir` a counterexample file is
 * saved in, with forward slashes (so the two can move together, as in a
 * repository); absolute when they share no folder but the root.
 */
export function moduleRecordPath(dir: string, modulePath: string): string {
  const from = resolve(dir);
  const top = (p: string) => p.split(sep).filter((part) => part !== '')[0];
  if (top(from) !== top(modulePath) || isAbsolute(relative(from, modulePath))) return modulePath;
  const rel = relative(from, modulePath).split(sep).join('/');
  return rel.startsWith('../') ? rel : `./${rel}`;
}

export interface Saved {
  readonly path: string;
  /** `written`: a new file; `kept`: a file with the same counterexample was there already and is left as it is. */
  readonly status: 'written' | 'kept';
}

/**
 * Encodes the shrunk violation and saves it as `<dir>/<spec>-<property>-<hash>.itf.json`
 * (see saveRecord), expected to violate.
 */
export function saveCounterexample(request: SaveRequest, deps: CounterexampleDeps): Saved {
  const { violation } = request.shrunk;
  return saveRecord(
    {
      ...request,
      // The violation's trace record; encodeCounterexample puts its fields in the file's order.
      record: traceRecord(violation),
      expected: 'violates',
      foundLength: request.foundLength ?? request.shrunk.foundLength,
      states: violation.trace.states,
    },
    deps,
  );
}

/** What saveRecord writes: a trace record (a `fixed` one may have no finding), its states, and its provenance. */
export interface RecordSaveRequest {
  readonly dir: string;
  readonly spec: string;
  readonly params: ParamRecord;
  readonly target: CheckTarget<unknown, unknown>;
  readonly record: Omit<TraceRecord, 'finding'> & { readonly finding?: Finding };
  /** states[0] the initial state, states[k] after record.labels[k-1]. */
  readonly states: readonly unknown[];
  readonly expected: ExpectedVerdict;
  readonly strategy: FoundBy;
  readonly seed?: number;
  readonly foundLength: number;
  readonly module?: ModuleSource;
}

/**
 * Encodes a trace record and saves it as `<dir>/<spec>-<property>-<hash>.itf.json`.
 * If that name is taken by a file holding the same counterexample (same spec,
 * parameters, property and labels), that file is kept as it is (it may be
 * marked fixed, or record another provenance); if it holds anything else, the
 * next free name with a suffix (`-2`, `-3`…) is used. An unwritable folder is
 * a UserError.
 */
export function saveRecord(request: RecordSaveRequest, deps: CounterexampleDeps): Saved {
  const files = deps.files ?? nodeFiles;
  const text = encodeCounterexample({
    toolVersion: deps.version ?? 'unknown',
    spec: request.spec,
    ...(request.module === undefined ? {} : { module: { path: moduleRecordPath(request.dir, request.module.path), digest: request.module.digest } }),
    params: request.params,
    ...request.record,
    expected: request.expected,
    strategy: request.strategy,
    ...(request.seed === undefined ? {} : { seed: request.seed }),
    foundLength: request.foundLength,
    views: request.states.map((s) => (request.target.itfView ?? request.target.view).call(request.target, s)),
  });
  const decoded = decodeCounterexample(text);
  if (decoded.status !== 'ok') throw new Error(`the encoded counterexample does not decode: ${decoded.message}`);
  const name = counterexampleFileName(decoded.file.meta);
  for (let k = 1; k < 1000; k++) {
    const path = join(request.dir, k === 1 ? name : name.replace(/\.itf\.json$/, `-${k}.itf.json`));
    let created: boolean;
    try {
      created = files.createText(path, text);
    } catch (error) {
      throw new UserError(`cannot write ${path} (--out): ${error instanceof Error ? error.message : String(error)}`, ExitCode.usage);
    }
    if (created) return { path, status: 'written' };
    if (holdsSame(files, path, decoded.file.meta)) return { path, status: 'kept' };
  }
  throw new UserError(`cannot save the counterexample: ${join(request.dir, name)} and 998 variants of its name are taken`, ExitCode.usage);
}

function holdsSame(files: FileAccess, path: string, meta: CounterexampleMeta): boolean {
  let text: string;
  try {
    text = files.readText(path);
  } catch {
    return false;
  }
  const existing = decodeCounterexample(text);
  return existing.status === 'ok' && sameCounterexample(existing.file.meta, meta);
}

/** `found at length 21, shrunk to 9` */
export function shrinkSentence(foundLength: number, shrunkLength: number): string {
  return `found at length ${foundLength}, shrunk to ${shrunkLength}`;
}

/**
 * A counterexample that could not be written (a full disk, a file size
 * limit: the folder itself was checked before the search). The report is
 * printed all the same; then the command ends with the message (exit 2).
 */
export interface NotSaved {
  readonly status: 'failed';
  /** The one-line UserError message, naming the file and --out. */
  readonly message: string;
}

/** `saved counterexamples/x.itf.json`, `already saved as counterexamples/x.itf.json` or `not saved: cannot write …` */
export function savedSentence(saved: Saved | NotSaved): string {
  if (saved.status === 'failed') return `not saved: ${saved.message}`;
  return saved.status === 'written' ? `saved ${saved.path}` : `already saved as ${saved.path}`;
}

/**
 * Where `check` and `simulate` save counterexamples unless `--out` says
 * otherwise (relative to the working folder). Not `counterexamples/`, the
 * regression corpus the tests and the gate replay: an exploratory run must
 * not add to it; the corpus is written on purpose, with `--out counterexamples`.
 */
export const DEFAULT_OUT = 'rrcheck-out';

/** One violation after shrinking and saving. */
export interface Kept {
  readonly property: string;
  readonly foundLength: number;
  readonly shrunkLength: number;
  readonly saved: Saved | NotSaved;
  /** Present when shrinking was cut short (the trace saved is the best found by then). */
  readonly shrinkCut?: ShrinkCut;
}

export interface KeepRequest {
  readonly dir: string;
  readonly spec: string;
  readonly params: ParamRecord;
  readonly target: CheckTarget<unknown, unknown>;
  readonly strategy: FoundBy;
  readonly explore: Explore;
  readonly seed?: number;
  /** simulate: the length of the failing walk before fast-check shrank it. */
  readonly foundLength?: number;
  readonly module?: ModuleSource;
  /** Bounds shrinking's time (absent: only its replay budget bounds it). */
  readonly stop?: ShrinkStop;
}

/**
 * Shrinks and saves every violation, in order; returns the shrunk ones (to
 * show) and what was saved. Says on stderr what it is shrinking. A file that
 * cannot be written does not stop it: the failure is kept (NotSaved) so the
 * verdict, trace and statistics are still reported; `unsaved` gives the
 * error the command ends with after reporting.
 */
export function keepViolations(
  violations: readonly Violation<unknown>[],
  request: KeepRequest,
  deps: CounterexampleDeps & { readonly io: Io },
): { readonly shown: Violation<unknown>[]; readonly kept: Kept[] } {
  const shown: Violation<unknown>[] = [];
  const kept: Kept[] = [];
  for (const violation of violations) {
    const foundLength = request.foundLength ?? violation.trace.labels.length;
    deps.io.err(`shrinking the violation of ${violation.property} (${foundLength} steps)\n`);
    const shrunk = shrinkFound(request.target, violation, {
      strategy: request.strategy,
      explore: request.explore,
      ...(request.seed === undefined ? {} : { seed: request.seed }),
      ...(request.stop === undefined ? {} : { stop: request.stop }),
    });
    let saved: Saved | NotSaved;
    try {
      saved = saveCounterexample({ ...request, shrunk, foundLength }, deps);
    } catch (error) {
      if (!(error instanceof UserError)) throw error;
      saved = { status: 'failed', message: error.message };
    }
    shown.push(shrunk.violation);
    const cut = request.stop?.reason;
    kept.push({ property: violation.property, foundLength, shrunkLength: shrunk.shrunkLength, saved, ...(cut === undefined ? {} : { shrinkCut: cut }) });
  }
  return { shown, kept };
}

/** `Counterexamples` with one line per violation: found and shrunk lengths, the file. */
export function keptText(kept: readonly Kept[]): string {
  if (kept.length === 0) return '';
  const lines = kept.map((k) => `  ${k.property}: ${shrinkSentence(k.foundLength, k.shrunkLength)}${shrinkCutText(k.shrinkCut)}; ${savedSentence(k.saved)}`);
  return `Counterexample${kept.length === 1 ? '' : 's'}\n${lines.join('\n')}\n`;
}

export function keptJson(kept: readonly Kept[]): Record<string, unknown>[] {
  return kept.map((k) => ({
    property: k.property,
    foundLength: k.foundLength,
    shrunkLength: k.shrunkLength,
    ...(k.saved.status === 'failed' ? { saved: 'failed', error: k.saved.message } : { file: k.saved.path, saved: k.saved.status }),
    ...(k.shrinkCut === undefined ? {} : { shrinkCut: k.shrinkCut }),
  }));
}

/** The error a command ends with, after its report, when a counterexample could not be written; undefined when all were. */
export function unsaved(kept: readonly Kept[]): UserError | undefined {
  const failed = kept.find((k) => k.saved.status === 'failed');
  return failed === undefined || failed.saved.status !== 'failed' ? undefined : new UserError(failed.saved.message, ExitCode.usage);
}

/** ` (shrinking cut short by --timeout)`, or nothing when shrinking was done. */
export function shrinkCutText(cut: ShrinkCut | undefined): string {
  if (cut === undefined) return '';
  return cut === 'timeout' ? ' (shrinking cut short by --timeout)' : ' (shrinking cut short by the interruption)';
}
