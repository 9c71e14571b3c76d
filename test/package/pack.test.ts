/**
 * rrcheck as a library, the way a user gets it: `npm pack` of this package,
 * installed into a scratch project ("type": "module"), where a small user
 * spec written in TypeScript against `rrcheck`, `rrcheck/testing` and
 * `rrcheck/specs` is type-checked (NodeNext, strict, the declarations
 * themselves checked too) and run with node. Also: a deep import is refused by the exports map (for tsc
 * and for node), the tarball holds only what the package needs, and the
 * installed executable runs.
 *
 * The package is built into a scratch folder (tsconfig.build.json with another
 * outDir) and packed from there, so that other test files rebuilding dist/
 * meanwhile cannot hand `npm pack` a half-written file.
 *
 * Installing offline: `npm install` in a fresh project asks the registry for
 * packuments, which `npm ci` does not leave in the npm cache; the tarballs it
 * leaves there are enough for `npm ci` with a lockfile. So the scratch
 * project gets one, made from this repository's package-lock.json (rrcheck's
 * own dependencies at the versions tested here), and `npm ci --offline`
 * installs it. Where that fails (a cache without those tarballs), it falls
 * back to `npm install --prefer-offline` without the lockfile, which needs the
 * registry.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
const tsc = join(root, 'node_modules/.bin/tsc');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  name: string;
  version: string;
  license: string;
  bin: Record<string, string>;
  engines: Record<string, string>;
  dependencies: Record<string, string>;
};

interface LockEntry {
  readonly version: string;
  readonly dev?: boolean;
  readonly [field: string]: unknown;
}

/** The user's spec: a lock taken by testing it, then setting it, in two steps (so both processes get in). */
const MUTEX_TS = `import { StructuralHasher, type CheckTarget, type Model, type Property, type SpecDefinition } from 'rrcheck';

type Pc = 'idle' | 'tested' | 'critical';
export interface MutexState {
  readonly pcs: readonly Pc[];
  readonly locked: boolean;
}
type Step = { readonly pid: number; readonly to: Pc };

export function mutexModel(processes: number): Model<MutexState, Step> {
  const hasher = new StructuralHasher();
  return {
    init: () => [{ pcs: Array<Pc>(processes).fill('idle'), locked: false }],
    actions: (s) =>
      s.pcs.flatMap((pc, pid): Step[] => {
        if (pc === 'idle') return s.locked ? [] : [{ pid, to: 'tested' }];
        return [{ pid, to: pc === 'tested' ? 'critical' : 'idle' }];
      }),
    next: (s, a) => ({ pcs: s.pcs.map((pc, pid) => (pid === a.pid ? a.to : pc)), locked: a.to === 'critical' }),
    label: (a) => \`p\${a.pid} \${a.to === 'tested' ? 'test' : a.to === 'critical' ? 'enter' : 'leave'}\`,
    fingerprint: (s, out) => hasher.fingerprint(s, out),
  };
}

export const mutualExclusion: Property<MutexState> = {
  name: 'mutualExclusion',
  kind: 'always',
  category: 'safety',
  description: 'at most one process is in its critical section',
  holds: (s) => s.pcs.filter((pc) => pc === 'critical').length <= 1,
  explain: (s) => \`in the critical section: \${s.pcs.flatMap((pc, pid) => (pc === 'critical' ? [\`p\${pid}\`] : [])).join(', ')}\`,
};

export function mutexTarget(processes: number): CheckTarget<MutexState, Step> {
  return { model: mutexModel(processes), properties: [mutualExclusion], view: (s) => ({ ...Object.fromEntries(s.pcs.map((pc, pid) => [\`p\${pid}\`, pc])), locked: s.locked }) };
}

export const spec: SpecDefinition = {
  id: 'mutex',
  title: 'a lock taken by test, then set',
  summary: 'two steps where one is needed: both processes pass the test',
  params: [{ name: 'n', type: 'integer', description: 'processes', defaultValue: 2, min: 2, max: 4 }],
  build: (params) => mutexTarget(Number(params['n'])),
};
`;

