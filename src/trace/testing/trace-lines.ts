// For tests of damaged and diverging traces: a trace file's lines without their checks (the
// content ksim rendered), and a file built from such lines with fresh, valid checks. An edit
// written back without sealing is damage; the same edit sealed again is an intact trace of a run
// that went differently (what another ksim version might have written), which replay must report
// as a divergence.

import * as fs from 'node:fs';
import { LineSealer, LineVerifier } from '../line-seal.ts';

/** The content of every line of a sealed trace file (header, events..., footer). */
export function traceContents(file: string): string[] {
  const lines = fs.readFileSync(file, 'utf8').split('\n');
  if (lines.pop() !== '') throw new Error(`${file} does not end with a newline`);
  const verifier = new LineVerifier();
  return lines.map((line, i) => {
    const r = verifier.unseal(line);
    if (!r.ok) throw new Error(`${file} line ${i + 1}: ${r.why}`);
    return r.content;
  });
}

/** A trace file's text from line contents, each sealed in order (a trace ksim could have written). */
export function sealedTrace(contents: readonly string[]): string {
  const sealer = new LineSealer();
  return contents.map((c) => sealer.seal(c)).join('\n') + '\n';
}

/** The sealed lines of `contents` (for edits that keep some checks and break others). */
export function sealedLines(contents: readonly string[]): string[] {
  const sealer = new LineSealer();
  return contents.map((c) => sealer.seal(c));
}
