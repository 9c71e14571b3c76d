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
import { fblCoverage } from './coverage.js';
import { fblProperties } from './properties.js';
import { viewer } from './view.js';
import { MAX_PROCESSES, type FblState } from './types.js';
import { findWorkload, workloads } from './workloads.js';
import { fblSymmetry, type FblSymmetry } from './symmetry.js';

/** The reductions an FBL check can apply, in the order `--reduce` lists them. */
export const REDUCTIONS = ['eager-drop', 'symmetry', 'partial-order'] as const;
/** The reductions in force without `--reduce`: symmetry is opt-in. */
export const DEFAULT_REDUCTIONS = 'eager-drop';

export const fblParams: readonly ParamSchema[] = [
  {
    name: 'workload',
    type: 'choice',
    description: 'the application program (docs/protocol.md § Workloads); chain, ring, sender-chain and the symmetric all-to-all and all-to-all-forward take any n, the named ones fix n',
    defaultValue: 'chain',
    choices: workloads.map((w) => w.id),
  },
  {
    name: 'n',
    type: 'integer',
    description: 'number of application processes (defaults to the workload\'s own n for the named workloads)',
    defaultValue: (p) => findWorkload(String(p['workload']))?.fixedN ?? 3,
    min: 2,
    max: MAX_PROCESSES,
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

export function buildFbl(variant: Variant, params: Readonly<Record<string, ParamValue>>, options: BuildOptions = {}): FblTarget {
  const workloadId = String(params['workload']);
  const workload = findWorkload(workloadId);
  if (!workload) throw new UserError(`unknown workload '${workloadId}' (known: ${workloads.map((w) => w.id).join(', ')})`, ExitCode.badSpec);
  const n = Number(params['n']);
  const f = Number(params['f']);
  const crashes = Number(params['crashes']);
  const network = String(params['network']);
  if (!Number.isInteger(n) || n < 2 || n > MAX_PROCESSES) throw new UserError(`bad parameter n=${params['n']}: must be an integer from 2 to ${MAX_PROCESSES}`, ExitCode.badSpec);
  if (workload.fixedN !== undefined && n !== workload.fixedN) {
    throw new UserError(`bad parameter n=${n}: workload ${workload.id} has n = ${workload.fixedN}`, ExitCode.badSpec);
  }
  if (!Number.isInteger(f) || f < 1 || f > n) throw new UserError(`bad parameter f=${params['f']}: must be an integer from 1 to n (${n})`, ExitCode.badSpec);
  if (!Number.isInteger(crashes) || crashes < 0) throw new UserError(`bad parameter crashes=${params['crashes']}: must be an integer ≥ 0`, ExitCode.badSpec);
  if (network !== 'unordered' && network !== 'fifo') throw new UserError(`bad parameter network=${network}: must be unordered or fifo`, ExitCode.badSpec);
  const reduce = setMembers(params['reduce'] ?? DEFAULT_REDUCTIONS);
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
    ...(symmetry === undefined ? {} : { images: (s: FblState) => symmetry.images(s) }),
  });
  return {
    protocol,
    model: model as unknown as FblTarget['model'],
    shared: interner.memory(),
    properties: fblProperties({ n, f, ids, stableHost: protocol.hasStableHost }),
    view: viewer(n, ids) as (s: FblState) => unknown,
    coverage: fblCoverage(protocol),
    diagram: fblDiagram(protocol, ids),
    ...(symmetry === undefined ? {} : { symmetry }),
  };
}

export interface SpecOptions {
  /** The crash budget's default is f plus this (0: f). */
  readonly crashesAboveF?: number;
}

export function fblSpec(variant: Variant, title: string, summary: string, options: SpecOptions = {}): SpecDefinition {
  const above = options.crashesAboveF ?? 0;
  const params =
    above === 0
      ? fblParams
      : fblParams.map((p) =>
          p.name === 'crashes'
            ? { ...p, description: `crash budget for the whole run (default f + ${above})`, defaultValue: (q: Readonly<Record<string, ParamValue>>) => Number(q['f']) + above }
            : p,
        );
  return {
    id: variant.id,
    title,
    summary,
    params,
    build: (params, context) => buildFbl(variant, params, context?.shared === undefined ? {} : { shared: context.shared }) as unknown as CheckTarget<unknown, unknown>,
  };
}
