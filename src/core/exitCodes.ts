/**
 * The one table of process exit codes (TLC's ExitStatus is the model). The
 * README repeats it; cli/ maps outcomes to it and nothing else invents codes.
 */
export const ExitCode = {
  /** Every property holds and the search was complete. */
  ok: 0,
  /** Usage error: unknown flag or command, malformed flag value. */
  usage: 2,
  /** Bad spec or spec parameter: unknown spec or workload, n < 2, f > n… */
  badSpec: 3,
  /** A counterexample file that cannot be read, is not JSON, or is not of the expected shape; a parameter file (`--workload w.json`) that cannot be read. */
  malformedFile: 4,
  /** A counterexample file of a format version this rrcheck does not read. */
  unsupportedVersion: 5,
  /** Replay drift: a label of the file is not enabled in the current spec. */
  replayDrift: 6,
  /** A file expected to violate replays without the recorded violation. */
  notReproduced: 7,
  /**
   * The model breaks its contract: two enabled actions of one state share a
   * label, or a state holds a value that cannot be hashed by content (a
   * function, a class instance, a symbol, a cycle).
   */
  badModel: 8,
  /** A spec module (a spec argument that is a path, a gate entry's `module`, a counterexample file's recorded module) is not found. */
  moduleNotFound: 9,
  /** A spec module throws while it is imported, or its spec's build throws an error that is not a UserError. */
  moduleThrows: 10,
  /** A spec module exports no spec (neither a default export nor one named `spec`), or not of the SpecDefinition shape. */
  badModule: 11,
  /** A safety-type property (safety, restartBound, nonBlocking, alwaysNoOrphans) is violated. */
  safetyViolation: 12,
  /** The liveness property is violated. */
  livenessViolation: 13,
  /** No violation was found, but a bound stopped the search before it was complete. */
  incomplete: 14,
  /** `rrcheck gate`: some check's outcome differs from the matrix's expectation (or it stopped at a bound, or missed required coverage). */
  gateMismatch: 15,
  /** `rrcheck explore`: its server cannot listen on the port (in use, or not permitted). */
  cannotListen: 16,
  /** A bug in rrcheck itself. */
  internal: 255,
} as const;

/**
 * Codes a run can end with that are not an outcome of a command: the process
 * ended by a signal, as shells report it (128 + the signal's number). rrcheck
 * exits with `interrupted` or `terminated` itself at a second SIGINT or
 * SIGTERM (the first one stops the search, which then ends with its own
 * code, 14 when nothing was found); `aborted` is V8's native out-of-memory
 * abort (a heap limit reached before the `--memory` bound), `killed` the
 * kernel's out-of-memory killer or `kill -9`: no output of rrcheck's follows.
 */
export const SignalExitCode = {
  /** SIGINT (Ctrl-C) twice: exit at once. */
  interrupted: 130,
  /** SIGTERM twice: exit at once. */
  terminated: 143,
  /** SIGABRT: "FATAL ERROR: … JavaScript heap out of memory" on stderr. */
  aborted: 134,
  /** SIGKILL. */
  killed: 137,
} as const;

/** One of the codes of ExitCode. */
export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

/** An error a user can fix (bad flag, spec or parameter), carried to cli/ with its exit code. */
export class UserError extends Error {
  constructor(
    message: string,
    readonly exitCode: ExitCodeValue,
  ) {
    super(message);
    this.name = 'UserError';
  }
}

/**
 * Whether `error` is a UserError, also one thrown by another copy of rrcheck
 * (a spec module that imports its own installed rrcheck gets classes other
 * than the CLI's): the same name and a known exit code.
 */
export function isUserError(error: unknown): error is UserError {
  if (error instanceof UserError) return true;
  if (!(error instanceof Error) || error.name === 'Error') return false;
  const code = (error as { exitCode?: unknown }).exitCode;
  return (error.name === 'UserError' || error.name === 'ModelError') && (Object.values(ExitCode) as unknown[]).includes(code);
}

/**
 * A model that breaks the Model contract (core/model.ts), found while
 * exploring it: what is wrong is data (`kind`, and where), the message one
 * line for people.
 */
export class ModelError extends UserError {
  constructor(
    message: string,
    readonly kind: 'duplicate-label' | 'unhashable-value',
  ) {
    super(message, ExitCode.badModel);
    this.name = 'ModelError';
  }
}
