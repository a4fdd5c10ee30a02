// The committed studies (models/kafka/studies/NAME/sweep.json, whose tables the README shows) are
// what the model produces now: the worst run of each study's first and last cell, re-run from its
// preset, settings and seed, gives the trace hash the sweep recorded. A model change that moves a
// study's runs fails here until the study is re-run (`ksim sweep --study NAME --seeds 50 --out
// models/kafka/studies/NAME`, then `npm run readme`), so the README's tables cannot go stale.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runScenario } from '../testing/scenario-run.ts';
import { KAFKA_STUDIES } from './kafka-studies.ts';

const STUDIES = path.join(import.meta.dirname, '..', 'studies');
const PRESETS = path.join(import.meta.dirname, '..', 'presets');

interface SweepCell {
  settings: string[];
  worst: { seed: string; traceHash: string } | null;
}

describe('committed studies', () => {
  for (const study of KAFKA_STUDIES) {
    it(`${study.name}: its first and last cells' worst runs replay to the recorded trace hashes`, () => {
      const sweep = JSON.parse(fs.readFileSync(path.join(STUDIES, study.name, 'sweep.json'), 'utf8')) as { settings: string[]; cells: SweepCell[] };
      const scenario = JSON.parse(fs.readFileSync(path.join(PRESETS, `${study.scenario}.scenario.json`), 'utf8')) as Record<string, unknown>;
      const cells = [sweep.cells[0], sweep.cells[sweep.cells.length - 1]];
      for (const cell of cells) {
        expect(cell.worst, `${study.name}: a cell without a worst run`).not.toBeNull();
        const { report } = runScenario({ ...scenario, seed: cell.worst!.seed }, [...sweep.settings, ...cell.settings]);
        expect(report.traceHash, `${study.name} ${cell.settings.join(' ')} seed ${cell.worst!.seed}: re-run the study`).toBe(cell.worst!.traceHash);
      }
    }, 120_000);
  }
});
