// The project's source files as the tidy rules read them: every .ts, .mts, .js and .mjs file under
// the given top-level folders, with its path relative to the project root (forward slashes), in a
// fixed order. node_modules and dot-folders are never walked.

import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

export interface SourceFile {
  /** Relative to the project root, with forward slashes ("src/sim/model.ts"). */
  path: string;
  text: string;
}

export const PROJECT_ROOT = join(import.meta.dirname, '..', '..');

const CODE = /\.(ts|mts|js|mjs)$/;

export function sourceFiles(dirs: readonly string[], root = PROJECT_ROOT): SourceFile[] {
  const out: SourceFile[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      if (name === 'node_modules' || name.startsWith('.')) continue;
      const full = join(dir, name);
      if (statSync(full).isDirectory()) walk(full);
      else if (CODE.test(name)) out.push({ path: relative(root, full).split('\\').join('/'), text: readFileSync(full, 'utf8') });
    }
  };
  for (const d of dirs) walk(join(root, d));
  return out;
}
