/**
 * The regression corpus: every file in counterexamples/ (rrcheck's own
 * specs) and in test/corpus/modules/ (the repository's example spec modules)
 * is replayed, strictly, against the current specs, and must give the
 * verdict it records — the recorded property violated at its last step
 * (`violates`), or not violated along the whole trace (`fixed`) — and
 * `rrcheck replay` must exit with the matching code. A file that records a
 * spec module is replayed against that module, found from the file's
 * folder as `rrcheck replay` finds it. A change of semantics that breaks one
 * shows up here, named by file.
 *
 * Module files stay out of counterexamples/: that folder is the corpus of
 * the default gate matrix (specs/gate.json), which checks rrcheck's own
 * specs, and its files need no module beside them. The one in modules/ was
 * written by `rrcheck check examples/two-phase-commit.mjs --bug early --out
 * test/corpus/modules` from the repository's root; after a change of the
 * example, write it again so that its recorded digest is the example's.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { defaultSpecId, specRegistry } from '../../specs/index.js';
import { runCli } from '../../src/cli/cli.js';
import { recordedModule } from '../../src/cli/specModule.js';
import { ExitCode, explore, resolveParams, type SpecDefinition } from '../../src/index.js';
import { type CounterexampleMeta, counterexampleFileName, decodeCounterexample, judgeLabels } from '../../src/trace/index.js';

const dir = fileURLToPath(new URL('../../counterexamples/', import.meta.url));
const modulesDir = fileURLToPath(new URL('./modules/', import.meta.url));
const itfFiles = (folder: string) =>
  readdirSync(folder)
    .filter((name) => name.endsWith('.itf.json'))
    .sort();
const names = itfFiles(dir);
const files = [...names.map((name) => ({ name, path: `${dir}${name}` })), ...itfFiles(modulesDir).map((name) => ({ name: `modules/${name}`, path: `${modulesDir}${name}` }))];

const root = fileURLToPath(new URL('../..', import.meta.url));

// An example module imports the package rrcheck, which is this repository's dist/: build it.
beforeAll(() => {
  execFileSync(`${root}node_modules/.bin/tsc`, ['-p', 'tsconfig.build.json'], { cwd: root, stdio: 'pipe' });
}, 120_000);

/** The specs a file is replayed against: its recorded module's (which must not have changed since), else rrcheck's own. */
async function specsOf(meta: CounterexampleMeta, path: string): Promise<readonly SpecDefinition[]> {
  if (meta.module === undefined) return specRegistry;
  const { module, warning } = await recordedModule(meta.module, path);
  expect(warning, 'write the file again (see the comment at the top)').toBeUndefined();
  return module.specs;
}

describe('counterexamples/', () => {
  it('holds a counterexample for every broken variant (a spec titled "broken: …") and for the baselines', () => {
    const specs = new Set(names.map((name) => name.split('-').slice(0, -2).join('-')));
    const broken = specRegistry.filter((s) => s.title.startsWith('broken')).map((s) => s.id);
    expect(broken).toEqual(expect.arrayContaining(['naive', 'no-restart', 'f-hosts', 'unordered-replay', 'early-replay']));
    for (const id of [...broken, 'blocking', 'manetho']) expect(specs, id).toContain(id);
  });

  it('holds a file that records a spec module: the two-phase-commit example', () => {
    expect(files.map((f) => f.name)).toContain('modules/two-phase-commit-TCConsistent-8b738a1b.itf.json');
  });

  describe.each(files)('$name', ({ name, path }) => {
    const decoded = decodeCounterexample(readFileSync(path, 'utf8'));

    it('decodes, and is named after its own content', () => {
      expect(decoded.status).toBe('ok');
      if (decoded.status !== 'ok') return;
      expect(name.replace(/^modules\//, '')).toBe(counterexampleFileName(decoded.file.meta));
      expect(decoded.file.meta.shrunkLength).toBe(decoded.file.meta.labels.length);
      expect(decoded.file.meta.shrunkLength).toBeLessThanOrEqual(decoded.file.meta.foundLength);
      expect(decoded.file.states).toHaveLength(decoded.file.meta.labels.length + 1);
    });

    it('replays strictly to its recorded verdict', async () => {
      if (decoded.status !== 'ok') throw new Error(decoded.message);
      const { meta } = decoded.file;
      const spec = (await specsOf(meta, path)).find((s) => s.id === meta.spec);
      expect(spec, `spec ${meta.spec}`).toBeDefined();
      const target = spec!.build(resolveParams(spec!.params, meta.params, spec!.id));
      const property = target.properties.find((p) => p.name === meta.property);
      expect(property, `property ${meta.property}`).toBeDefined();
      expect(property!.category).toBe(meta.category);
      const judged = judgeLabels(target.model, property!, meta.labels, { lenient: false, initIndex: meta.initIndex });
      expect(judged.status === 'drift' ? `drift at step ${judged.step + 1}: ${judged.label}` : judged.status).toBe(
        meta.expected === 'violates' ? 'violated' : 'holds',
      );
      if (judged.status === 'drift') return;
      // A violation recorded at the last step is still there, not earlier.
      expect(judged.trace.labels).toEqual(meta.labels);
      expect(judged.trace.loopStart).toBe(meta.loopStart);
    });

    it('rrcheck replay exits with the verdict\'s code', async () => {
      if (decoded.status !== 'ok') throw new Error(decoded.message);
      const { meta } = decoded.file;
      const io = { out: () => undefined, err: () => undefined };
      // A promise when the file records a module (runCli loads it first).
      const code = await runCli(['replay', path], { registry: specRegistry, defaultSpec: defaultSpecId, explore: (t, o) => explore(t, o), io, version: 'test' });
      const violated = meta.category === 'safety' ? ExitCode.safetyViolation : ExitCode.livenessViolation;
      expect(code).toBe(meta.expected === 'violates' ? violated : ExitCode.ok);
    });
  });
});
