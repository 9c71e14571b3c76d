/**
 * The FBL specs as SpecDefinitions: parameters, validation and the builder
 * shared by the non-blocking algorithm, the baselines and the broken variants.
 */
import {
  ExitCode,
  Interner,
  SystemModel,
  UserError,
  setMembers,
  type CheckTarget,
  type InternerMemory,
  type ParamSchema,
  type ParamValue,
  type SpecDefinition,
} from '../../src/index.js';
import { FblProtocol } from './protocol.js';
import { Identities } from './identities.js';
import type { FblReductions, Variant } from './variant.js';
import { fblDiagram } from './diagram.js';
import { fblDescriber } from './describe.js';
import { fblCoverage } from './coverage.js';
import { fblTiming } from './timing.js';
import { fblCosts } from './costs.js';
import { fblProperties } from './properties.js';
import { itfViewer, viewer } from './view.js';
import { MAX_PROCESSES, type FblState } from './types.js';
import { findWorkload, STAR_WORKLOAD, starProgram, workloads, type Program, type Workload } from './workloads.js';
import { fblSymmetry, renamingOf, type FblSymmetry } from './symmetry.js';
import { MAX_RANDOM_MESSAGES, parseProgram, programText, randomProgram } from './userWorkloads.js';
import { switchParams, variantOf } from './switches.js';

/** The reductions an FBL check can apply, in the order `--reduce` lists them. */
export const REDUCTIONS = ['eager-drop', 'symmetry', 'partial-order'] as const;
/** The reductions in force without `--reduce`: symmetry is opt-in. */
export const DEFAULT_REDUCTIONS = 'eager-drop';

/** The `--workload` value that draws a program at random (`--workload-seed`, `--messages`). */
export const RANDOM_WORKLOAD = 'random';

/** The named workloads and `random`: the choices of `--workload` besides a program of one's own. */
const WORKLOAD_NAMES = [...workloads.map((w) => w.id), RANDOM_WORKLOAD, STAR_WORKLOAD];

/**
 * `--workload` beyond the names: a program as JSON text (what a workload file
 * holds; the CLI reads a `.json` file and passes its text), returned in its
 * canonical form, which is what a record keeps.
 */
export function parseWorkload(text: string): { value: string } | { why: string } {
  const trimmed = text.trim();
  if (!trimmed.startsWith('{')) {
    const file = /\.json$/i.test(trimmed) ? ' (a .json file is read by the command line only)' : '';
    return { why: `must be one of ${WORKLOAD_NAMES.join(', ')}, a .json workload file or a program as JSON text${file}` };
  }
  const parsed = parseProgram(trimmed);
  return 'why' in parsed ? parsed : { value: programText(parsed.program) };
}

const isRandom = (p: Readonly<Record<string, ParamValue>>) => p['workload'] === RANDOM_WORKLOAD;
/** The workloads whose size `--messages` sets: random and star. */
const takesMessages = (p: Readonly<Record<string, ParamValue>>) => p['workload'] === RANDOM_WORKLOAD || p['workload'] === STAR_WORKLOAD;

/** The process count a workload value fixes: a named workload's own, a program's; undefined for the others. */
function fixedNOf(workload: string): number | undefined {
  if (workload.startsWith('{')) {
    const parsed = parseProgram(workload);
    return 'program' in parsed ? parsed.program.length : undefined;
  }
  return findWorkload(workload)?.fixedN;
}