/** The user's program: check the spec, replay and print its counterexample, test the model laws, look up a shipped spec. */
const MAIN_TS = `import { explore, formatViolation, replayLabels, resolveParams } from 'rrcheck';
import { checkModelLaws, ModelLawError } from 'rrcheck/testing';
import { defaultSpecId, findSpec } from 'rrcheck/specs';
import { mutexModel, mutexTarget, spec } from './mutex.js';

const target = spec.build(resolveParams(spec.params, { n: 2 }));
const result = explore(target, { strategy: 'bfs' });
const violation = result.status === 'violation' ? result.violations[0] : undefined;
const replay = violation === undefined ? undefined : replayLabels(target.model, violation.trace.labels, violation.trace.initIndex);

const model = mutexModel(2);
const laws = checkModelLaws(model);
let brokenLaw = '';
try {
  // A next() that writes into the state it was given.
  checkModelLaws({ ...model, next: (s, a) => { (s.pcs as string[])[a.pid] = a.to; return { ...s }; } });
} catch (e) {
  brokenLaw = e instanceof ModelLawError ? \`\${e.law}: \${e.action ?? ''}\` : String(e);
}

let deepImport = 'allowed';
try {
  await import('rrcheck/dist/src/engine/bfs.js' as string);
} catch (e) {
  deepImport = (e as { code?: string }).code ?? String(e);
}

console.log(JSON.stringify({
  status: result.status,
  distinct: result.stats.distinct,
  verdicts: result.properties.map((p) => \`\${p.name} \${p.status}\`),
  labels: violation?.trace.labels,
  replay: replay?.status,
  text: violation === undefined ? undefined : formatViolation(mutexTarget(2), violation).split('\\n'),
  laws,
  brokenLaw,
  deepImport,
  shippedSpec: findSpec(defaultSpecId)?.id,
}));
`;

/** Must not type-check: \`tsc\` fails on an unused @ts-expect-error, so this proves the deep import is refused. */
const DEEP_TS = `// @ts-expect-error rrcheck's exports map offers no deep imports
export { bfs } from 'rrcheck/dist/src/engine/bfs.js';
`;

/** A user's tsconfig: NodeNext, strict, and the library's declarations checked as well (no skipLibCheck). */
const TSCONFIG = {
  compilerOptions: {
    target: 'ES2023',
    lib: ['ES2023'],
    module: 'NodeNext',
    moduleResolution: 'NodeNext',
    strict: true,
    noUncheckedIndexedAccess: true,
    exactOptionalPropertyTypes: true,
    skipLibCheck: false,
    // This repository's @types/node (a Node program has it; one package fewer to install offline).
    typeRoots: [join(root, 'node_modules/@types')],
    types: ['node'],
    rootDir: 'src',
    outDir: 'dist',
  },
  include: ['src'],
};

/**
 * The scratch project's lockfile: the tarball, and rrcheck's runtime
 * dependencies as this repository's lockfile pins them, each with the
 * registry URL of its tarball (the cache key `npm ci` stored it under).
 */
function scratchLockfile(tarball: string): unknown {
  const lock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8')) as { packages: Record<string, LockEntry> };
  const packages: Record<string, unknown> = {
    '': { name: 'scratch', dependencies: { [pkg.name]: `file:${tarball}` } },
    [`node_modules/${pkg.name}`]: {
      version: pkg.version,
      resolved: `file:${tarball}`,
      license: pkg.license,
      dependencies: pkg.dependencies,
      bin: pkg.bin,
      engines: pkg.engines,
    },
  };
  for (const [path, entry] of Object.entries(lock.packages)) {
    if (path === '' || entry.dev === true) continue;
    const name = path.slice(path.lastIndexOf('node_modules/') + 'node_modules/'.length);
    const { dev: _dev, ...rest } = entry;
    packages[path] = { ...rest, resolved: `https://registry.npmjs.org/${name}/-/${name.split('/').pop()}-${entry.version}.tgz` };
  }
  return { name: 'scratch', lockfileVersion: 3, requires: true, packages };
}

function run(command: string, args: readonly string[], cwd: string): { status: number | null; out: string; err: string } {
  const r = spawnSync(command, args, { cwd, encoding: 'utf8', timeout: 60_000 });
  if (r.error !== undefined) throw r.error;
  return { status: r.status, out: r.stdout, err: r.stderr };
}

const temp = mkdtempSync(join(tmpdir(), 'rrcheck-pack-'));
const stage = join(temp, 'package');
const app = join(temp, 'scratch');
let packed: string[] = [];

