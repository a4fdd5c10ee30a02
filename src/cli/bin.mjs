#!/usr/bin/env node
// Entry point of the `ksim` command: loads main.ts and exits with the code it returns. No build
// step: `npx ksim ...` and `node src/cli/bin.mjs ...` work right after `npm ci`. The sources run
// as one bundle esbuild builds on first use and keeps while they are unchanged
// (src/explore/module-bundle.mjs): about 0.4 s of CPU to start instead of 1.6 s through tsx.
// Without a bundle (it cannot be built or stored, or KSIM_BUNDLE=0), through tsx: same results.

import { fileURLToPath } from 'node:url';
import * as path from 'node:path';
import { BUNDLE_CACHE_DIR, moduleBundle } from '../explore/module-bundle.mjs';

// A reader that goes away early (`ksim run --json | head -c 100`) is not an error worth a stack.
process.stdout.on('error', (e) => {
  if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw e;
});

/** main.ts's `main`, from the bundle if there is one, else from the sources through tsx. */
async function loadMain() {
  const source = `export { main } from ${JSON.stringify(fileURLToPath(new URL('./main.ts', import.meta.url)))};\n`;
  const bundle = process.env.KSIM_BUNDLE === '0' ? { url: null } : await moduleBundle(source, path.join(BUNDLE_CACHE_DIR, 'main-bundles'));
  if (bundle.url !== null) return (await import(bundle.url)).main;
  const { register } = await import('tsx/esm/api');
  register();
  return (await import('./main.ts')).main;
}

try {
  const main = await loadMain();
  process.exitCode = await main(process.argv.slice(2));
} catch (e) {
  // Only a failure to load ksim itself gets here (main reports everything else): a bug, exit 3.
  process.stderr.write(`ksim: internal error (a bug in ksim; please report it with the command line):\n${e?.stack ?? e}\n`);
  process.exitCode = 3;
}