export const fblParams: readonly ParamSchema[] = [
  {
    name: 'workload',
    type: 'choice',
    description:
      'the application program (docs/protocol.md § Workloads): for each process, what it sends after its k-th delivery. chain, ring, sender-chain and the symmetric all-to-all and all-to-all-forward take any n, the others fix n; random draws one (--workload-seed, --messages); FILE.json reads one (README "Workloads of your own")',
    defaultValue: 'chain',
    choices: WORKLOAD_NAMES,
    parse: parseWorkload,
    fileExtensions: ['.json'],
  },
  {
    name: 'n',
    type: 'integer',
    description: "number of application processes (defaults to the workload's own n for the named workloads and the workload files)",
    defaultValue: (p) => fixedNOf(String(p['workload'])) ?? 3,
    min: 2,
    max: MAX_PROCESSES,
  },
  {
    name: 'workload-seed',
    type: 'integer',
    description: 'with --workload random: the seed of the drawn program (the same seed, n and budget draw the same program)',
    defaultValue: 1,
    min: 0,
    max: 0x7fffffff,
    appliesWhen: { holds: isRandom, text: 'workload=random' },
  },
  {
    name: 'messages',
    type: 'integer',
    description: 'with --workload random: how many messages the drawn program sends; with --workload star: how many messages p0 receives (and replays after a crash)',
    defaultValue: (p) => Number(p['n']) + 1,
    min: 1,
    max: MAX_RANDOM_MESSAGES,
    appliesWhen: { holds: takesMessages, text: 'workload=random or workload=star' },
  },
  { name: 'f', type: 'integer', description: 'FBL parameter: failures tolerated (determinants kept at f + 1 hosts)', defaultValue: 1, min: 1 },
  {
    name: 'crashes',
    type: 'integer',
    description: 'crash budget for the whole run (default f; f + 1 shows the bound is tight)',
    defaultValue: (p) => Number(p['f']),
    min: 0,
  },
  { name: 'network', type: 'choice', description: 'unordered (default) or FIFO per channel for application messages', defaultValue: 'unordered', choices: ['unordered', 'fifo'] },
  {
    name: 'stable-host',
    type: 'choice',
    description: 'with f = n, the never-failing stable-storage host S of the paper\'s §3.3 takes part (on); off leaves it out, as the reference implementations do',
    defaultValue: 'on',
    choices: ['on', 'off'],
  },
  {
    name: 'reading',
    type: 'choice',
    description:
      'brief: the numbered rules of docs/rules.md; reference: where the reference implementations read them otherwise (a restarted process keeps its incvector; a blocked process still discards duplicates and stale messages)',
    defaultValue: 'brief',
    choices: ['brief', 'reference'],
  },
  {
    name: 'reduce',
    type: 'set',
    description:
      'reductions: eager-drop removes a message whose consuming rule can never be enabled again in the step that made it so, without a drop step of its own; symmetry (opt-in, symmetric workloads only) counts a state and its renamings of the processes as one; partial-order (opt-in) takes a safe step alone once the crash budget is spent; none checks the rules literally',
    defaultValue: DEFAULT_REDUCTIONS,
    choices: REDUCTIONS,
  },
];

export interface FblTarget extends CheckTarget<FblState, unknown> {
  readonly protocol: FblProtocol;
  /** With `--reduce …,symmetry`: the renamings whose least fingerprint the model takes. */
  readonly symmetry?: FblSymmetry;
}

export interface BuildOptions {
  /** Freeze every produced state (tests of model laws); off by default for speed. */
  readonly autoFreeze?: boolean;
  /** Another target's `shared` (its interner's memory), to attach to. */
  readonly shared?: unknown;
}

/**
 * The workload a resolved `workload` value names: a named one, the random
 * program its seed and budget draw, or a program of one's own (JSON text).
 * The last two are not declared symmetric: `symmetric` holds only if the
 * program is checked to be invariant under every renaming.
 */
