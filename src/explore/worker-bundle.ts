// The code a pool thread (`ksim check --workers`, `ksim sweep`) runs, as one prebuilt JavaScript
// module instead of the TypeScript sources through tsx. A thread that loads the sources through
// tsx pays about a second of CPU for it (tsx's loader thread transforms each of ~350 modules, and
// each is resolved and linked on its own); the bundle is one file that loads in a few hundred
// milliseconds and needs no loader thread. That start-up is paid once per thread, so with two
// threads on two cores it was most of the difference between the one-thread and two-thread rate.
//
// The bundle is built on first use by esbuild (the transform tsx itself runs, so the code is the
// same) and kept under the package's node_modules/.cache/ksim/ for the next run, described by a
// manifest that lists every file it was built from with the SHA-256 of its contents; it is used
// only while every one of them is unchanged (an edit, a git checkout, an npm upgrade rebuild it).
// Concurrent processes (vitest's forks, two shells) may build it at once: each writes its file
// under a temporary name and renames it into place, the bundle under a name that is the hash of its
// contents and then the manifest naming it, so a reader sees an old complete pair or a new one,
// never a torn file. When the bundle cannot be built or stored (esbuild missing, a read-only
// install, a build error), the caller gets null and its threads load the sources through tsx as
// before: slower to start, same results. KSIM_WORKER_BUNDLE=0 asks for that path.
//
// This file is the pool's start-up (file system, the build), not simulation; like every
// src/explore/worker-* file it is exempt from the determinism scan.

import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { threadId } from 'node:worker_threads';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** Raised when the build options below change, so bundles built with the old ones are not reused. */
const BUNDLE_FORMAT = 1;
/** Bundles other than the current one of a key are removed once they are this old (a reader may still be loading a younger one). */
const STALE_BUNDLE_AGE_MS = 60 * 60 * 1000;

/** The package's root: src/explore/ is two levels below it. */
const PACKAGE_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** Where bundles are kept unless told otherwise: the usual place for a package's build caches. */
const DEFAULT_CACHE_DIR = path.join(PACKAGE_ROOT, 'node_modules', '.cache', 'ksim', 'worker-bundles');

/** One module a bundle re-exports: its URL and the names it exports that the thread uses. */
export interface BundledModule {
  url: string;
  names: readonly string[];
}

/** An input file as the bundle was built from it: the SHA-256 of its contents, and its size and modification time (a quick check before hashing). */
interface InputState {
  sha256: string;
  size: number;
  mtimeMs: number;
}

/** A bundle's manifest: the file it names and every input it was built from (paths relative to the package root). */
interface BundleManifest {
  format: number;
  bundle: string;
  inputs: Record<string, InputState>;
}

/** What workerBundle found or did: the bundle's URL, or null and why the threads load the sources instead. */
export type BundleOutcome = { url: string; built: boolean } | { url: null; reason: string };

function sha256(data: string | Uint8Array): string {
  return crypto.createHash('sha256').update(data).digest('hex');
}

/** The generated entry module: re-exports the names each module gives the thread. */
function entrySource(modules: readonly BundledModule[]): string {
  return modules.map((m) => `export { ${m.names.join(', ')} } from ${JSON.stringify(fileURLToPath(m.url))};\n`).join('');
}

function stateOf(file: string): InputState {
  const stats = fs.statSync(file);
  return { sha256: sha256(fs.readFileSync(file)), size: stats.size, mtimeMs: stats.mtimeMs };
}

/** Whether `file` still has the contents it had: the same size and time, as make judges, or else the same SHA-256 (a checkout that rewrote it as it was). */
function unchanged(file: string, state: InputState): boolean {
  const stats = fs.statSync(file);
  if (stats.size !== state.size) return false;
  return stats.mtimeMs === state.mtimeMs || sha256(fs.readFileSync(file)) === state.sha256;
}

/** The manifest's bundle if every input it lists still has the contents it was built from; else null. */
function currentBundle(manifestPath: string, cacheDir: string): string | null {
  let manifest: BundleManifest;
  try {
    manifest = JSON.parse(fs.readFileSync(manifestPath, 'utf8')) as BundleManifest;
  } catch {
    return null; // none yet (or unreadable): build one
  }
  if (manifest.format !== BUNDLE_FORMAT || typeof manifest.bundle !== 'string' || typeof manifest.inputs !== 'object') return null;
  for (const [input, state] of Object.entries(manifest.inputs)) {
    try {
      if (!unchanged(path.join(PACKAGE_ROOT, input), state)) return null;
    } catch {
      return null; // an input was removed or renamed
    }
  }
  const bundlePath = path.join(cacheDir, manifest.bundle);
  return fs.existsSync(bundlePath) ? bundlePath : null;
}

