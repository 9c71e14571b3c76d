/**
 * `rrcheck explore` in a real browser: Debian's Chromium (installed by
 * .ci/chromium) driven by playwright-core, against the built executable.
 * Clicks through what a user does: open, step, go back, branch, reload from
 * the URL, search for a violation, save it and replay the file (exit 12),
 * load a counterexample file and another spec's file; and a long search,
 * whose progress the page shows while it stays usable, stopped with Stop.
 *
 * RRCHECK_SCREENSHOT=docs/explore.png also writes the README's screenshot (PNG; JPEG for another name).
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ExitCode } from '../../src/index.js';
import { BUILD_MS, repoRoot, runBuilt } from '../cli/fixtures/builtCli.js';
import { buildWithPage, startExplorer, type RunningExplorer } from '../cli/fixtures/explorer.js';
import { launchChromium } from './chromium.js';

/** A naive counterexample of the parameters the explorer runs with (the defaults: chain, n = 3, f = 1, one crash). */
const CORPUS_FILE = 'counterexamples/naive-safety-ecfe62b7.itf.json';
const OTHER_SPEC_FILE = 'counterexamples/f-hosts-safety-027f3cdf.itf.json';

let explorer: RunningExplorer;
let chromium: Awaited<ReturnType<typeof launchChromium>>;
let page: Page;
const out = mkdtempSync(join(tmpdir(), 'rrcheck-browser-'));
const pageErrors: string[] = [];

beforeAll(async () => {
  buildWithPage();
  explorer = await startExplorer(['naive', '--port', '0', '--out', out]);
  chromium = await launchChromium();
  page = await chromium.browser.newPage({ viewport: { width: 1400, height: 1000 } });
  page.on('pageerror', (error) => pageErrors.push(error.message));
}, BUILD_MS);

afterAll(async () => {
  await chromium?.close();
  if (explorer !== undefined && explorer.child.exitCode === null) expect((await explorer.stop('SIGINT')).code).toBe(ExitCode.ok);
});

/** Runs a user's action and waits until the page has shown its outcome. */
async function act(action: () => Promise<unknown>, on: Page = page): Promise<void> {
  await action();
  await on.waitForSelector('body[data-ready="true"]');
}

/** Waits until the search the page follows has ended and its result (and a path found) is shown. */
async function searchEnded(on: Page = page): Promise<void> {
  await on.waitForSelector('body[data-searching="false"] [data-testid="search-result"]:not([data-status="running"])');
  await on.waitForSelector('body[data-ready="true"]');
}

const testId = (id: string) => page.locator(`[data-testid="${id}"]`);
const action = (label: string) => page.locator(`[data-testid="action"][data-label="${label}"]`);
const pathLength = async () => Number(await testId('path-steps').getAttribute('data-length'));
const stepLabels = async () => (await page.locator('[data-testid="path-steps"] li .label').allTextContents()).slice(1);
const propertyStatus = (name: string) => testId(`property-${name}`).getAttribute('data-status');
/** The status cell of a process in the state table. */
const processStatus = (p: string) => page.locator(`td[data-path="processes.${p}.status"]`).textContent();