export function workloadOf(params: Readonly<Record<string, ParamValue>>): Workload {
  const value = String(params['workload']);
  const named = findWorkload(value);
  if (named !== undefined) return named;
  let program: Program;
  let id: string;
  if (value === STAR_WORKLOAD) {
    const n = Number(params['n']);
    const messages = Number(params['messages'] ?? n + 1);
    if (!Number.isInteger(n) || n < 2 || n > MAX_PROCESSES) throw new UserError(`bad parameter n=${params['n']}: must be an integer from 2 to ${MAX_PROCESSES}`, ExitCode.badSpec);
    if (!Number.isInteger(messages) || messages < 1 || messages > MAX_RANDOM_MESSAGES) {
      throw new UserError(`bad parameter messages=${params['messages']}: must be an integer from 1 to ${MAX_RANDOM_MESSAGES}`, ExitCode.badSpec);
    }
    program = starProgram(n, messages);
    id = `star (${messages} messages)`;
  } else if (value === RANDOM_WORKLOAD) {
    const n = Number(params['n']);
    const seed = Number(params['workload-seed'] ?? 1);
    const messages = Number(params['messages'] ?? n + 1);
    if (!Number.isInteger(n) || n < 2 || n > MAX_PROCESSES) throw new UserError(`bad parameter n=${params['n']}: must be an integer from 2 to ${MAX_PROCESSES}`, ExitCode.badSpec);
    if (!Number.isInteger(seed) || seed < 0 || seed > 0x7fffffff) throw new UserError(`bad parameter workload-seed=${params['workload-seed']}: must be an integer 0…${0x7fffffff}`, ExitCode.badSpec);
    if (!Number.isInteger(messages) || messages < 1 || messages > MAX_RANDOM_MESSAGES) {
      throw new UserError(`bad parameter messages=${params['messages']}: must be an integer from 1 to ${MAX_RANDOM_MESSAGES}`, ExitCode.badSpec);
    }
    program = randomProgram(n, messages, seed);
    id = `random (seed ${seed}, ${messages} messages)`;
  } else {
    const checked = parseWorkload(value);
    const parsed = parseProgram('why' in checked ? value : checked.value);
    if ('why' in checked || 'why' in parsed) throw new UserError(`bad parameter workload: ${'why' in checked ? checked.why : (parsed as { why: string }).why}`, ExitCode.badSpec);
    program = parsed.program;
    id = 'program';
  }
  const fixed = program;
  return {
    id,
    description: programText(fixed),
    fixedN: fixed.length,
    symmetric: fullySymmetric(fixed),
    program: () => fixed,
  };
}

/**
 * Whether a program is invariant under every renaming of its processes: under
 * the swap of p0 and p1 and the rotation p_i → p_(i+1), which generate them
 * all (invariance under two renamings is invariance under their composites).
 */
export function fullySymmetric(program: Program): boolean {
  const n = program.length;
  const swap = Array.from({ length: n }, (_, i) => (i === 0 ? 1 : i === 1 ? 0 : i));
  const rotation = Array.from({ length: n }, (_, i) => (i + 1) % n);
  return renamingOf(program, n, swap) !== undefined && renamingOf(program, n, rotation) !== undefined;
}

