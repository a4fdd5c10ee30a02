// Parses a source file with swc (TypeScript 7 has no JS API) and turns swc's spans, which are
// 1-based UTF-8 byte offsets, into line numbers. The module's own span starts at its first token,
// which fixes the offset even if swc's positions do not start at 1.

import { parseSync, type Module, type Span } from '@swc/core';

interface ParsedSource {
  module: Module;
  /** The 1-based line of a span's start or end. */
  lineOf(position: number): number;
  /** Lines a span covers, first and last included. */
  lines(span: Span): number;
}

/** Where the first token starts: after a shebang, whitespace and comments. */
function firstTokenByte(text: string): number {
  const trivia = /^(?:#![^\n]*\n)?(?:\s|\/\/[^\n]*(?:\n|$)|\/\*[\s\S]*?\*\/)*/.exec(text)![0];
  return Buffer.byteLength(trivia);
}

export function parseSource(path: string, text: string): ParsedSource {
  const module = parseSync(text, { syntax: /\.m?ts$/.test(path) ? 'typescript' : 'ecmascript', target: 'es2022' });
  const bytes = Buffer.from(text);
  const lineStarts = [0];
  for (let i = 0; i < bytes.length; i++) if (bytes[i] === 10) lineStarts.push(i + 1);
  // A module with no code has an empty span; nothing will ask for a line then.
  const base = module.body.length === 0 ? 0 : module.span.start - firstTokenByte(text);
  const lineOf = (position: number) => {
    const byte = position - base;
    let lo = 0;
    let hi = lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (lineStarts[mid] <= byte) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  };
  // A span's end is one past its last byte.
  return { module, lineOf, lines: (span) => lineOf(span.end - 1) - lineOf(span.start) + 1 };
}
