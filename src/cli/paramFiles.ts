/**
 * Parameters given as files (`--workload w.json`): a value ending in one of
 * a parameter's `fileExtensions` names a file, which is read here (the
 * commands' only reading of a parameter file) and handed to the parameter's
 * own `parse`; the value passed on is the parsed, self-contained one, so
 * what a run records replays without the file.
 *
 * Errors, each one line: a file that cannot be read exits with
 * malformedFile (4); a file that is read but is not a valid value exits
 * with badSpec (3), naming the file and the place of the mistake.
 */
import { ExitCode, UserError } from '../core/exitCodes.js';
import type { ParamSchema, ParamValue } from '../core/spec.js';
import { type FileAccess, nodeFiles } from './counterexamples.js';

/** `given` with every file-valued parameter replaced by its file's parsed value. */
export function readParamFiles(
  schema: readonly ParamSchema[],
  given: Readonly<Record<string, ParamValue | undefined>>,
  files: FileAccess = nodeFiles,
): Readonly<Record<string, ParamValue | undefined>> {
  const out: Record<string, ParamValue | undefined> = { ...given };
  for (const p of schema) {
    const raw = given[p.name];
    if (typeof raw !== 'string' || p.parse === undefined || p.fileExtensions === undefined) continue;
    const path = raw.trim();
    if (p.choices?.includes(path) || !p.fileExtensions.some((ext) => path.toLowerCase().endsWith(ext.toLowerCase()))) continue;
    let text: string;
    try {
      text = files.readText(path);
    } catch (error) {
      throw new UserError(`cannot read ${p.name} file ${path}: ${error instanceof Error ? error.message : String(error)}`, ExitCode.malformedFile);
    }
    const parsed = p.parse(text);
    if ('why' in parsed) throw new UserError(`${p.name} file ${path}: ${parsed.why}`, ExitCode.badSpec);
    out[p.name] = parsed.value;
  }
  return out;
}
