/**
 * `rrcheck list [spec]`: every spec (of the registry, or of a spec module)
 * with its title, summary and parameters (type, limits, default), as text
 * or as one JSON object.
 */
import { ExitCode, type ExitCodeValue } from '../../core/exitCodes.js';
import { defaultParams } from '../../core/params.js';
import type { ParamSchema, SpecDefinition } from '../../core/spec.js';
import { columns, type Io } from '../output.js';
import type { SpecModule } from '../specModule.js';

export interface ListDeps {
  readonly registry: readonly SpecDefinition[];
  readonly defaultSpec: string;
  readonly io: Io;
}

/** "integer ≥ 2", "integer 0…5", "chain | ring | pingpong". */
export function limitsOf(p: ParamSchema): string {
  if (p.type === 'choice') {
    // A parameter that may also be given as a file names it.
    const files = p.parse === undefined ? [] : (p.fileExtensions ?? []).map((ext) => `FILE${ext}`);
    return [...(p.choices ?? []), ...files].join(' | ');
  }
  if (p.type === 'set') return `none or a comma-separated list of ${(p.choices ?? []).join(', ')}`;
  if (p.min !== undefined && p.max !== undefined) return `integer ${p.min}…${p.max}`;
  if (p.min !== undefined) return `integer ≥ ${p.min}`;
  if (p.max !== undefined) return `integer ≤ ${p.max}`;
  return 'integer';
}

/** "default 3", or "default 1 (computed)" for a default that depends on other parameters. */
function defaultText(p: ParamSchema, defaults: Readonly<Record<string, unknown>>): string {
  const value = String(defaults[p.name]);
  return typeof p.defaultValue === 'function' ? `default ${value} (computed)` : `default ${value}`;
}

/**
 * A spec's switches (parameters recorded only when they depart from their
 * default) in one line, as the default spec's with the values that differ,
 * when the default spec has the same switches: "as nonblocking, except
 * blocking=on". Undefined when they cannot be put so (then each is listed).
 */
function switchesLine(spec: SpecDefinition, main: SpecDefinition | undefined): string | undefined {
  const switches = spec.params.filter((p) => p.recordDefault === false);
  if (main === undefined || main === spec || switches.length === 0) return undefined;
  const mainSwitches = main.params.filter((p) => p.recordDefault === false);
  const same = (a: ParamSchema, b: ParamSchema | undefined) => b !== undefined && a.description === b.description && limitsOf(a) === limitsOf(b);
  if (switches.length !== mainSwitches.length || !switches.every((p) => same(p, mainSwitches.find((q) => q.name === p.name)))) return undefined;
  const mine = defaultParams(spec.params);
  const theirs = defaultParams(main.params);
  const differ = switches.filter((p) => mine[p.name] !== theirs[p.name]).map((p) => `${p.name}=${String(mine[p.name])}`);
  return `    switches: as ${main.id}${differ.length === 0 ? '' : `, except ${differ.join(' ')}`}`;
}

export function listText(registry: readonly SpecDefinition[], defaultSpec: string, module?: SpecModule): string {
  const main = registry.find((s) => s.id === defaultSpec);
  const blocks = registry.map((spec) => {
    const defaults = defaultParams(spec.params);
    const mark = spec.id === defaultSpec ? ' (default)' : '';
    const switches = switchesLine(spec, main);
    const shown = switches === undefined ? spec.params : spec.params.filter((p) => p.recordDefault !== false);
    const rows = shown.map((p) => [`    --${p.name}`, `${limitsOf(p)}, ${defaultText(p, defaults)}`]);
    const width = Math.max(0, ...rows.map((r) => r[0]!.length)) + 2;
    const lines = columns(rows).map((line, i) => `${line}\n${' '.repeat(width)}${shown[i]!.description}`);
    if (switches !== undefined) lines.push(switches);
    const params = lines.length === 0 ? '    (no parameters)' : lines.join('\n');
    return `${spec.id}${mark} — ${spec.title}\n  ${spec.summary}\n  parameters:\n${params}\n`;
  });
  const run = module === undefined ? '<spec>' : registry.length === 1 ? module.given : `${module.given}#<id>`;
  const computed = registry.some((spec) => spec.params.some((p) => typeof p.defaultValue === 'function'));
  const footer =
    (computed ? '(computed): the default depends on the parameters before it; shown here for their defaults.\n' : '') +
    (registry.some((spec) => spec.params.some((p) => p.recordDefault === false))
      ? 'switches: each can be set on any spec (--<switch> <value>); a record names only those that depart from the spec.\n'
      : '') +
    `Run one with: rrcheck check ${run} [--<parameter> <value>…]\n`;
  const head = module === undefined ? '' : `spec module ${module.given} (sha256 ${module.digest})\n\n`;
  return `${head}${blocks.join('\n')}\n${footer}`;
}

export function listJson(registry: readonly SpecDefinition[], defaultSpec: string, module?: SpecModule): unknown {
  return {
    ...(module === undefined ? {} : { module: { path: module.given, digest: module.digest } }),
    defaultSpec,
    specs: registry.map((spec) => {
      const defaults = defaultParams(spec.params);
      return {
        id: spec.id,
        title: spec.title,
        summary: spec.summary,
        params: spec.params.map((p) => ({
          name: p.name,
          type: p.type,
          description: p.description,
          default: defaults[p.name],
          computedDefault: typeof p.defaultValue === 'function',
          ...(p.min === undefined ? {} : { min: p.min }),
          ...(p.max === undefined ? {} : { max: p.max }),
          ...(p.choices === undefined ? {} : { choices: p.choices }),
          ...(p.fileExtensions === undefined ? {} : { fileExtensions: p.fileExtensions }),
          ...(p.appliesWhen === undefined ? {} : { appliesWith: p.appliesWhen.text }),
          ...(p.recordDefault === false ? { recordedWhenChanged: true } : {}),
        })),
      };
    }),
  };
}

export function runList(args: { readonly json: boolean; readonly module?: SpecModule }, deps: ListDeps): ExitCodeValue {
  deps.io.out(
    args.json
      ? `${JSON.stringify(listJson(deps.registry, deps.defaultSpec, args.module))}\n`
      : listText(deps.registry, deps.defaultSpec, args.module),
  );
  return ExitCode.ok;
}
