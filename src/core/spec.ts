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
 * - choice: one of `choices` (or, with `parse`, a value it accepts);
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
  /**
   * A choice parameter may also take values beyond `choices` (a workload's
   * program as JSON text): `parse` checks one and returns its canonical,
   * self-contained form (what the resolved record keeps, so a record replays
   * without any file), or why it is wrong, naming the place of the mistake.
   * Pure: the same text always gives the same answer.
   */
  readonly parse?: (text: string) => { readonly value: ParamValue } | { readonly why: string };
  /**
   * With `parse`: a given value ending in one of these extensions (".json")
   * names a file; the CLI reads it and gives its text to `parse` (I/O stays
   * in the CLI; the record keeps the parsed value, not the path).
   */
  readonly fileExtensions?: readonly string[];
  /**
   * A parameter that only means something when others have certain values
   * (a random workload's seed): when `holds` is false for the parameters
   * before it, the resolved record leaves it out, and giving it is refused
   * with "applies only with `text`".
   */
  readonly appliesWhen?: { readonly holds: (before: Readonly<Record<string, ParamValue>>) => boolean; readonly text: string };
  /**
   * false: the resolved record leaves the parameter out while it has its
   * default (a switch whose default is the spec's own setting). The record
   * then names only what departs from the spec, and records written before
   * the parameter existed read the same as new ones. `build` must apply the
   * default to a missing value. Default true.
   */
  readonly recordDefault?: boolean;
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