export function buildFbl(preset: Variant, params: Readonly<Record<string, ParamValue>>, options: BuildOptions = {}): FblTarget {
  const variant = variantOf(preset, params);
  const workload = workloadOf(params);
  const n = Number(params['n']);
  const f = Number(params['f']);
  const crashes = Number(params['crashes']);
  const network = String(params['network']);
  if (!Number.isInteger(n) || n < 2 || n > MAX_PROCESSES) throw new UserError(`bad parameter n=${params['n']}: must be an integer from 2 to ${MAX_PROCESSES}`, ExitCode.badSpec);
  const named = findWorkload(workload.id) !== undefined;
  if (workload.fixedN !== undefined && n !== workload.fixedN) {
    const which = named ? `workload ${workload.id}` : `the ${workload.id === 'program' ? 'given' : 'drawn'} program`;
    throw new UserError(`bad parameter n=${n}: ${which} has n = ${workload.fixedN}`, ExitCode.badSpec);
  }
  if (!named && workload.symmetric !== true && reduceMembers(params).includes('symmetry')) {
    // A program of one's own is checked, not declared: symmetric only if every renaming maps it to itself.
    throw new UserError(`--reduce symmetry: the ${workload.id === 'program' ? 'given' : 'drawn'} program changes under some renaming of the processes (the swap of p0 and p1, or p_i → p_(i+1)), so symmetry does not apply`, ExitCode.badSpec);
  }
  if (!Number.isInteger(f) || f < 1 || f > n) throw new UserError(`bad parameter f=${params['f']}: must be an integer from 1 to n (${n})`, ExitCode.badSpec);
  if (!Number.isInteger(crashes) || crashes < 0) throw new UserError(`bad parameter crashes=${params['crashes']}: must be an integer ≥ 0`, ExitCode.badSpec);
  if (network !== 'unordered' && network !== 'fifo') throw new UserError(`bad parameter network=${network}: must be unordered or fifo`, ExitCode.badSpec);
  const reduce = reduceMembers(params);
  const reductions: FblReductions = {
    eagerDrop: reduce.includes('eager-drop'),
    symmetry: reduce.includes('symmetry'),
    partialOrder: reduce.includes('partial-order'),
  };
  if (reductions.symmetry && reductions.partialOrder) {
    throw new UserError('bad parameter reduce: symmetry and partial-order cannot be combined (the safe steps are chosen in process order, which renaming does not preserve)', ExitCode.badSpec);
  }
  const reading = (params['reading'] ?? 'brief') === 'reference' ? 'reference' : 'brief';
  const stableHost = (params['stable-host'] ?? 'on') === 'on';
  const interner = new Interner(options.shared as InternerMemory | undefined);
  const ids = new Identities(interner);
  const config = { n, f, crashBudget: crashes, network, program: workload.program(n), variant, reductions, reading, stableHost } as const;
  const protocol = new FblProtocol(config, ids);
  const symmetry = fblSymmetry(config, workload, ids, interner);
  const model = new SystemModel(protocol, {
    autoFreeze: options.autoFreeze ?? false,
    describe: fblDescriber(protocol),
    ...(symmetry === undefined ? {} : { images: (s: FblState) => symmetry.images(s) }),
  });
  return {
    protocol,
    model: model as unknown as FblTarget['model'],
    shared: interner.memory(),
    properties: fblProperties({ n, f, ids, stableHost: protocol.hasStableHost }),
    view: viewer(n, ids) as (s: FblState) => unknown,
    itfView: itfViewer(n, ids),
    coverage: fblCoverage(protocol),
    timing: (parameters) => fblTiming(protocol, model as unknown as Parameters<typeof fblTiming>[1], parameters) as unknown as ReturnType<NonNullable<FblTarget['timing']>>,
    costs: fblCosts(protocol),
    diagram: fblDiagram(protocol, ids),
    ...(symmetry === undefined ? {} : { symmetry }),
  };
}

function reduceMembers(params: Readonly<Record<string, ParamValue>>): readonly string[] {
  return setMembers(params['reduce'] ?? DEFAULT_REDUCTIONS);
}

export interface SpecOptions {
  /** The crash budget's default is f plus this (0: f). */
  readonly crashesAboveF?: number;
}

export function fblSpec(variant: Variant, title: string, summary: string, options: SpecOptions = {}): SpecDefinition {
  const above = options.crashesAboveF ?? 0;
  const common =
    above === 0
      ? fblParams
      : fblParams.map((p) =>
          p.name === 'crashes'
            ? { ...p, description: `crash budget for the whole run (default f + ${above})`, defaultValue: (q: Readonly<Record<string, ParamValue>>) => Number(q['f']) + above }
            : p,
        );
  // The variant's switches follow, each defaulting to this preset's setting.
  const params = [...common, ...switchParams(variant)];
  return {
    id: variant.id,
    title,
    summary,
    params,
    build: (params, context) => buildFbl(variant, params, context?.shared === undefined ? {} : { shared: context.shared }) as unknown as CheckTarget<unknown, unknown>,
  };
}
