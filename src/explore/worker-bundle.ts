// The code a pool thread (`ksim check --workers`, `ksim sweep`) runs, as one prebuilt JavaScript
// module instead of the TypeScript sources through tsx (module-bundle.mjs: built on first use,
// cached under node_modules/.cache/ksim while its inputs are unchanged, written atomically). A
// thread that loads the sources through tsx pays about a second of CPU for it; that start-up is
// paid once per thread, so with two threads on two cores it was most of the difference between
// the one-thread and two-thread rate. Built synchronously (esbuild's buildSync, which takes no
// plugins: the thread's modules do not read their own import.meta.url), once, before a pool
// starts. When the bundle cannot be built or stored, the caller gets null and its threads load the
// sources through tsx as before: slower to start, same results. KSIM_WORKER_BUNDLE=0 asks for that.
//
// This file is the pool's start-up (file system, the build), not simulation; like every
// src/explore/worker-* file it is exempt from the determinism scan.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { BUNDLE_CACHE_DIR, bundleBuildOptions, cachedBundle, loadEsbuild, storeBundle, type BundleOutcome } from './module-bundle.mjs';

export type { BundleOutcome } from './module-bundle.mjs';

/** Where the threads' bundles are kept unless told otherwise. */
const DEFAULT_CACHE_DIR = path.join(BUNDLE_CACHE_DIR, 'worker-bundles');

/** One module a bundle re-exports: its URL and the names it exports that the thread uses. */
export interface BundledModule {
  url: string;
  names: readonly string[];
}

/** The generated entry module: re-exports the names each module gives the thread. */
function entrySource(modules: readonly BundledModule[]): string {
  return modules.map((m) => `export { ${m.names.join(', ')} } from ${JSON.stringify(fileURLToPath(m.url))};\n`).join('');
}

/**
 * The URL of a bundle that re-exports `modules` (each module's `names`) with everything they
 * import, built now if none is current; `{ url: null, reason }` when it cannot be (the threads
 * then load the sources through tsx). `cacheDir` defaults to node_modules/.cache/ksim/worker-bundles
 * under the package. Synchronous: it runs once, before a pool starts.
 */
export function workerBundle(modules: readonly BundledModule[], cacheDir: string = DEFAULT_CACHE_DIR): BundleOutcome {
  if (process.env.KSIM_WORKER_BUNDLE === '0') return { url: null, reason: 'KSIM_WORKER_BUNDLE=0' };
  const source = entrySource(modules);
  try {
    const where = cachedBundle(source, cacheDir);
    if (where.cached !== null) return { url: pathToFileURL(where.cached).href, built: false };
    fs.mkdirSync(cacheDir, { recursive: true });
    const buildStartMs = Date.now();
    const result = loadEsbuild().buildSync(bundleBuildOptions(source, where.entry));
    return { url: pathToFileURL(storeBundle(where, result, buildStartMs, cacheDir)).href, built: true };
  } catch (e) {
    return { url: null, reason: e instanceof Error ? e.message.split('\n')[0] : String(e) };
  }
}