describe('rrcheck explore in Chromium', () => {
  it('opens at the initial state: the spec, its actions, its properties, the diagram', async () => {
    await act(() => page.goto(explorer.url));
    expect(await testId('spec-id').textContent()).toBe('naive');
    expect(await testId('params').textContent()).toBe('workload=chain  n=3  f=1  crashes=1  network=unordered  stable-host=on  reading=brief  reduce=eager-drop');
    expect(await pathLength()).toBe(0);
    expect(await page.locator('[data-testid="action"]').evaluateAll((bs) => bs.map((b) => b.getAttribute('data-label')))).toEqual([
      'deliver p2→p0 #1 (inc 0)',
      'crash p0',
      'crash p1',
      'crash p2',
    ]);
    expect(await action('crash p0').getAttribute('class')).toBe('fault');
    expect(await propertyStatus('safety')).toBe('holds');
    expect(await propertyStatus('liveness')).toBe('not-applicable');
    expect(await testId('diagram').getAttribute('data-steps')).toBe('0');
    expect(await page.locator('[data-testid="diagram"]').evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth)).toBeGreaterThan(200);
  });

  it('steps, goes back, and branches: another action from the same state reaches another state', async () => {
    await act(() => action('deliver p2→p0 #1 (inc 0)').click());
    await act(() => action('crash p0').click());
    expect(await stepLabels()).toEqual(['deliver p2→p0 #1 (inc 0)', 'crash p0']);
    expect(await processStatus('p0')).toBe('Crashed');
    expect(await page.locator('td[data-path="processes.p0.status"]').getAttribute('class')).toBe('changed');
    expect(await testId('changes').locator('li').allTextContents()).toContain('processes.p0.status: "Live" → "Crashed"');
    expect(await testId('diagram').getAttribute('data-steps')).toBe('2');

    await act(() => testId('back').click());
    expect(await stepLabels()).toEqual(['deliver p2→p0 #1 (inc 0)']);
    expect(await processStatus('p0')).toBe('Live');

    await act(() => action('crash p1').click());
    expect(await stepLabels()).toEqual(['deliver p2→p0 #1 (inc 0)', 'crash p1']);
    expect(await processStatus('p0')).toBe('Live');
    expect(await processStatus('p1')).toBe('Crashed');

    // A step of the path, clicked: back to the state after it.
    await act(() => testId('step-1').click());
    expect(await stepLabels()).toEqual(['deliver p2→p0 #1 (inc 0)']);
    // The keyboard: a focused action taken with Enter.
    await action('crash p2').focus();
    await act(() => page.keyboard.press('Enter'));
    expect(await stepLabels()).toEqual(['deliver p2→p0 #1 (inc 0)', 'crash p2']);
  });

  it('a reload (or a bookmark) of the URL opens the same path', async () => {
    const url = page.url();
    expect(url).toContain('#path=');
    await act(() => page.reload());
    expect(await stepLabels()).toEqual(['deliver p2→p0 #1 (inc 0)', 'crash p2']);
    expect(await processStatus('p2')).toBe('Crashed');
  });

  it('finds a violation from the current state, saves it, and the file replays with exit 12', async () => {
    await act(() => testId('step-1').click());
    await act(() => testId('search').click());
    await searchEnded();
    expect(await testId('search-result').getAttribute('data-status')).toBe('found');
    expect(await testId('search-result').textContent()).toMatch(/^Found: safety violated 8 steps from here — orphan: p1 depends on p0's delivery #1 .* \(\d+ states searched\)\.$/);
    expect(await pathLength()).toBe(9);
    expect(await propertyStatus('safety')).toBe('violated');
    expect(await testId('finding-safety').textContent()).toBe("orphan: p1 depends on p0's delivery #1 (p2's #1 (data d1)), but p0's recovered state has delivered only 0 message(s)");

    await act(() => testId('save').click());
    const file = (await testId('saved-file').textContent())!;
    expect(file).toMatch(new RegExp(`^${out.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/naive-safety-[0-9a-f]{8}\\.itf\\.json$`));
    expect(await testId('save-command').textContent()).toBe(`rrcheck replay ${file}`);
    expect(await testId('save-result').textContent()).toContain('9 steps; violates safety.');
    const saved = JSON.parse(readFileSync(file, 'utf8'))['#meta'].rrcheck;
    expect(saved).toMatchObject({ spec: 'naive', property: 'safety', expected: 'violates', strategy: 'explore' });
    expect(saved.labels).toEqual(await stepLabels());
    const replay = await runBuilt(['replay', file]);
    expect(replay.code).toBe(ExitCode.safetyViolation);
  });

  it('loads a counterexample file: its last state shows the property VIOLATED; a file of another spec is refused', async () => {
    const meta = JSON.parse(readFileSync(join(repoRoot, CORPUS_FILE), 'utf8'))['#meta'].rrcheck;
    await act(() => testId('reset').click());
    expect(await pathLength()).toBe(0);
    await act(() => testId('load-file').setInputFiles(join(repoRoot, CORPUS_FILE)));
    expect(await stepLabels()).toEqual(meta.labels);
    expect(await propertyStatus('safety')).toBe('violated');
    expect(await testId('property-safety').locator('.verdict').textContent()).toBe('VIOLATED');
    expect(await testId('load-result').textContent()).toMatch(/^Loaded naive-safety-ecfe62b7\.itf\.json: naive violates safety \(safety\) with workload=chain n=3 f=1 crashes=1 network=unordered: 9 steps/);
    const screenshot = process.env['RRCHECK_SCREENSHOT'];
    if (screenshot) await page.screenshot({ path: join(repoRoot, screenshot), ...(screenshot.endsWith('.png') ? {} : { type: 'jpeg', quality: 55 }) });

    await act(() => testId('load-file').setInputFiles(join(repoRoot, OTHER_SPEC_FILE)));
    expect(await testId('error').isVisible()).toBe(true);
    expect(await testId('error').textContent()).toMatch(/^the file is a counterexample of spec f-hosts; this explorer runs naive with workload=chain/);
    // The path shown stays the loaded file's.
    expect(await stepLabels()).toEqual(meta.labels);
    expect(pageErrors).toEqual([]);
  });

  it('a long search: its progress grows while the page stays usable (and after a reload); Stop ends it as unknown, with the states checked', async () => {
    // Far more states than a few seconds' search reaches.
    const long = await startExplorer(['nonblocking', '--n', '4', '--f', '2', '--crashes', '2', '--port', '0', '--out', out]);
    const other = await chromium.browser.newPage({ viewport: { width: 1400, height: 1000 } });
    other.on('pageerror', (error) => pageErrors.push(error.message));
    const on = (id: string) => other.locator(`[data-testid="${id}"]`);
    const statesShown = async () => Number(await on('search-result').getAttribute('data-states'));
    try {
      await act(() => other.goto(long.url), other);
      expect(await on('search-stop').isVisible()).toBe(false);
      await act(() => on('search').click(), other);
      await other.waitForSelector('body[data-searching="true"] [data-testid="search-result"][data-status="running"]');
      expect(await on('search-stop').isVisible()).toBe(true);
      expect(await on('search').isDisabled()).toBe(true);
      // The progress text changes as the search goes on.
      const statesAbove = (n: number) => expect.poll(statesShown, { timeout: 20_000, interval: 100 }).toBeGreaterThan(n);
      await statesAbove(0);
      const first = (await on('search-result').textContent())!;
      expect(first).toMatch(/^searching… [\d,]+ states, depth \d+, \d+\.\d s$/);
      const firstStates = await statesShown();
      await statesAbove(firstStates);
      expect(await on('search-result').textContent()).not.toBe(first);

      // The page answers meanwhile: a step is taken.
      await act(() => other.locator('[data-testid="action"][data-label="crash p0"]').click(), other);
      expect(await on('path-steps').getAttribute('data-length')).toBe('1');
      expect(await on('search-result').getAttribute('data-status')).toBe('running');
      // A reload finds the search still running on the server, and follows it.
      await act(() => other.reload(), other);
      await other.waitForSelector('body[data-searching="true"] [data-testid="search-result"][data-status="running"]');
      expect(await on('path-steps').getAttribute('data-length')).toBe('1');
      expect(await on('search-stop').isVisible()).toBe(true);

      const before = await statesShown();
      await on('search-stop').click();
      await searchEnded(other);
      expect(await on('search-result').getAttribute('data-status')).toBe('unknown');
      const stopped = (await on('search-result').textContent())!;
      expect(stopped).toMatch(/^Stopped: no violation among the [\d,]+ states checked before you stopped the search; unknown beyond them\.$/);
      expect(Number(/among the ([\d,]+) states/.exec(stopped)![1]!.replace(/,/g, ''))).toBeGreaterThanOrEqual(before);
      expect(await on('search-stop').isVisible()).toBe(false);
      expect(await on('search').isDisabled()).toBe(false);
      // The path the user took meanwhile stays.
      expect(await on('path-steps').getAttribute('data-length')).toBe('1');
      expect(pageErrors).toEqual([]);
    } finally {
      await other.close();
      expect((await long.stop('SIGINT')).code).toBe(ExitCode.ok);
    }
  });
});
