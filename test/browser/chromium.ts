/**
 * Debian's Chromium (/usr/bin/chromium, installed by .ci/chromium) driven by
 * playwright-core, which downloads no browser of its own. The flags keep a
 * headless Chromium off the network (a closed network makes it wait on
 * connections otherwise) and away from any profile but a fresh one.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';

/** Where the browser tests expect Chromium. */
export const CHROMIUM = '/usr/bin/chromium';

/** A headless Chromium with a fresh user data folder; `close` also removes the folder. */
export async function launchChromium(): Promise<{ readonly browser: Browser; close(): Promise<void> }> {
  const profile = mkdtempSync(join(tmpdir(), 'rrcheck-chromium-'));
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      `--user-data-dir=${profile}`,
    ],
  });
  return {
    browser,
    close: async () => {
      await browser.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
