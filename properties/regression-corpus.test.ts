// The regression corpus: every trace saved in traces/ (counterexamples `ksim check` found, kept on
// purpose) is replayed. Each must replay identically (same events, same hash) and reach the same
// verdict it recorded, so a model change that alters a saved counterexample is seen here.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { MODELS } from '../models/index.ts';
import { replayTrace } from '../src/trace/replay.ts';

const dir = path.join(import.meta.dirname, '..', 'traces');
const traces = fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith('.jsonl')).sort() : [];

describe('regression corpus (traces/)', () => {
  it('holds at least one saved counterexample', () => {
    expect(traces.length).toBeGreaterThan(0);
  });

  for (const file of traces) {
    it(`${file} replays identically with its recorded verdict`, () => {
      const result = replayTrace(path.join(dir, file), MODELS);
      expect(result.divergence ?? null).toBeNull();
      expect(result.identical).toBe(true);
      const recorded = result.footer.summary.violations.map((v) => v.property).sort();
      const now = (result.report?.violations ?? []).map((v) => v.property).sort();
      expect(now).toEqual(recorded);
      // a counterexample is kept because it fails: it must still fail
      expect(now.length).toBeGreaterThan(0);
      // the file is named after the first property it breaks (in report order, as ksim check
      // names it) and the run's hash
      expect(file).toBe(`${result.footer.summary.violations[0].property}-${result.footer.traceHash}.jsonl`);
    });
  }
});
