// One prebuilt JavaScript module for TypeScript sources: what the `ksim` command (bin.mjs) and the
// pool threads of `ksim check` / `ksim sweep` (worker-bundle.ts) load instead of the sources
// through tsx. Loading the sources through tsx costs about a second and a half of CPU per process
// or thread (tsx transforms each of ~350 modules on its loader thread, and each is resolved and
// linked on its own); one bundle loads in a few hundred milliseconds.
//
// Plain JavaScript, because bin.mjs needs it before anything can load TypeScript.
//
// A bundle is built on first use by esbuild (the transform tsx itself runs, so the code is the
// same) and kept under the package's node_modules/.cache/ksim/ for the next run, described by a
// manifest that lists every file it was built from with the SHA-256 of its contents; it is used
// only while every one of them is unchanged (an edit, a git checkout, an npm upgrade rebuild it).
// Each source's `import.meta.url` is replaced by that source's own URL, so a module that finds a
// file next to it (a shim, a schema, bin.mjs) finds it from the bundle too. Concurrent processes
// (vitest's forks, two shells) may build at once: each writes its file under a temporary name and
// renames it into place, the bundle under a name that is the hash of its contents and then the
// manifest naming it, so a reader sees an old complete pair or a new one, never a torn file. When
// the bundle cannot be built or stored (esbuild missing, a read-only install, a build error), the
// caller gets null and loads the sources through tsx: slower to start, same results.
//
// This is start-up (file system, the build), not simulation: exempt from the determinism scan.

import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { threadId } from 'node:worker_threads';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** Raised when the build options below change, so bundles built with the old ones are not reused. */
const BUNDLE_FORMAT = 3;
/** Bundles other than the current one of a key are removed once they are this old (a reader may still be loading a younger one). */
const STALE_BUNDLE_AGE_MS = 60 * 60 * 1000;

/** The package's root: src/explore/ is two levels below it. */
const PACKAGE_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** Where bundles are kept unless told otherwise: the usual place for a package's build caches. */
export const BUNDLE_CACHE_DIR = path.join(PACKAGE_ROOT, 'node_modules', '.cache', 'ksim');

function sha256(data) {
  return crypto.createHash('sha256').update(data).digest('hex');
}

function stateOf(file) {
  const stats = fs.statSync(file);
  return { sha256: sha256(fs.readFileSync(file)), size: stats.size, mtimeMs: stats.mtimeMs };
}

/** Whether `file` still has the contents it had: the same size and time, as make judges, or else the same SHA-256 (a checkout that rewrote it as it was). */
function unchanged(file, state) {
  const stats = fs.statSync(file);
  if (stats.size !== state.size) return false;
  return stats.mtimeMs === state.mtimeMs || sha256(fs.readFileSync(file)) === state.sha256;
}