beforeAll(() => {
  // The package as `npm pack` sees it: package.json, README, the gate matrix, a fresh build.
  for (const file of ['package.json', 'README.md', 'specs/gate.json']) {
    mkdirSync(dirname(join(stage, file)), { recursive: true });
    copyFileSync(join(root, file), join(stage, file));
  }
  if (existsSync(join(root, 'LICENSE'))) copyFileSync(join(root, 'LICENSE'), join(stage, 'LICENSE'));
  execFileSync(tsc, ['-p', join(root, 'tsconfig.build.json'), '--outDir', join(stage, 'dist')], { cwd: root, stdio: 'pipe' });
  const pack = run('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', temp], stage);
  expect(pack.status, pack.err).toBe(0);
  const [info] = JSON.parse(pack.out) as { filename: string; files: { path: string }[] }[];
  packed = info!.files.map((f) => f.path).sort();
  const tarball = join(temp, info!.filename);

  mkdirSync(join(app, 'src'), { recursive: true });
  writeFileSync(join(app, 'package.json'), `${JSON.stringify({ name: 'scratch', private: true, type: 'module', dependencies: { [pkg.name]: `file:${tarball}` } }, null, 2)}\n`);
  writeFileSync(join(app, 'package-lock.json'), `${JSON.stringify(scratchLockfile(tarball), null, 2)}\n`);
  writeFileSync(join(app, 'tsconfig.json'), `${JSON.stringify(TSCONFIG, null, 2)}\n`);
  writeFileSync(join(app, 'src/mutex.ts'), MUTEX_TS);
  writeFileSync(join(app, 'src/main.ts'), MAIN_TS);
  writeFileSync(join(app, 'src/deep.ts'), DEEP_TS);

  const offline = run('npm', ['ci', '--offline', '--no-audit', '--no-fund'], app);
  if (offline.status !== 0) {
    rmSync(join(app, 'package-lock.json'));
    const online = run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund'], app);
    expect(online.status, `npm ci --offline: ${offline.err}\nnpm install --prefer-offline: ${online.err}`).toBe(0);
  }
}, 120_000);

afterAll(() => {
  rmSync(temp, { recursive: true, force: true });
});

describe('the packed package', () => {
  it('holds the built library, its declarations, the specs and the executable, and nothing else', () => {
    for (const path of packed) {
      expect(path).toMatch(/^(package\.json|README\.md|LICENSE|specs\/gate\.json|dist\/(src|specs)\/.+\.(js|d\.ts))$/);
    }
    for (const entry of ['dist/src/index', 'dist/src/testing/index', 'dist/specs/index', 'dist/src/cli/main']) {
      expect(packed).toContain(`${entry}.js`);
      expect(packed).toContain(`${entry}.d.ts`);
    }
    expect(packed).toContain('specs/gate.json');
  });

  it('type-checks a user spec against rrcheck, rrcheck/testing and rrcheck/specs (NodeNext, strict), refusing a deep import', () => {
    const r = run(tsc, ['-p', 'tsconfig.json'], app);
    expect(r.out + r.err).toBe('');
    expect(r.status).toBe(0);
  });

  it('runs it: the violation, its replay and text, the model laws, a shipped spec, and node refusing the deep import', () => {
    const r = run(process.execPath, ['dist/main.js'], app);
    expect(r.err).toBe('');
    expect(r.status).toBe(0);
    expect(JSON.parse(r.out)).toEqual({
      status: 'violation',
      distinct: 9,
      verdicts: ['mutualExclusion violated'],
      labels: ['p0 test', 'p1 test', 'p0 enter', 'p1 enter'],
      replay: 'ok',
      text: [
        'Violation of mutualExclusion (safety): 4 steps',
        '  0. initial state',
        '  1. p0 test',
        '       p0: "idle" → "tested"',
        '  2. p1 test',
        '       p1: "idle" → "tested"',
        '  3. p0 enter',
        '       p0: "tested" → "critical"',
        '       locked: false → true',
        '  4. p1 enter',
        '       p1: "tested" → "critical"',
        '  Why: in the critical section: p0, p1',
        '',
      ],
      laws: { states: 13, transitions: 24 },
      brokenLaw: 'next pure: p0 test',
      deepImport: 'ERR_PACKAGE_PATH_NOT_EXPORTED',
      shippedSpec: 'nonblocking',
    });
  });

  it('installs the executable', () => {
    const r = run(join(app, 'node_modules/.bin/rrcheck'), ['--version'], app);
    expect(r.status).toBe(0);
    expect(r.out.trim()).toBe(pkg.version);
  });
});
