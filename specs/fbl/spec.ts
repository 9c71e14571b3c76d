/**
 * The FBL specs as SpecDefinitions: parameters, validation and the builder
 * shared by the non-blocking algorithm, the baselines and the broken variants.
 */
import {
  ExitCode,
  Interner,
  SystemModel,
  UserError,
  type CheckTarget,
  type ParamSchema,
  type ParamValue,
  type SpecDefinition,
} from '../../src/index.js';
import { FblProtocol } from './protocol.js';
import { Identities } from './identities.js';
import type { Variant } from './variant.js';
import { fblDiagram } from './diagram.js';
import { fblCoverage } from './coverage.js';
import { fblProperties } from './properties.js';
import { viewer } from './view.js';
import { MAX_PROCESSES, type FblState } from './types.js';
import { findWorkload, workloads } from './workloads.js';

export const fblParams: readonly ParamSchema[] = [
  {
    name: 'workload',
    type: 'choice',
    description: 'the application program (brief §8.1); chain and ring take any n, the named ones fix n',
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
];

export interface FblTarget extends CheckTarget<FblState, unknown> {
  readonly protocol: FblProtocol;
}

export interface BuildOptions {
  /** Freeze every produced state (tests of model laws); off by default for speed. */
  readonly autoFreeze?: boolean;
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
  const ids = new Identities(new Interner());
  const protocol = new FblProtocol({ n, f, crashBudget: crashes, network, program: workload.program(n), variant }, ids);
  const model = new SystemModel(protocol, { autoFreeze: options.autoFreeze ?? false });
  return {
    protocol,
    model: model as unknown as FblTarget['model'],
    properties: fblProperties({ n, f, ids }),
    view: viewer(n, ids) as (s: FblState) => unknown,
    coverage: fblCoverage(protocol),
    diagram: fblDiagram(protocol, ids),
  };
}

export function fblSpec(variant: Variant, title: string, summary: string): SpecDefinition {
  return {
    id: variant.id,
    title,
    summary,
    params: fblParams,
    build: (params) => buildFbl(variant, params) as unknown as CheckTarget<unknown, unknown>,
  };
}
