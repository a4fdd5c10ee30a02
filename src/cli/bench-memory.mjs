#!/usr/bin/env node
// A child process of `npm run bench`: runs one scenario variant alone and prints its memory figures
// as one JSON line (peak RSS is a whole-process figure, so each measurement gets its own process).
// Arguments: a JSON BenchVariant of the default scenario.
//
// It loads bench-memory.ts as the `ksim` command loads main.ts (bin.mjs): from the prebuilt bundle
// (module-bundle.mjs), else through tsx. So its peak RSS is what `ksim run` pays: through tsx the
// process starts ~50 MB larger (tsx's loader and the modules it transformed).

import { fileURLToPath } from 'node:url';
import * as path from 'node:path';
import { BUNDLE_CACHE_DIR, moduleBundle } from '../explore/module-bundle.mjs';

const source = `import ${JSON.stringify(fileURLToPath(new URL('./bench-memory.ts', import.meta.url)))};\n`;
const bundle = process.env.KSIM_BUNDLE === '0' ? { url: null } : await moduleBundle(source, path.join(BUNDLE_CACHE_DIR, 'bench-memory-bundles'));
if (bundle.url !== null) await import(bundle.url);
else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('./bench-memory.ts');
}
