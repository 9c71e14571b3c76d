/**
 * Debian's Chromium (/usr/bin/chromium, installed by .ci/chromium) driven by
 * playwright-core, which downloads no browser of its own. The flags keep a
 * headless Chromium off the network (on a closed network it would wait on
 * connections otherwise); Playwright gives each launch a fresh temporary
 * profile and removes it at close.
 */
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

/** Where the browser tests expect Chromium. */
export const CHROMIUM = '/usr/bin/chromium';

/** A headless Chromium with a fresh profile. */
export async function launchChromium(): Promise<{ readonly browser: Browser; close(): Promise<void> }> {
  if (!existsSync(CHROMIUM)) throw new Error(`the browser tests need Chromium at ${CHROMIUM}: run .ci/chromium (as root it installs it with apt-get)`);
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
    ],
  });
  return {
    browser,
    close: () => browser.close(),
  };
}
