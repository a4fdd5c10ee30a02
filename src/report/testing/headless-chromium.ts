// Headless Chromium for the report's browser tests: Debian's `chromium` package (or the browser
// KSIM_CHROMIUM names) driven by playwright-core (which never downloads a browser). Pages are
// opened from file:// URLs with the network off, and every console error or uncaught exception is
// collected for the test to assert. Without a browser on this machine the browser tests are
// skipped with a one-line reason (a fresh clone's `npm test` passes); CI sets
// KSIM_REQUIRE_BROWSER=1, which makes a missing browser a failure.

import * as fs from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';

const CHROMIUM_CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];

/** The browser to drive: $KSIM_CHROMIUM, else the first of Debian's and Chrome's usual paths that exists; null for none. */
function findChromium(): string | null {
  const named = process.env.KSIM_CHROMIUM;
  if (named) return fs.existsSync(named) ? named : null;
  return CHROMIUM_CANDIDATES.find((p) => fs.existsSync(p)) ?? null;
}

const CHROMIUM_PATH = findChromium();

/**
 * Why the browser tests are skipped here, or null when they run. Throws when KSIM_REQUIRE_BROWSER=1
 * (CI) and there is no browser, so CI never passes them silently.
 */
export function browserSkipReason(): string | null {
  if (CHROMIUM_PATH !== null) return null;
  const reason = `no Chromium found (${process.env.KSIM_CHROMIUM ? `KSIM_CHROMIUM=${process.env.KSIM_CHROMIUM} does not exist` : `looked at ${CHROMIUM_CANDIDATES.join(', ')}`}); install Debian's chromium (apt-get install -y chromium) or set KSIM_CHROMIUM to run them`;
  if (process.env.KSIM_REQUIRE_BROWSER === '1') throw new Error(`browser tests required (KSIM_REQUIRE_BROWSER=1) but ${reason}`);
  console.warn(`browser tests skipped: ${reason}`);
  return reason;
}

const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export async function launchChromium(): Promise<Browser> {
  if (CHROMIUM_PATH === null) throw new Error(`no Chromium: ${browserSkipReason()}`);
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
}

interface OpenedPage {
  page: Page;
  /** Console errors, failed requests and uncaught exceptions seen so far. */
  problems: string[];
}

/** Opens a local file offline; any request that leaves file:// is a problem (the page must be self-contained). */
export async function openOffline(browser: Browser, filePath: string, viewport = { width: 1400, height: 900 }): Promise<OpenedPage> {
  const context = await browser.newContext({ viewport, offline: true });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console error: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('request', (r) => {
    if (!r.url().startsWith('file:') && !r.url().startsWith('data:')) problems.push(`network request: ${r.url()}`);
  });
  await page.goto(`file://${filePath}`);
  return { page, problems };
}
