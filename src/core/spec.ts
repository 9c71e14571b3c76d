/**
 * What a spec module offers the CLI and the tests: an id, its parameters with
 * defaults and limits (so `rrcheck list` can print them and bad values get a
 * one-line error), and a builder from parameter values to a check target.
 */
import type { CheckTarget } from './model.js';

/** A parameter's value: an integer, or the text of a choice or set parameter. */
export type ParamValue = number | string;

/**
 * - integer: a whole number within min…max;
 * - choice: one of `choices`;
 * - set: a comma-separated subset of `choices`, or `none` for the empty set;
 *   resolved to its canonical form (the members in `choices` order, or `none`).
 */
export interface ParamSchema {
  readonly name: string;
  readonly type: 'integer' | 'choice' | 'set';
  readonly description: string;
  /** A default may depend on other parameters (e.g. crashes defaults to f). */
  readonly defaultValue: ParamValue | ((params: Readonly<Record<string, ParamValue>>) => ParamValue);
  readonly min?: number;
  readonly max?: number;
  readonly choices?: readonly string[];
}

/** A spec module's offer: its command-line id, descriptions, parameter schema and the builder of its check target. */
export interface SpecDefinition {
  /** kebab-case, as typed on the command line. */
  readonly id: string;
  readonly title: string;
  readonly summary: string;
  readonly params: readonly ParamSchema[];
  /**
   * Builds the check target. Throws UserError (exit code badSpec) for
   * parameter combinations the schema cannot express (f > n…).
   */
  build(params: Readonly<Record<string, ParamValue>>, context?: BuildContext): CheckTarget<unknown, unknown>;
}

/** What a build may be given besides parameters. */
export interface BuildContext {
  /**
   * The `shared` memory of a target built before from the same parameters
   * (in another thread): the new target must attach to it, so that both
   * build equal states the same way (a parallel search's workers do this).
   */
  readonly shared?: unknown;
}
