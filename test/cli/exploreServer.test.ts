/**
 * `rrcheck explore`'s HTTP API without a browser: every shipped spec through
 * the server (in this process, searches on its thread), then the built
 * executable (searches on a worker thread): a user's spec module (the example
 * and the starter of `rrcheck init`), searches that find, prove or give up,
 * a long search that the other routes answer beside and that is stopped,
 * one search at a time, saving and replaying, loading, the Host-header
 * guard, malformed requests, a port in use and SIGINT.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { resolveParams } from '../../src/core/params.js';
import { explore } from '../../src/engine/index.js';
import type { SearchEngine } from '../../src/trace/stepping.js';
import type { SaveReply, SearchReply, SearchStatus, SessionInfo, StateReply } from '../../src/cli/explore/api.js';
import { SearchBoard, STOP_GRACE_MS } from '../../src/cli/explore/searchBoard.js';
import { inlineLauncher, workerLauncher, type SearchEnd, type SearchJob, type SearchLauncher } from '../../src/cli/explore/searchThread.js';
import type { SearchProgress } from '../../src/trace/stepping.js';
import { startServer, type RunningServer } from '../../src/cli/explore/server.js';
import type { ExploreSession } from '../../src/cli/explore/session.js';
import { STARTER_SPEC } from '../../src/cli/commands/init.js';
import { specRegistry } from '../../specs/index.js';
import { ExitCode, type CheckTarget } from '../../src/index.js';
import { BUILD_MS, repoRoot, runBuilt } from './fixtures/builtCli.js';
import { buildWithPage, post, raw, searchResult, searchToEnd, startExplorer, type RunningExplorer } from './fixtures/explorer.js';

const engine: SearchEngine = (target, bounds) => explore(target, { strategy: 'bfs', ...bounds });

function sessionOf(specId: string, out: string): ExploreSession {
  const spec = specRegistry.find((s) => s.id === specId)!;
  const params = resolveParams(spec.params, {}, spec.id);
  const target = spec.build(params);
  return {
    spec,
    params,
    target,
    start: { initIndex: 0, labels: [] },
    out,
    searchBounds: { maxStates: 100_000, timeoutSeconds: 60 },
    searches: inlineLauncher(target, engine),
    saving: { version: 'test' },
  };
}

/** Polls GET /api/search/ID until `done` says so (or the status is not running); its status then. */
async function pollSearch(port: number, id: number, done: (status: Extract<SearchStatus, { status: 'running' }>) => boolean): Promise<SearchStatus> {
  for (;;) {
    const status = (await raw(port, { path: `/api/search/${id}` })).json as SearchStatus;
    if (status.status !== 'running' || done(status)) return status;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

beforeAll(buildWithPage, BUILD_MS);

describe('every shipped spec through the API', () => {
  const out = mkdtempSync(join(tmpdir(), 'rrcheck-explore-'));
  for (const spec of specRegistry) {
    it(`${spec.id}: the initial state, then one step`, async () => {
      const session = sessionOf(spec.id, out);
      const server = await startServer(session, 0);
      try {
        const info = (await raw(server.port, { path: '/api/session' })).json as SessionInfo;
        expect(info.spec).toBe(spec.id);
        expect(info.params).toEqual(session.params);
        expect(info.params['workload']).toBe('chain');
        expect(info.properties.map((p) => p.name)).toEqual(session.target.properties.map((p) => p.name));
        expect(info.initialStates).toBe(1);

        const { model, view, properties } = session.target;
        const init = model.init()[0]!;
        const first = await post(server.port, '/api/state', { path: { initIndex: 0, labels: [] } });
        expect(first.status).toBe(200);
        const state = first.json as StateReply;
        expect(state.enabled.map((a) => a.label)).toEqual(model.actions(init).map((a) => model.label(a)));
        expect(state.view).toEqual(JSON.parse(JSON.stringify(view(init))));
        // No property of a shipped spec fails in its initial state; liveness waits for a state without successors.
        expect(state.properties.map((p) => [p.name, p.status])).toEqual(properties.map((p) => [p.name, p.kind === 'always' ? 'holds' : 'not-applicable']));
        expect(state.svg).toMatch(/^<svg [^>]*>\n<title>[^<]*: 0 steps<\/title>/);

        const label = state.enabled[0]!.label;
        const next = (await post(server.port, '/api/state', { path: { initIndex: 0, labels: [label] } })).json as StateReply;
        const action = model.actions(init).find((a) => model.label(a) === label)!;
        expect(next.path.labels).toEqual([label]);
        expect(next.view).toEqual(JSON.parse(JSON.stringify(view(model.next(init, action)))));
        expect(next.changeLines.length).toBeGreaterThan(0);
        expect(next.steps).toEqual([state.enabled[0]]);
        expect(next.svg).toContain(': 1 step</title>');
      } finally {
        await server.close();
      }
    });
  }

  it('naive: the exact actions of the initial state and what a delivery changes', async () => {
    const server = await startServer(sessionOf('naive', out), 0);
    try {
      const state = (await post(server.port, '/api/state', { path: { initIndex: 0, labels: [] } })).json as StateReply;
      expect(state.enabled).toEqual([
        { label: 'deliver p2→p0 #1 (inc 0)', actor: 'p0', kind: 'deliver', sender: 'p2', receiver: 'p0', fault: false },
        { label: 'crash p0', actor: 'p0', kind: 'crash', fault: true },
        { label: 'crash p1', actor: 'p1', kind: 'crash', fault: true },
        { label: 'crash p2', actor: 'p2', kind: 'crash', fault: true },
      ]);
      const crashed = (await post(server.port, '/api/state', { path: { initIndex: 0, labels: ['deliver p2→p0 #1 (inc 0)', 'crash p0'] } })).json as StateReply;
      expect(crashed.changes).toContainEqual({ kind: 'changed', path: 'processes.p0.status' });
      expect(crashed.changeLines).toContain('processes.p0.status: "Live" → "Crashed"');
      expect(crashed.changeLines).toContain('crashes: 0 → 1');
      expect(crashed.enabled.map((a) => a.label)).toEqual(['deliver p0→p1 #1 (inc 0)', 'restart p0']);
      // The figure of the README: from the state after the first delivery, the orphan 8 steps on, after 125 states.
      const found = (await searchResult(server.port, { path: { initIndex: 0, labels: ['deliver p2→p0 #1 (inc 0)'] } })) as SearchReply;
      expect(found).toMatchObject({ status: 'found', property: 'safety', added: 8, states: 125, finding: { reason: 'orphan' } });
    } finally {
      await server.close();
    }
  });
});

/** A launcher whose searches the test drives: their progress, their end, and what the board asked of them. */
function drivenLauncher() {
  const launched: { job: SearchJob; progress: (p: SearchProgress) => void; end: (e: SearchEnd) => void; stops: number; terminated: boolean }[] = [];
  const searches: SearchLauncher = (job, onProgress) => {
    let end: (e: SearchEnd) => void = () => undefined;
    const ended = new Promise<SearchEnd>((resolve) => (end = resolve));
    const entry = { job, progress: onProgress, end, stops: 0, terminated: false };
    launched.push(entry);
    return {
      stop: () => void entry.stops++,
      terminate: () => {
        entry.terminated = true;
        return Promise.resolve();
      },
      ended,
    };
  };
  return { launched, searches };
}

/** Lets the promise callbacks run (a search's end reaches the board through one). */
const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('the searches of one server (SearchBoard, with searches the test drives)', () => {
  const origin = { initIndex: 0, labels: ['deliver p2→p0 #1 (inc 0)'] };

  it('starts one (202), reports its progress, refuses a second (409), and a stop the search heeds ends as unknown (stopped) with its count', async () => {
    const { launched, searches } = drivenLauncher();
    let now = 1000;
    const board = new SearchBoard({ ...sessionOf('naive', tmpdir()), searches }, () => now);
    expect(board.status()).toEqual({ code: 404, body: { error: 'no search has been started' } });
    const start = board.start({ path: origin, property: 'safety' });
    expect(start).toEqual({ code: 202, body: { id: 1, from: origin, property: 'safety', elapsedMs: 0, status: 'running', states: 0, depth: 0, stopping: false } });
    expect(launched.map((l) => l.job)).toEqual([{ path: origin, property: 'safety', maxStates: 100_000, timeoutMs: 60_000 }]);
    launched[0]!.progress({ states: 40, depth: 3 });
    now += 1500;
    expect(board.status(1).body).toMatchObject({ status: 'running', states: 40, depth: 3, elapsedMs: 1500 });
    expect(board.start({ path: origin })).toEqual({ code: 409, body: { error: 'search 1 is running: one search at a time (stop it with POST /api/search/1/stop)' } });
    // A malformed request is refused as such before the one-at-a-time rule.
    expect(() => board.start({ path: origin, property: 'nope' })).toThrow(/^property must be one of safety/);

    expect(board.stop(1)).toMatchObject({ code: 202, body: { status: 'running', stopping: true } });
    expect(board.stop(1).code).toBe(202);
    expect(launched[0]!.stops).toBe(1);
    launched[0]!.end({ kind: 'outcome', outcome: { status: 'unknown', states: 57, reason: 'interrupted' } });
    await settle();
    now += 500;
    const ended = { id: 1, from: origin, property: 'safety', elapsedMs: 1500, status: 'done', result: { status: 'unknown', states: 57, reason: 'stopped' } };
    expect(board.status(1)).toEqual({ code: 200, body: ended });
    expect(board.stop(1)).toEqual({ code: 200, body: ended });
    // Progress after the end changes nothing.
    launched[0]!.progress({ states: 99, depth: 9 });
    expect(board.status().body).toEqual(ended);

    // A search that was not stopped and ran into a bound keeps its reason.
    expect(board.start({ path: origin }).code).toBe(202);
    launched[1]!.end({ kind: 'outcome', outcome: { status: 'unknown', states: 100_000, reason: 'states' } });
    await settle();
    expect(board.status(2).body).toMatchObject({ status: 'done', result: { status: 'unknown', states: 100_000, reason: 'states' } });
    expect(board.status(1)).toEqual({ code: 404, body: { error: 'no search 1: the server keeps only the latest, search 2' } });
  });

  it('a stop not heeded within STOP_GRACE_MS: the thread is ended, and only the states of its last report are claimed', async () => {
    vi.useFakeTimers();
    try {
      const { launched, searches } = drivenLauncher();
      const board = new SearchBoard({ ...sessionOf('naive', tmpdir()), searches }, () => 0);
      board.start({ path: origin });
      launched[0]!.progress({ states: 1234, depth: 7 });
      board.stop(1);
      vi.advanceTimersByTime(STOP_GRACE_MS - 1);
      expect(launched[0]!.terminated).toBe(false);
      vi.advanceTimersByTime(1);
      expect(launched[0]!.terminated).toBe(true);
      expect(board.status(1).body).toMatchObject({ status: 'done', result: { status: 'unknown', states: 1234, reason: 'stopped' } });
      // An end that comes after it is ignored.
      launched[0]!.end({ kind: 'outcome', outcome: { status: 'none', states: 5000 } });
      await vi.runAllTimersAsync();
      expect(board.status(1).body).toMatchObject({ result: { status: 'unknown', states: 1234 } });
    } finally {
      vi.useRealTimers();
    }
  });

  it('a search that failed: failed, with its code and line; close ends a running search', async () => {
    const { launched, searches } = drivenLauncher();
    const board = new SearchBoard({ ...sessionOf('naive', tmpdir()), searches }, () => 0);
    board.start({ path: origin });
    launched[0]!.end({ kind: 'failed', code: 500, error: 'the spec threw: boom' });
    await settle();
    expect(board.status(1).body).toEqual({ id: 1, from: origin, elapsedMs: 0, status: 'failed', code: 500, error: 'the spec threw: boom' });
    board.start({ path: origin });
    await board.close();
    expect(launched[1]!.terminated).toBe(true);
  });
});

describe('the search worker (dist/src/cli/explore/searchWorker.js), started from this process', () => {
  const script = pathToFileURL(`${repoRoot}dist/src/cli/explore/searchWorker.js`);
  const registered = (spec: string) => {
    const definition = specRegistry.find((s) => s.id === spec)!;
    return { module: pathToFileURL(`${repoRoot}dist/specs/index.js`).href, exportName: 'buildRegistered', args: { spec, params: resolveParams(definition.params, {}, spec) } };
  };

  it('builds the target itself and finds what the search on this thread finds (naive: the orphan 8 steps on, 125 states), reporting progress', async () => {
    const progress: SearchProgress[] = [];
    const job = { path: { initIndex: 0, labels: ['deliver p2→p0 #1 (inc 0)'] }, maxStates: 100_000, timeoutMs: 60_000 };
    const end = await workerLauncher(script, registered('naive'))(job, (p) => progress.push(p)).ended;
    expect(end).toMatchObject({ kind: 'outcome', outcome: { status: 'found', property: 'safety', added: 8, states: 125, finding: { reason: 'orphan' } } });
    // The engine reports once more at its end: the final count.
    expect(progress.at(-1)).toEqual({ states: 125, depth: 8 });
    const session = sessionOf('naive', tmpdir());
    const inline = await inlineLauncher(session.target, engine)(job, () => undefined).ended;
    expect(end).toEqual(inline);
  });

  it('a target it cannot build: failed, in one line', async () => {
    const target = { ...registered('naive'), exportName: 'noSuchExport' };
    const end = await workerLauncher(script, target)({ path: { initIndex: 0, labels: [] }, maxStates: 10, timeoutMs: 1000 }, () => undefined).ended;
    expect(end).toEqual({ kind: 'failed', code: 500, error: `the search's thread could not build the spec: ${target.module} has no function export noSuchExport` });
  });
});

describe('a spec that throws while explored', () => {
  it('is answered 500 with one line, and the server goes on', async () => {
    const target: CheckTarget<number, string> = {
      model: {
        init: () => [0],
        actions: (s) => {
          if (s === 1) throw new Error('boom at 1\nsecond line');
          return ['up'];
        },
        next: (s) => s + 1,
        label: (a) => a,
        fingerprint: (s, out) => {
          out[0] = s;
          out[1] = 0;
        },
      },
      properties: [],
      view: (s) => ({ s }),
    };
    const spec = { id: 'thrower', title: 'throws at 1', summary: '', params: [], build: () => target as CheckTarget<unknown, unknown> };
    const session: ExploreSession = { ...sessionOf('naive', tmpdir()), spec, params: {}, target: target as CheckTarget<unknown, unknown> };
    const server = await startServer(session, 0);
    try {
      const threw = await post(server.port, '/api/state', { path: { initIndex: 0, labels: ['up'] } });
      expect(threw.status).toBe(500);
      expect(threw.json).toEqual({ error: 'the spec threw: boom at 1' });
      const fine = await post(server.port, '/api/state', { path: { initIndex: 0, labels: [] } });
      expect((fine.json as StateReply).enabled).toEqual([{ label: 'up', fault: false }]);
    } finally {
      await server.close();
    }
  });
});

describe('a spec module whose step descriptions are not strings', () => {
  it('is refused as render refuses it: 422, one line naming the step', async () => {
    const target = {
      model: {
        init: () => [0],
        actions: () => ['up'],
        next: (s: number) => s + 1,
        label: (a: string) => a,
        fingerprint: (s: number, out: Uint32Array) => {
          out[0] = s;
          out[1] = 0;
        },
        describe: () => ({ actor: 5 as unknown as string, fault: false }),
      },
      properties: [],
      view: (s: number) => ({ s }),
    } as CheckTarget<unknown, unknown>;
    const spec = { id: 'numbered', title: 'actors as numbers', summary: '', params: [], build: () => target };
    const server = await startServer({ ...sessionOf('naive', tmpdir()), spec, params: {}, target }, 0);
    try {
      const reply = await post(server.port, '/api/state', { path: { initIndex: 0, labels: ['up'] } });
      expect(reply.status).toBe(422);
      expect(reply.json).toEqual({ error: 'spec numbered: describe() of step 1 "up" gives actor 5: it must be a string' });
    } finally {
      await server.close();
    }
  });
});

/** A scratch project with rrcheck importable, the two-phase-commit example and the starter of `rrcheck init`. */
function project(): string {
  const dir = mkdtempSync(join(tmpdir(), 'rrcheck-explore-module-'));
  mkdirSync(join(dir, 'node_modules'));
  symlinkSync(repoRoot, join(dir, 'node_modules', 'rrcheck'), 'dir');
  copyFileSync(join(repoRoot, 'examples', 'two-phase-commit.mjs'), join(dir, 'tpc.mjs'));
  writeFileSync(join(dir, 'my-spec.mjs'), STARTER_SPEC);
  return dir;
}

describe('rrcheck explore (the built executable)', () => {
  const running: RunningExplorer[] = [];
  const started = async (args: string[], cwd?: string) => {
    const e = await startExplorer(args, cwd);
    running.push(e);
    return e;
  };
  afterAll(async () => {
    for (const e of running) if (e.child.exitCode === null) await e.stop('SIGKILL');
  });

  it('a spec module: its state, a search that finds the violation, the file saved and replayed (exit 12)', async () => {
    const dir = project();
    const e = await started(['tpc.mjs', '--rms', '3', '--bug', 'early', '--port', '0', '--out', 'saved'], dir);
    const info = (await raw(e.port, { path: '/api/session' })).json as SessionInfo;
    expect(info).toMatchObject({ spec: 'two-phase-commit', module: 'tpc.mjs', params: { rms: 3, bug: 'early' }, initialStates: 1, out: 'saved' });
    const state = (await post(e.port, '/api/state', { path: { initIndex: 0, labels: [] } })).json as StateReply;
    expect(state.view).toEqual({ rmState: ['working', 'working', 'working'], tmState: 'init', tmPrepared: [false, false, false], msgs: [] });
    expect(state.enabled.map((a) => a.label)).toContain('TMCommit');
    const found = (await searchResult(e.port, { path: { initIndex: 0, labels: [] } })) as SearchReply;
    expect(found).toMatchObject({ status: 'found', property: 'TCConsistent', category: 'safety', added: 3 });
    if (found.status !== 'found') throw new Error('not found');
    const last = (await post(e.port, '/api/state', { path: found.path })).json as StateReply;
    expect(last.properties.find((p) => p.name === 'TCConsistent')!.status).toBe('violated');
    const saved = (await post(e.port, '/api/save', { path: found.path })).json as SaveReply;
    expect(saved).toMatchObject({ status: 'written', property: 'TCConsistent', expected: 'violates', steps: 3, exitCode: 12 });
    expect(saved.file).toMatch(/^saved\/two-phase-commit-TCConsistent-[0-9a-f]{8}\.itf\.json$/);
    expect(saved.command).toBe(`rrcheck replay ${saved.file}`);
    const meta = JSON.parse(readFileSync(join(dir, saved.file), 'utf8'))['#meta'].rrcheck;
    expect(meta).toMatchObject({ spec: 'two-phase-commit', module: { path: '../tpc.mjs' }, strategy: 'explore', expected: 'violates', labels: found.path.labels });
    const replay = await runBuilt(['replay', saved.file], { cwd: dir });
    expect(replay.code).toBe(ExitCode.safetyViolation);
    expect((await e.stop()).code).toBe(ExitCode.ok);
  });

  it("the starter of rrcheck init: a step, then a search from there that finds the lost update 3 steps on", async () => {
    const dir = project();
    const e = await started(['my-spec.mjs', '--port', '0'], dir);
    const info = (await raw(e.port, { path: '/api/session' })).json as SessionInfo;
    expect(info).toMatchObject({ spec: 'counter', module: 'my-spec.mjs', params: { n: 2, atomic: 'no' } });
    const state = (await post(e.port, '/api/state', { path: { initIndex: 0, labels: [] } })).json as StateReply;
    expect(state.enabled.map((a) => a.label)).toEqual(['read w0', 'read w1']);
    const next = (await post(e.port, '/api/state', { path: { initIndex: 0, labels: ['read w0'] } })).json as StateReply;
    expect(next.changeLines).toEqual(['pc: − "start"', 'pc: + "read"']);
    const found = (await searchResult(e.port, { path: next.path })) as SearchReply;
    expect(found).toMatchObject({ status: 'found', property: 'noLostUpdate', added: 3, finding: { summary: 'counter = 1 after 2 increments' } });
    expect((await e.stop('SIGTERM')).code).toBe(ExitCode.ok);
  });

  it('two-phase commit without the bug: a search from the start is complete, no violation in its 288 states (as check counts)', async () => {
    const dir = project();
    const e = await started(['tpc.mjs', '--port', '0'], dir);
    expect(await searchResult(e.port, { path: { initIndex: 0, labels: [] } })).toEqual({ status: 'none', states: 288 });
    await e.stop();
  });

  it('nonblocking from its initial state: a complete search (309 states, as check counts); with --max-states 50, unknown', async () => {
    const whole = await started(['nonblocking', '--port', '0']);
    const ended = await searchToEnd(whole.port, { path: { initIndex: 0, labels: [] } });
    expect(ended.json).toMatchObject({ id: 1, status: 'done', from: { initIndex: 0, labels: [] }, result: { status: 'none', states: 309 } });
    expect((ended.json as { property?: string }).property).toBeUndefined();
    const cut = await started(['nonblocking', '--port', '0', '--max-states', '50']);
    expect(await searchResult(cut.port, { path: { initIndex: 0, labels: [] }, property: 'safety' })).toEqual({ status: 'unknown', states: 50, reason: 'states' });
    expect(((await raw(cut.port, { path: '/api/search' })).json as SearchStatus).property).toBe('safety');
    await Promise.all([whole.stop(), cut.stop()]);
  });

  it('saving a path that violates nothing: expected fixed, and replay exits 0', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rrcheck-explore-fixed-'));
    const e = await started(['naive', '--port', '0', '--out', dir]);
    const saved = (await post(e.port, '/api/save', { path: { initIndex: 0, labels: ['deliver p2→p0 #1 (inc 0)'] }, property: 'safety' })).json as SaveReply;
    expect(saved).toMatchObject({ status: 'written', property: 'safety', expected: 'fixed', steps: 1, exitCode: 0 });
    expect((await runBuilt(['replay', saved.file])).code).toBe(ExitCode.ok);
    // The same path again: the file is there already, and kept.
    expect(((await post(e.port, '/api/save', { path: { initIndex: 0, labels: ['deliver p2→p0 #1 (inc 0)'] }, property: 'safety' })).json as SaveReply).status).toBe('kept');
    await e.stop();
  });

  it('opens a counterexample file at its last state, the violation shown; loads files from the page, refusing other specs', async () => {
    const file = 'counterexamples/naive-safety-0c835442.itf.json';
    const meta = JSON.parse(readFileSync(join(repoRoot, file), 'utf8'))['#meta'].rrcheck;
    const e = await started([file, '--port', '0']);
    const info = (await raw(e.port, { path: '/api/session' })).json as SessionInfo;
    expect(info).toMatchObject({ spec: 'naive', params: meta.params, start: { initIndex: 0, labels: meta.labels }, startFile: file });
    const last = (await post(e.port, '/api/state', { path: info.start })).json as StateReply;
    expect(last.properties.find((p) => p.name === 'safety')).toMatchObject({ status: 'violated', finding: { reason: 'orphan' } });
    expect(last.svg).toContain('safety violated');

    const loaded = await post(e.port, '/api/load', { text: readFileSync(join(repoRoot, file), 'utf8') });
    expect(loaded.status).toBe(200);
    expect(loaded.json).toMatchObject({ path: { initIndex: 0, labels: meta.labels }, property: 'safety', expected: 'violates' });
    const other = await post(e.port, '/api/load', { text: readFileSync(join(repoRoot, 'counterexamples/f-hosts-safety-027f3cdf.itf.json'), 'utf8') });
    expect(other.status).toBe(409);
    expect((other.json as { error: string }).error).toMatch(/^the file is a counterexample of spec f-hosts; this explorer runs naive with workload=/);
    const garbage = await post(e.port, '/api/load', { text: '{"a":' });
    expect(garbage.status).toBe(400);
    expect((garbage.json as { error: string }).error).toMatch(/^not JSON: /);
    await e.stop();
  });

  it('refuses a Host that is not loopback with this port (DNS rebinding), and takes localhost', async () => {
    const e = await started(['naive', '--port', '0']);
    for (const host of ['evil.example', `evil.example:${e.port}`, `127.0.0.1:${e.port + 1}`, `192.168.0.1:${e.port}`]) {
      const reply = await raw(e.port, { path: '/api/session', headers: { host } });
      expect(reply.status, host).toBe(403);
      expect(reply.json).toEqual({ error: `refused: the Host header must be 127.0.0.1:${e.port} or localhost:${e.port}` });
    }
    expect((await raw(e.port, { path: '/', headers: { host: `localhost:${e.port}` } })).status).toBe(200);
    expect((await raw(e.port, { path: '/page.js' })).headers['content-type']).toBe('text/javascript; charset=utf-8');
    await e.stop();
  });

  it('malformed requests get 4xx and one line; the server goes on', async () => {
    const e = await started(['naive', '--port', '0']);
    const p = e.port;
    const cases: [Promise<{ status: number; json: unknown }>, number, string][] = [
      [raw(p, { method: 'POST', path: '/api/state', headers: { 'content-type': 'application/json' }, body: '{"path":' }), 400, 'the request body is not JSON: '],
      [post(p, '/api/state', []), 400, 'the request body must be a JSON object'],
      [post(p, '/api/state', {}), 400, 'path must be an object {initIndex, labels}'],
      [post(p, '/api/state', { path: { initIndex: 1, labels: [] } }), 400, 'path.initIndex must be an integer in 0…0 (the spec has 1 initial state)'],
      [post(p, '/api/state', { path: { initIndex: 0, labels: [1] } }), 400, 'path.labels must be an array of strings'],
      [post(p, '/api/search', { path: { initIndex: 0, labels: [] }, property: 'nope' }), 400, 'property must be one of safety, liveness, restartBound, nonBlocking, alwaysNoOrphans, recoverability'],
      [raw(p, { method: 'POST', path: '/api/state', headers: { 'content-type': 'text/plain' }, body: '{}' }), 415, 'the request body must be sent as application/json'],
      [raw(p, { method: 'GET', path: '/api/state' }), 405, '/api/state takes POST'],
      [raw(p, { method: 'POST', path: '/api/session', headers: { 'content-type': 'application/json' }, body: '{}' }), 405, '/api/session takes GET'],
      [raw(p, { path: '/../package.json' }), 404, 'no such route: /../package.json'],
      [raw(p, { path: '/api/search' }), 404, 'no search has been started'],
      [raw(p, { path: '/api/search/1' }), 404, 'no search has been started'],
      [post(p, '/api/search/1/stop', {}), 404, 'no search has been started'],
      [raw(p, { path: '/api/search/x' }), 404, 'no such route: /api/search/x'],
      [raw(p, { path: '/api/search/1/stop' }), 405, '/api/search/1/stop takes POST'],
      [post(p, '/api/search/1', {}), 405, '/api/search/1 takes GET'],
      [raw(p, { method: 'POST', path: '/api/load', headers: { 'content-type': 'application/json' }, body: Buffer.alloc(9 * 1024 * 1024, 32) }), 413, 'the request body is over 8388608 bytes'],
    ];
    for (const [reply, status, error] of cases) {
      const r = await reply;
      expect(r.status, error).toBe(status);
      expect((r.json as { error: string }).error.startsWith(error), `${(r.json as { error: string }).error} / ${error}`).toBe(true);
    }
    const drift = await post(p, '/api/state', { path: { initIndex: 0, labels: ['crash p0', 'crash p0'] } });
    expect(drift.json).toEqual({ status: 'drift', step: 1, label: 'crash p0', enabled: ['restart p0'], valid: { initIndex: 0, labels: ['crash p0'] } });
    expect(((await raw(p, { path: '/api/session' })).json as SessionInfo).spec).toBe('naive');
    const { code, err } = await e.stop();
    expect(code).toBe(ExitCode.ok);
    expect(err).toMatch(/explorer stopped\n$/);
  });

  it('a port in use: one line and exit 16; a bad --port: exit 2', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as { port: number }).port;
    try {
      const run = await runBuilt(['explore', 'naive', '--port', String(port)]);
      expect(run.code).toBe(ExitCode.cannotListen);
      expect(run.out).toBe('');
      expect(run.err).toBe(`rrcheck: port ${port} on 127.0.0.1 is in use: give another with --port N, or --port 0 for any free one\n`);
    } finally {
      blocker.close();
    }
    const bad = await runBuilt(['explore', 'naive', '--port', '70000']);
    expect(bad.code).toBe(ExitCode.usage);
    expect(bad.err).toBe('rrcheck: --port must be an integer 0…65535 (0: any free port), not "70000" (rrcheck --help for usage)\n');
    const withParams = await runBuilt(['explore', 'counterexamples/naive-safety-0c835442.itf.json', '--n', '3', '--port', '0']);
    expect(withParams.code).toBe(ExitCode.usage);
    expect(withParams.err).toBe('rrcheck: --n: a counterexample file brings its own parameters (leave out the spec parameters) (rrcheck --help for usage)\n');
  });

  it('a long search runs on its own thread: the other routes answer beside it, one search at a time (409), Stop gives unknown with the states checked', async () => {
    // Far more states than a few seconds' search reaches (over 300,000 in 10 s; --max-states 1,000,000).
    const e = await started(['nonblocking', '--n', '4', '--f', '2', '--crashes', '2', '--port', '0', '--out', mkdtempSync(join(tmpdir(), 'rrcheck-explore-long-'))]);
    const origin = { initIndex: 0, labels: [] };
    const start = await post(e.port, '/api/search', { path: origin });
    expect(start.status).toBe(202);
    expect(start.json).toMatchObject({ id: 1, status: 'running', from: origin, states: 0, depth: 0, stopping: false });

    // Its progress grows while it runs.
    const early = await pollSearch(e.port, 1, (s) => s.states > 0);
    if (early.status !== 'running') throw new Error(`the search ended early: ${JSON.stringify(early)}`);
    const later = await pollSearch(e.port, 1, (s) => s.states > early.states && s.elapsedMs >= 2000);
    if (later.status !== 'running') throw new Error(`the search ended early: ${JSON.stringify(later)}`);
    expect(later.depth).toBeGreaterThanOrEqual(early.depth);

    // The other routes answer while it runs.
    const asked = performance.now();
    const state = await post(e.port, '/api/state', { path: { initIndex: 0, labels: ['crash p0'] } });
    const stateMs = performance.now() - asked;
    expect(state.status).toBe(200);
    expect((state.json as StateReply).path.labels).toEqual(['crash p0']);
    const saved = await post(e.port, '/api/save', { path: { initIndex: 0, labels: ['crash p0'] }, property: 'safety' });
    expect(saved.json).toMatchObject({ status: 'written', expected: 'fixed', steps: 1 });
    const loaded = await post(e.port, '/api/load', { text: '{"a":' });
    expect(loaded.status).toBe(400);

    // One search at a time: a second start is refused in one JSON line.
    const second = await post(e.port, '/api/search', { path: { initIndex: 0, labels: ['crash p0'] } });
    expect(second.status).toBe(409);
    expect(second.text).toBe('{"error":"search 1 is running: one search at a time (stop it with POST /api/search/1/stop)"}');
    const still = (await raw(e.port, { path: '/api/search/1' })).json as SearchStatus;
    expect(still.status).toBe('running');

    // Stop: the outcome is unknown (stopped), with the states the engine checked, never fewer than its progress said.
    const stopping = await post(e.port, '/api/search/1/stop', {});
    expect(stopping.status).toBe(202);
    expect(stopping.json).toMatchObject({ id: 1, status: 'running', stopping: true });
    const ended = await pollSearch(e.port, 1, (s) => s.status !== 'running');
    if (ended.status !== 'done') throw new Error(`not done: ${JSON.stringify(ended)}`);
    expect(ended.result).toMatchObject({ status: 'unknown', reason: 'stopped' });
    expect(ended.result.states).toBeGreaterThanOrEqual(later.states);
    // The state was answered in a fraction of the time the search ran (a server that waited for the search would have taken all of it).
    expect(stateMs * 5).toBeLessThan(ended.elapsedMs);
    // A stop of a search that ended: its status, as it is.
    const again = await post(e.port, '/api/search/1/stop', {});
    expect(again.status).toBe(200);
    expect(again.json).toEqual(ended);

    // The next search gets the next id; the server keeps only the latest.
    const next = await post(e.port, '/api/search', { path: { initIndex: 0, labels: ['crash p0'] }, property: 'safety' });
    expect(next.status).toBe(202);
    expect(next.json).toMatchObject({ id: 2, status: 'running', from: { initIndex: 0, labels: ['crash p0'] }, property: 'safety' });
    const gone = await raw(e.port, { path: '/api/search/1' });
    expect(gone.status).toBe(404);
    expect(gone.json).toEqual({ error: 'no search 1: the server keeps only the latest, search 2' });
    expect(((await raw(e.port, { path: '/api/search' })).json as SearchStatus).id).toBe(2);

    // SIGINT while search 2 runs: its thread is ended, and the command exits 0 at once.
    const running = await pollSearch(e.port, 2, (s) => s.elapsedMs >= 1000);
    expect(running.status).toBe('running');
    const signalled = performance.now();
    const { code, err } = await e.stop('SIGINT');
    const exitMs = performance.now() - signalled;
    expect(code).toBe(ExitCode.ok);
    expect(err).toMatch(/explorer stopped\n$/);
    expect(exitMs).toBeLessThan(running.elapsedMs);
  });

  it('a search bounded by --search-timeout: unknown (time), with the states checked', async () => {
    const e = await started(['nonblocking', '--n', '4', '--f', '2', '--crashes', '2', '--port', '0', '--search-timeout', '1']);
    const ended = await searchToEnd(e.port, { path: { initIndex: 0, labels: [] } });
    expect(ended.json).toMatchObject({ id: 1, status: 'done', result: { status: 'unknown', reason: 'time' } });
    const { result, elapsedMs } = ended.json as Extract<SearchStatus, { status: 'done' }>;
    expect(result.states).toBeGreaterThan(0);
    expect(elapsedMs).toBeGreaterThanOrEqual(1000);
    await e.stop();
  });

  it('SIGINT: the server closes and the command exits 0, having printed only its URL on stdout', async () => {
    const e = await started(['naive', '--port', '0']);
    const { code, out } = await e.stop('SIGINT');
    expect(code).toBe(ExitCode.ok);
    expect(out).toBe(`${e.url}\n`);
    await expect(raw(e.port, { path: '/api/session' })).rejects.toThrow(/ECONNREFUSED/);
  });
});
