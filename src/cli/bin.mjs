#!/usr/bin/env node
// Entry point of the `ksim` command. Registers tsx so the TypeScript sources run as they are (no
// build step: `npx ksim ...` and `node src/cli/bin.mjs ...` work right after `npm ci`), then hands
// the arguments to main.ts and exits with the code it returns.

import { register } from 'tsx/esm/api';

register();

// A reader that goes away early (`ksim run --json | head -c 100`) is not an error worth a stack.
process.stdout.on('error', (e) => {
  if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw e;
});

try {
  const { main } = await import('./main.ts');
  process.exitCode = await main(process.argv.slice(2));
} catch (e) {
  // Only a failure to load ksim itself gets here (main reports everything else): a bug, exit 3.
  process.stderr.write(`ksim: internal error (a bug in ksim; please report it with the command line):\n${e?.stack ?? e}\n`);
  process.exitCode = 3;
}
