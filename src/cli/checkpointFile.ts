/**
 * Checkpoint files of `rrcheck check --checkpoint`: a first line naming the
 * format, a second line holding a JSON header (what run the checkpoint is
 * of: spec, resolved parameters, spec module digest, rrcheck version,
 * strategy and bounds, and what it covers), then the engine's snapshot
 * bytes (engine/checkpoint.ts). `--resume` refuses, in one line, a
 * checkpoint of another run: the search it would continue is not this one.
 */
import { readFileSync, statSync } from 'node:fs';
import { ExitCode, UserError } from '../core/exitCodes.js';
import type { ParamRecord } from '../core/params.js';
import type { SnapshotSummary } from '../engine/index.js';
import { paramList } from './output.js';

const FIRST_LINE = 'rrcheck checkpoint 1\n';

/** What run a checkpoint is of: all of it must match for --resume. */
export interface CheckpointRun {
  readonly toolVersion: string;
  readonly spec: string;
  readonly params: ParamRecord;
  /** sha256 of the spec module (a user's spec), absent for a built-in spec. */
  readonly moduleDigest?: string;
  readonly strategy: 'bfs';
  readonly maxDepth: number | null;
  readonly maxStates: number | null;
  readonly continueAfterViolation: boolean;
}

export interface CheckpointHeader extends CheckpointRun {
  /** When it was written (ISO 8601). */
  readonly savedAt: string;
  readonly distinct: number;
  /** The level the resumed search expands first. */
  readonly depth: number;
  readonly queued: number;
}

/** The file's first two lines (the snapshot's bytes follow them). */
export function checkpointHead(run: CheckpointRun, summary: SnapshotSummary, savedAt: Date): Uint8Array {
  const header: CheckpointHeader = { ...run, savedAt: savedAt.toISOString(), distinct: summary.distinct, depth: summary.depth, queued: summary.queued };
  return new TextEncoder().encode(`${FIRST_LINE}${JSON.stringify(header)}\n`);
}

/** Reads a checkpoint file: its header, and the snapshot bytes. A file that is not one is a UserError (malformedFile). */
export function readCheckpoint(path: string): { header: CheckpointHeader; snapshot: Uint8Array } {
  const bad = (why: string) => new UserError(`--resume ${path}: ${why}`, ExitCode.malformedFile);
  let bytes: Buffer;
  try {
    if (!statSync(path).isFile()) throw bad('not a regular file');
    bytes = readFileSync(path);
  } catch (error) {
    if (error instanceof UserError) throw error;
    throw bad(`cannot be read: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  if (bytes.subarray(0, FIRST_LINE.length).toString('latin1') !== FIRST_LINE) throw bad('not an rrcheck checkpoint (its first line differs)');
  const end = bytes.indexOf(10, FIRST_LINE.length);
  if (end < 0) throw bad('the checkpoint is truncated');
  let header: CheckpointHeader;
  try {
    header = JSON.parse(bytes.subarray(FIRST_LINE.length, end).toString('utf8')) as CheckpointHeader;
  } catch {
    throw bad('its header is not JSON');
  }
  return { header, snapshot: bytes.subarray(end + 1) };
}

/** Throws a one-line UserError (usage) when the checkpoint at `path` is of another run than `run`. */
export function refuseOtherRun(path: string, header: CheckpointHeader, run: CheckpointRun): void {
  const differs = (what: string, saved: string, given: string) =>
    new UserError(`--resume ${path}: the checkpoint is of ${what} ${saved}, this run of ${given}; give the same spec, parameters and bounds`, ExitCode.usage);
  if (header.toolVersion !== run.toolVersion) {
    throw new UserError(`--resume ${path}: the checkpoint was written by rrcheck ${header.toolVersion}, this is rrcheck ${run.toolVersion}; run it with that version`, ExitCode.usage);
  }
  if (header.spec !== run.spec) throw differs('spec', header.spec, run.spec);
  if (JSON.stringify(header.params) !== JSON.stringify(run.params)) throw differs('parameters', paramList(header.params), paramList(run.params));
  if ((header.moduleDigest ?? 'none') !== (run.moduleDigest ?? 'none')) throw differs('spec module digest', header.moduleDigest ?? 'none', run.moduleDigest ?? 'none');
  if (header.strategy !== run.strategy) throw differs('strategy', header.strategy, run.strategy);
  const bound = (v: number | null) => (v === null ? 'none' : String(v));
  if (header.maxDepth !== run.maxDepth) throw differs('--max-depth', bound(header.maxDepth), bound(run.maxDepth));
  if (header.maxStates !== run.maxStates) throw differs('--max-states', bound(header.maxStates), bound(run.maxStates));
  if (header.continueAfterViolation !== run.continueAfterViolation) {
    throw differs('--continue', String(header.continueAfterViolation), String(run.continueAfterViolation));
  }
}
