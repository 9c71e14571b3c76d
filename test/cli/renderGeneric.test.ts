/**
 * `rrcheck render` of a counterexample of a user's spec module that draws no
 * diagram of its own: `check` saves the file (recording the module), and
 * `render` draws the generic diagram from the module's step descriptions
 * and its finding, as text (pinned), SVG (well-formed, the finding's
 * subjects highlighted with their roles) and Mermaid; a module whose
 * `processes` is not a list of names, or whose `describe` names a process
 * by anything but a string, is refused in one line.
 */
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/cli.js';
import { ExitCode, explore } from '../../src/index.js';
import { xmlProblems } from '../trace/xml.js';

/**
 * Request and acknowledgement: p sends req to q, q answers ack, q may crash.
 * `safeAfterReq` fails when q crashes after reading req; its finding names q
 * (crashed) and p (pending: ack unread). No import (it hashes states itself)
 * and no `diagram`.
 */
const MODULE = `
const hash = (text, out) => {
  let h1 = 0x811c9dc5, h2 = 0x01000193;
  for (let i = 0; i < text.length; i++) {
    h1 = Math.imul(h1 ^ text.charCodeAt(i), 0x01000193) >>> 0;
    h2 = Math.imul(h2 ^ text.charCodeAt(i), 0x5bd1e995) >>> 0;
  }
  out[0] = h1;
  out[1] = h2;
};
const build = ({ lanes }) => ({
  model: {
    init: () => [{ net: [], sent: false, read: false, crashed: false }],
    actions: (s) => [
      ...(s.sent ? [] : ['p sends req']),
      ...s.net.filter((m) => !(m === 'req' && s.crashed)).map((m) => (m === 'req' ? 'q gets req' : 'p gets ack')),
      ...(s.crashed ? [] : ['crash q']),
    ],
    next(s, a) {
      if (a === 'p sends req') return { ...s, sent: true, net: [...s.net, 'req'] };
      if (a === 'q gets req') return { ...s, read: true, net: [...s.net.filter((m) => m !== 'req'), 'ack'] };
      if (a === 'p gets ack') return { ...s, net: s.net.filter((m) => m !== 'ack') };
      return { ...s, crashed: true };
    },
    label: (a) => a,
    fingerprint: (s, out) => hash(JSON.stringify(s), out),
    describe(s, a) {
      if (a === 'p sends req') return { actor: lanes === 'bad-actor' ? 5 : 'p', fault: false, kind: 'send' };
      if (a === 'q gets req') return { actor: 'q', sender: 'p', receiver: 'q', fault: false, kind: 'req' };
      if (a === 'p gets ack') return { actor: 'p', sender: 'q', receiver: 'p', fault: false, kind: 'ack' };
      return { actor: 'q', fault: true, kind: 'crash' };
    },
  },
  properties: [{
    name: 'safeAfterReq',
    kind: 'always',
    category: 'safety',
    description: 'q does not crash once it has read req',
    holds: (s) => !(s.read && s.crashed),
    explain: (s) => ({
      summary: 'q crashed after reading req',
      reason: 'crashed',
      subjects: [
        { process: 'q', role: 'crashed', reason: 'fault' },
        ...(s.net.includes('ack') ? [{ process: 'p', role: 'pending', reason: 'unread', message: { source: 'q', kind: 'ack' } }] : []),
      ],
    }),
  }],
  view: (s) => s,
  processes: lanes === 'bad' ? 'p q' : ['p', 'q'],
});
export default {
  id: 'req-ack',
  title: 'request and acknowledgement',
  params: [{ name: 'lanes', type: 'choice', choices: ['good', 'bad', 'bad-actor'], description: 'bad: processes is not a list; bad-actor: an actor is a number', defaultValue: 'good' }],
  build,
};
`;

let dir: string;
let file: string;

async function run(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runCli(args, {
    registry: [],
    defaultSpec: 'none',
    explore: (target, options) => explore(target, options),
    io: { out: (t) => void (out += t), err: (t) => void (err += t) },
    version: '9.9.9',
  });
  return { code, out, err };
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'rrcheck-render-generic-'));
  writeFileSync(join(dir, 'req-ack.mjs'), MODULE);
  const check = await run('check', join(dir, 'req-ack.mjs'), '--out', join(dir, 'cx'), '--progress-interval', '0');
  expect(check.code).toBe(ExitCode.safetyViolation);
  const names = readdirSync(join(dir, 'cx'));
  expect(names).toHaveLength(1);
  file = join(dir, 'cx', names[0]!);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('rrcheck render of a spec module without a diagram', () => {
  it('draws the generic diagram as text: lanes p and q, req from its send to its receipt, the crash, ack in flight, the subjects', async () => {
    const r = await run('render', file);
    expect(r.err).toBe('');
    expect(r.code).toBe(ExitCode.ok);
    expect(r.out).toBe(
      [
        'req-ack — lanes=good',
        'safeAfterReq violated in 3 steps: q crashed after reading req',
        '',
        ' step  p! q!',
        '    0  │  │  (initial state)',
        '    1  ○  │  p sends req  — p send; p sends req→q',
        '    2  │  ●  q gets req  — req sent at 1; q sends ack→p',
        '    3  │! ✕! crash q',
        '',
        'in flight at the end: ack q→p (sent at 2)',
        'p — pending: unread, ack from q',
        'q — crashed: fault',
        'legend: ○ send  ● receive  ✕ crash  ! cause/lost; lanes: │ live', // the marks drawn only
        '',
      ].join('\n'),
    );
  });

  it('draws it as SVG, well-formed, with the subjects highlighted with their roles', async () => {
    const r = await run('render', file, '--format', 'svg');
    expect(r.code).toBe(ExitCode.ok);
    expect(xmlProblems(r.out)).toEqual([]);
    expect(r.out).toContain('<title>req-ack — lanes=good: safeAfterReq violated after 3 steps</title>');
    for (const s of ['>p</text>', '>q</text>', '>pending</text>', '>crashed</text>', '>pending: unread, ack from q</text>', '>crashed: fault</text>', '>req</text>']) {
      expect(r.out).toContain(s);
    }
  });

  it('draws it as Mermaid', async () => {
    const r = await run('render', file, '--format', 'mermaid');
    expect(r.code).toBe(ExitCode.ok);
    expect(r.out).toContain('  participant p as p (pending)\n  participant q as q (crashed)\n');
    expect(r.out).toContain('  p->>q: [2] req, sent at 1\n');
    expect(r.out).toContain('  q-)p: ack sent at 2, still in flight at the end\n');
  });

  it('refuses a module whose processes is not a list of names, or whose describe names a process by a number (exit code 11)', async () => {
    const cases = [
      ['bad', 'rrcheck: spec req-ack: processes must be an array of process names (strings)\n'],
      ['bad-actor', 'rrcheck: spec req-ack: describe() of step 1 "p sends req" gives actor 5: it must be a string\n'],
    ] as const;
    for (const [lanes, message] of cases) {
      const check = await run('check', join(dir, 'req-ack.mjs'), '--lanes', lanes, '--out', join(dir, lanes), '--progress-interval', '0');
      expect(check.code).toBe(ExitCode.safetyViolation);
      const r = await run('render', join(dir, lanes, readdirSync(join(dir, lanes))[0]!));
      expect(r.code).toBe(ExitCode.badModule);
      expect(r.err).toBe(message);
    }
  });
});
