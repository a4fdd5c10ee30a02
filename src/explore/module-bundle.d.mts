// Types of module-bundle.mjs (plain JavaScript, so that bin.mjs can load it before TypeScript).
import type { BuildOptions, BuildResult } from 'esbuild';

export declare const BUNDLE_CACHE_DIR: string;

/** Where a bundle is kept, and its current file if its inputs are unchanged. */
interface BundleLocation {
  key: string;
  manifestPath: string;
  entry: string;
  cached: string | null;
}

export type BundleOutcome = { url: string; built: boolean } | { url: null; reason: string };

export declare function bundleBuildOptions(source: string, entry: string): BuildOptions & { write: false; metafile: true };
export declare function loadEsbuild(): typeof import('esbuild');
export declare function cachedBundle(source: string, cacheDir: string): BundleLocation;
export declare function storeBundle(where: BundleLocation, result: BuildResult<{ write: false; metafile: true }>, buildStartMs: number, cacheDir: string): string;
export declare function moduleBundle(source: string, cacheDir: string): Promise<BundleOutcome>;
