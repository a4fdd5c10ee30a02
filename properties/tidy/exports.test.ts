// Unused exports: an export nothing imports is dead code, or a name its file should keep to itself.
// Judged over src/, models/ and properties/tidy/ (tests left out: nothing imports a test), with
// every file of src/, models/ and properties/ as a possible importer (found with swc, see
// unused-exports.ts).
import { describe, expect, it } from 'vitest';
import { sourceFiles } from './source-files.ts';
import { unusedExports } from './unused-exports.ts';

describe('tidy: unused exports', () => {
  it('finds no export that nothing imports', () => {
    const all = sourceFiles(['src', 'models', 'properties']);
    const judged = all.filter((f) => /^(src|models|properties\/tidy)\//.test(f.path) && !f.path.endsWith('.test.ts'));
    expect(unusedExports(judged, all)).toEqual([]);
  });

  it('counts named, namespace, re-exported, dynamic and URL imports as uses, and an .mjs import as a use of its .d.mts', () => {
    const files = [
      { path: 'src/a.ts', text: 'export const used = 1;\nexport const unused = 2;\nexport function alsoUsed() {}\nexport type T = number;\nexport default 3;\n' },
      { path: 'src/b.ts', text: "import { used } from './a.ts';\nimport type { T } from './a.ts';\nexport { alsoUsed as renamed } from './a.ts';\nexport const b: T = used;\n" },
      { path: 'src/c.ts', text: 'export const c = 1;\nexport interface Shape { c: number }\n' },
      { path: 'src/d.ts', text: "const m = await import('./c.ts');\nexport const worker = new URL('./e.mjs', import.meta.url);\n" },
      { path: 'src/e.mjs', text: 'export const e = 1;\n' },
      { path: 'src/f.ts', text: "import * as all from './g.ts';\nexport const f = all;\n" },
      { path: 'src/g.ts', text: 'export const g1 = 1;\nexport const g2 = 2;\n' },
      { path: 'src/b.test.ts', text: "import { b } from './b.ts';\n" },
      { path: 'src/h.mjs', text: 'export const h1 = 1;\nexport const h2 = 2;\n' },
      { path: 'src/h.d.mts', text: 'export declare const h1: number;\nexport declare const h2: number;\n' },
      { path: 'src/i.ts', text: "import { h1 } from './h.mjs';\nexport const i = h1;\n" },
    ];
    const judged = files.filter((f) => !f.path.endsWith('.test.ts'));
    expect(unusedExports(judged, files)).toEqual(['src/a.ts: unused', 'src/b.ts: renamed', 'src/d.ts: worker', 'src/f.ts: f', 'src/h.mjs: h2', 'src/h.d.mts: h2', 'src/i.ts: i']);
  });
});