/** Writes `data` to `target` through a temporary file in the same directory and a rename: readers see the old file or the whole new one. */
function writeAtomically(target: string, data: string | Uint8Array): void {
  const temporary = `${target}.${process.pid}-${threadId}-${crypto.randomBytes(4).toString('hex')}.tmp`;
  try {
    fs.writeFileSync(temporary, data, { mode: 0o644 });
    fs.renameSync(temporary, target);
  } finally {
    fs.rmSync(temporary, { force: true });
  }
}

/** Builds the bundle with esbuild (loaded only now: a cached bundle needs no esbuild) and stores it with its manifest; returns its path. */
function buildBundle(key: string, modules: readonly BundledModule[], cacheDir: string, manifestPath: string): string {
  const require = createRequire(import.meta.url);
  const esbuild = require('esbuild') as typeof import('esbuild');
  const entry = `ksim-worker-entry-${key}.ts`;
  const buildStartMs = Date.now();
  const result = esbuild.buildSync({
    stdin: { contents: entrySource(modules), resolveDir: PACKAGE_ROOT, loader: 'ts', sourcefile: entry },
    absWorkingDir: PACKAGE_ROOT,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    // The CommonJS packages bundled in (seedrandom) call require() for Node's built-ins.
    banner: { js: "import { createRequire as __ksimCreateRequire } from 'node:module';\nconst require = __ksimCreateRequire(import.meta.url);" },
    write: false,
    metafile: true,
    logLevel: 'silent',
  });
  const code = result.outputFiles[0].contents;
  const inputs: Record<string, InputState> = {};
  for (const input of Object.keys(result.metafile.inputs).sort()) {
    if (input === entry) continue; // generated, not a file
    inputs[input] = stateOf(path.join(PACKAGE_ROOT, input));
  }
  const bundle = `${key}-${sha256(code).slice(0, 16)}.mjs`;
  const bundlePath = path.join(cacheDir, bundle);
  if (!fs.existsSync(bundlePath)) writeAtomically(bundlePath, code);
  // An input edited while esbuild read it may differ from what it read: this bundle serves this
  // run, but no manifest vouches for it, so the next run builds again.
  if (Object.values(inputs).some((state) => state.mtimeMs >= buildStartMs)) return bundlePath;
  writeAtomically(manifestPath, JSON.stringify({ format: BUNDLE_FORMAT, bundle, inputs } satisfies BundleManifest));
  removeOldBundles(cacheDir, key, bundle);
  return bundlePath;
}

/** Removes this key's bundles other than `current` that are over an hour old (no process still loads them), and stray temporary files. */
function removeOldBundles(cacheDir: string, key: string, current: string): void {
  const now = Date.now();
  for (const name of fs.readdirSync(cacheDir)) {
    if (name === current || !name.startsWith(`${key}-`)) continue;
    try {
      if (now - fs.statSync(path.join(cacheDir, name)).mtimeMs > STALE_BUNDLE_AGE_MS) fs.rmSync(path.join(cacheDir, name), { force: true });
    } catch {
      // removed by another process meanwhile
    }
  }
}

/**
 * The URL of a bundle that re-exports `modules` (each module's `names`) with everything they
 * import, built now if none is current; `{ url: null, reason }` when it cannot be (the threads
 * then load the sources through tsx). `cacheDir` defaults to node_modules/.cache/ksim/worker-bundles
 * under the package. Synchronous: it runs once, before a pool starts.
 */
export function workerBundle(modules: readonly BundledModule[], cacheDir: string = DEFAULT_CACHE_DIR): BundleOutcome {
  if (process.env.KSIM_WORKER_BUNDLE === '0') return { url: null, reason: 'KSIM_WORKER_BUNDLE=0' };
  const key = sha256(`${BUNDLE_FORMAT}\n${entrySource(modules)}`).slice(0, 16);
  const manifestPath = path.join(cacheDir, `${key}.json`);
  try {
    const cached = currentBundle(manifestPath, cacheDir);
    if (cached !== null) return { url: pathToFileURL(cached).href, built: false };
    fs.mkdirSync(cacheDir, { recursive: true });
    return { url: pathToFileURL(buildBundle(key, modules, cacheDir, manifestPath)).href, built: true };
  } catch (e) {
    return { url: null, reason: e instanceof Error ? e.message.split('\n')[0] : String(e) };
  }
}