/** The manifest's bundle if every input it lists still has the contents it was built from; else null. */
function currentBundle(manifestPath, cacheDir) {
  let manifest;
  try {
    manifest = JSON.parse(fs.readFileSync(manifestPath, 'utf8'));
  } catch {
    return null; // none yet (or unreadable): build one
  }
  if (manifest === null || manifest.format !== BUNDLE_FORMAT || typeof manifest.bundle !== 'string' || typeof manifest.inputs !== 'object') return null;
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
function writeAtomically(target, data) {
  const temporary = `${target}.${process.pid}-${threadId}-${crypto.randomBytes(4).toString('hex')}.tmp`;
  try {
    fs.writeFileSync(temporary, data, { mode: 0o644 });
    fs.renameSync(temporary, target);
  } finally {
    fs.rmSync(temporary, { force: true });
  }
}

/** Packages a bundle imports from node_modules rather than holds: they find their own files next to them. */
const UNBUNDLED_PACKAGES = ['piscina', 'esbuild', 'tsx'];

/**
 * An esbuild plugin giving each source outside node_modules (TypeScript, and the plain JavaScript
 * modules such as this one) its own `import.meta.url`: without it, this module inside the `ksim`
 * command's bundle would take the bundle's own location for the package root, and keep worker
 * bundles under node_modules/.cache/ksim/node_modules/.cache/.
 */
const ownImportMetaUrl = {
  name: 'ksim-own-import-meta-url',
  setup(build) {
    build.onLoad({ filter: /\.(ts|mjs)$/ }, (args) => {
      if (args.path.includes(`${path.sep}node_modules${path.sep}`)) return undefined;
      const source = fs.readFileSync(args.path, 'utf8');
      const loader = args.path.endsWith('.ts') ? 'ts' : 'js';
      return { contents: source.replace(/\bimport\.meta\.url\b/g, JSON.stringify(pathToFileURL(args.path).href)), loader };
    });
  },
};

/**
 * esbuild's options for a bundle of `source` (plugins aside): one ES module for Node 20, the
 * sources resolved from the package root. `entry` names the generated entry in the metafile.
 */
export function bundleBuildOptions(source, entry) {
  return {
    stdin: { contents: source, resolveDir: PACKAGE_ROOT, loader: 'ts', sourcefile: entry },
    absWorkingDir: PACKAGE_ROOT,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    // The CommonJS packages bundled in (seedrandom, commander) call require() for Node's built-ins.
    // The bundle's own location, spelt so that ownImportMetaUrl, which gives this file its own
    // import.meta.url, leaves this string alone.
    banner: { js: "import { createRequire as __ksimCreateRequire } from 'node:module';\nconst require = __ksimCreateRequire(import.meta" + '.url);' },
    write: false,
    metafile: true,
    logLevel: 'silent',
  };
}

/** esbuild itself, loaded only when a bundle is built (a cached one needs none). */
export function loadEsbuild() {
  return createRequire(import.meta.url)('esbuild');
}

/**
 * Where the bundle of `source` is kept: its key, its manifest's path, and its current bundle's
 * path if every input it lists is unchanged (else null: build one).
 */
export function cachedBundle(source, cacheDir) {
  const key = sha256(`${BUNDLE_FORMAT}\n${source}`).slice(0, 16);
  const manifestPath = path.join(cacheDir, `${key}.json`);
  return { key, manifestPath, entry: `ksim-bundle-entry-${key}.ts`, cached: currentBundle(manifestPath, cacheDir) };
}

/**
 * Stores esbuild's `result` (built with bundleBuildOptions, started at `buildStartMs`) as the
 * bundle of `where` (cachedBundle's answer) with its manifest; returns the bundle's path.
 */
export function storeBundle(where, result, buildStartMs, cacheDir) {
  const code = result.outputFiles[0].contents;
  const inputs = {};
  for (const input of Object.keys(result.metafile.inputs).sort()) {
    if (input === where.entry) continue; // generated, not a file
    inputs[input] = stateOf(path.join(PACKAGE_ROOT, input));
  }
  const bundle = `${where.key}-${sha256(code).slice(0, 16)}.mjs`;
  const bundlePath = path.join(cacheDir, bundle);
  if (!fs.existsSync(bundlePath)) writeAtomically(bundlePath, code);
  // An input edited while esbuild read it may differ from what it read: this bundle serves this
  // run, but no manifest vouches for it, so the next run builds again.
  if (Object.values(inputs).some((state) => state.mtimeMs >= buildStartMs)) return bundlePath;
  writeAtomically(where.manifestPath, JSON.stringify({ format: BUNDLE_FORMAT, bundle, inputs }));
  removeOldBundles(cacheDir, where.key, bundle);
  return bundlePath;
}

/** Removes this key's bundles other than `current` that are over an hour old (no process still loads them), and stray temporary files. */
function removeOldBundles(cacheDir, key, current) {
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
 * The URL of a bundle of `source` (an entry module's TypeScript, resolved from the package root)
 * with everything it imports (but UNBUNDLED_PACKAGES), each source keeping its own
 * `import.meta.url`, built now if none is
 * current: `{ url, built }`, or `{ url: null, reason }` when it cannot be (the caller then loads
 * the sources through tsx). `cacheDir` holds the bundle and its manifest, keyed by the source.
 */
export async function moduleBundle(source, cacheDir) {
  try {
    const where = cachedBundle(source, cacheDir);
    if (where.cached !== null) return { url: pathToFileURL(where.cached).href, built: false };
    fs.mkdirSync(cacheDir, { recursive: true });
    const buildStartMs = Date.now();
    // Packages that find their own files by __dirname (piscina's worker) stay in node_modules, imported from there.
    const result = await loadEsbuild().build({ ...bundleBuildOptions(source, where.entry), external: UNBUNDLED_PACKAGES, plugins: [ownImportMetaUrl] });
    return { url: pathToFileURL(storeBundle(where, result, buildStartMs, cacheDir)).href, built: true };
  } catch (e) {
    return { url: null, reason: e instanceof Error ? e.message.split('\n')[0] : String(e) };
  }
}
