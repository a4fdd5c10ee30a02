// Determinism guard: simulation code must not read clocks, draw unseeded randomness, schedule real
// timers or promises, or iterate with `for...in`, whose walk takes in inherited enumerable
// properties too (a library that patches a prototype would change what a run iterates, and in
// which order): iterate Object.keys, Object.entries or a Map, whose order is insertion order. A
// `for...in` that is deliberate says why in a `tidy: for-in` comment on the line before (the
// trace hash walks each event's own fields in place, allocating nothing per event). The CLI
// (progress, wall time), the reports, the worker pools of sweep and check, the code bundles they
// and bin.mjs load (src/explore/module-bundle.mjs: file system and the build), the library's loader
// (src/api/index.mjs awaits the TypeScript entry, as the CLI's bin.mjs does) and the tidy tools are
// exempt; tests too.
import { describe, expect, it } from 'vitest';
import { sourceFiles, type SourceFile } from './source-files.ts';

const EXEMPT = [/^src\/cli\//, /^src\/report\//, /^src\/api\/index\.mjs$/, /\.test\.ts$/, /^src\/explore\/(sweep\/)?worker-/, /^src\/explore\/module-bundle\.mjs$/];
const FORBIDDEN: [RegExp, string][] = [
  [/\bMath\.random\s*\(/, 'Math.random'],
  [/\bDate\.now\s*\(/, 'Date.now'],
  [/\bperformance\.now\s*\(/, 'performance.now'],
  [/\bnew Date\s*\(/, 'new Date('],
  [/\b(setTimeout|setInterval|setImmediate|queueMicrotask)\s*\(/, 'timers'],
  [/\bprocess\.hrtime\b/, 'process.hrtime'],
  [/\bcrypto\.(random|getRandomValues)/, 'crypto randomness'],
  [/\b(randomBytes|randomUUID|randomInt)\s*\(/, 'crypto randomness'],
  [/\basync\s+(function|\(|[a-zA-Z_]+\s*\()|\bawait\b|new Promise\b|Promise\.(all|resolve|race)/, 'promises'],
];
const FOR_IN = /\bfor\s*\(\s*(const|let|var)\s+[\w$]+\s+in\s/;
const FOR_IN_REASON = /\/\/.*\btidy: for-in\b/;

export function findForbidden(files: readonly SourceFile[]): string[] {
  const hits: string[] = [];
  for (const { path, text } of files) {
    const lines = text.split('\n');
    lines.forEach((line, i) => {
      const code = line.replace(/\/\/.*$/, '');
      for (const [re, what] of FORBIDDEN) if (re.test(code)) hits.push(`${path}:${i + 1}: ${what}`);
      if (FOR_IN.test(code) && !FOR_IN_REASON.test(lines[i - 1] ?? '')) hits.push(`${path}:${i + 1}: for...in without a "tidy: for-in" reason`);
    });
  }
  return hits;
}

function simulationFiles(): SourceFile[] {
  return sourceFiles(['src', 'models']).filter((f) => !EXEMPT.some((re) => re.test(f.path)));
}

describe('tidy: determinism of simulation code', () => {
  it('finds no clock, unseeded randomness, timers, promises or unexplained for...in in src/ (outside cli, report) and the models', () => {
    const files = simulationFiles();
    expect(files.length).toBeGreaterThan(10);
    expect(findForbidden(files)).toEqual([]);
  });

  it('the scan itself catches each forbidden call', () => {
    const bad = [
      'const x = Math.random();',
      'const t = Date.now();',
      'const p = performance.now();',
      'const d = new Date(0);',
      'setTimeout(() => 1, 5);',
      'crypto.randomUUID();',
      'await thing();',
      'for (const key in replicasById) elect(key);',
      '// a comment that gives no reason\nfor (let k in o) use(k);',
    ];
    const hits = findForbidden(bad.map((text, i) => ({ path: `f${i}.ts`, text })));
    const filesHit = new Set(hits.map((h) => h.split(':')[0]));
    expect(filesHit.size).toBe(bad.length);
    expect(findForbidden([{ path: 'ok.ts', text: '// Date.now() is mentioned in a comment only' }])).toEqual([]);
    expect(findForbidden([{ path: 'ok.ts', text: '// tidy: for-in: own fields of a plain object, walked in place\nfor (const k in event) hash(k);' }])).toEqual([]);
    expect(findForbidden([{ path: 'ok.ts', text: 'for (const k of Object.keys(o)) use(k);\nif (key in map) use(key);' }])).toEqual([]);
  });
});
