// Determinism guard: simulation code must not read clocks, draw unseeded randomness, or schedule
// real timers and promises. The CLI (progress, wall time) and reports are exempt; tests too.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..');
const SCANNED = ['src', 'models'];
const EXEMPT = [/^src\/cli\//, /^src\/report\//, /\.test\.ts$/, /^src\/explore\/sweep\/worker/];
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

export function findForbidden(files: { path: string; text: string }[]): string[] {
  const hits: string[] = [];
  for (const { path, text } of files) {
    text.split('\n').forEach((line, i) => {
      const code = line.replace(/\/\/.*$/, '');
      for (const [re, what] of FORBIDDEN) if (re.test(code)) hits.push(`${path}:${i + 1}: ${what}`);
    });
  }
  return hits;
}

function simulationFiles(): { path: string; text: string }[] {
  const out: { path: string; text: string }[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const full = join(dir, name);
      if (statSync(full).isDirectory()) walk(full);
      else if (/\.(ts|mts|js|mjs)$/.test(name)) {
        const rel = relative(root, full).split('\\').join('/');
        if (!EXEMPT.some((re) => re.test(rel))) out.push({ path: rel, text: readFileSync(full, 'utf8') });
      }
    }
  };
  for (const d of SCANNED) walk(join(root, d));
  return out;
}

describe('tidy: determinism of simulation code', () => {
  it('finds no clock, unseeded randomness, timers or promises in src/ (outside cli, report) and models/', () => {
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
    ];
    const hits = findForbidden(bad.map((text, i) => ({ path: `f${i}.ts`, text })));
    const filesHit = new Set(hits.map((h) => h.split(':')[0]));
    expect(filesHit.size).toBe(bad.length);
    expect(findForbidden([{ path: 'ok.ts', text: '// Date.now() is mentioned in a comment only' }])).toEqual([]);
  });
});
