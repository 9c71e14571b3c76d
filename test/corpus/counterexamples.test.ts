/**
 * The regression corpus: every file in counterexamples/ is replayed, strictly,
 * against the current specs, and must give the verdict it records — the
 * recorded property violated at its last step (`violates`), or not violated
 * along the whole trace (`fixed`) — and `rrcheck replay` must exit with the
 * matching code. A change of semantics that breaks one shows up here, named
 * by file.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { defaultSpecId, specRegistry } from '../../specs/index.js';
import { runCli } from '../../src/cli/cli.js';
import { ExitCode, explore, resolveParams } from '../../src/index.js';
import { counterexampleFileName, decodeCounterexample, judgeLabels } from '../../src/trace/index.js';

const dir = fileURLToPath(new URL('../../counterexamples/', import.meta.url));
const names = readdirSync(dir)
  .filter((name) => name.endsWith('.itf.json'))
  .sort();

describe('counterexamples/', () => {
  it('holds a counterexample for every broken variant (a spec titled "broken: …") and for the baselines', () => {
    const specs = new Set(names.map((name) => name.split('-').slice(0, -2).join('-')));
    const broken = specRegistry.filter((s) => s.title.startsWith('broken')).map((s) => s.id);
    expect(broken).toEqual(expect.arrayContaining(['naive', 'no-restart', 'f-hosts', 'unordered-replay', 'early-replay']));
    for (const id of [...broken, 'blocking', 'manetho']) expect(specs, id).toContain(id);
  });

  describe.each(names)('%s', (name) => {
    const path = `${dir}${name}`;
    const decoded = decodeCounterexample(readFileSync(path, 'utf8'));

    it('decodes, and is named after its own content', () => {
      expect(decoded.status).toBe('ok');
      if (decoded.status !== 'ok') return;
      expect(name).toBe(counterexampleFileName(decoded.file.meta));
      expect(decoded.file.meta.shrunkLength).toBe(decoded.file.meta.labels.length);
      expect(decoded.file.meta.shrunkLength).toBeLessThanOrEqual(decoded.file.meta.foundLength);
      expect(decoded.file.states).toHaveLength(decoded.file.meta.labels.length + 1);
    });

    it('replays strictly to its recorded verdict', () => {
      if (decoded.status !== 'ok') throw new Error(decoded.message);
      const { meta } = decoded.file;
      const spec = specRegistry.find((s) => s.id === meta.spec);
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

    it('rrcheck replay exits with the verdict\'s code', () => {
      if (decoded.status !== 'ok') throw new Error(decoded.message);
      const { meta } = decoded.file;
      const io = { out: () => undefined, err: () => undefined };
      const code = runCli(['replay', path], { registry: specRegistry, defaultSpec: defaultSpecId, explore: (t, o) => explore(t, o), io, version: 'test' });
      const violated = meta.category === 'safety' ? ExitCode.safetyViolation : ExitCode.livenessViolation;
      expect(code).toBe(meta.expected === 'violates' ? violated : ExitCode.ok);
    });
  });
});
