// Size rules: no function over 80 lines and no file over 450 (src/, models/, properties/tidy/), so
// a reader can hold a function in view and a file in mind. Functions are found with swc (see
// function-spans.ts), and each rule is shown catching a bad example.
import { describe, expect, it } from 'vitest';
import { fileLines, functionSpans } from './function-spans.ts';
import { sourceFiles } from './source-files.ts';

const FUNCTION_LINES_MAX = 80;
const FILE_LINES_MAX = 450;

const files = sourceFiles(['src', 'models', 'properties/tidy']);

/** "path: name (lines)" of every function over the limit. */
function longFunctions(source: { path: string; text: string }[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const f of source)
    for (const fn of functionSpans(f.path, f.text)) if (fn.lines > FUNCTION_LINES_MAX) out.set(`${f.path}: ${fn.name}`, Math.max(fn.lines, out.get(`${f.path}: ${fn.name}`) ?? 0));
  return out;
}

describe('tidy: size', () => {
  it(`no function over ${FUNCTION_LINES_MAX} lines`, () => {
    expect([...longFunctions(files)].map(([fn, lines]) => `${fn} has ${lines} lines`)).toEqual([]);
  });

  it(`no file over ${FILE_LINES_MAX} lines`, () => {
    const long = files.map((f) => [f.path, fileLines(f.text)] as const).filter(([, n]) => n > FILE_LINES_MAX);
    expect(long.map(([path, lines]) => `${path} has ${lines} lines`)).toEqual([]);
  });

  it('measures functions of every kind by the lines they span, and names them', () => {
    const body = (n: number) => Array.from({ length: n }, (_, i) => `  step(${i});`).join('\n');
    const text = [
      `export function long() {\n${body(80)}\n}`,
      `const arrow = () => {\n${body(10)}\n};`,
      `class Engine {\n  run(): void {\n${body(85)}\n  }\n  constructor() {}\n}`,
      `export const handlers = { onEvent(x: number) {\n${body(3)}\n} };`,
      `describe('a suite', () => {\n${body(100)}\n  it('a case', () => {\n${body(90)}\n  });\n});`,
    ].join('\n');
    const spans = new Map(functionSpans('bad.ts', text).map((f) => [f.name, f.lines]));
    expect(spans.get('long')).toBe(82);
    expect(spans.get('arrow')).toBe(12);
    expect(spans.get('Engine.run')).toBe(87);
    expect(spans.get('Engine.constructor')).toBe(1);
    expect(spans.get('handlers.onEvent')).toBe(5);
    // The suite's body is not a function to keep short; its cases are.
    expect([...longFunctions([{ path: 'bad.ts', text }]).keys()]).toEqual(['bad.ts: long', 'bad.ts: Engine.run', 'bad.ts: it(a case)']);
    expect(fileLines('a\nb\n')).toBe(2);
    expect(fileLines('a\nb')).toBe(2);
  });
});
