// Counterexample trace files: one per (scenario, property, run, settings). Two runs whose settings
// differ only where no event changes have the same trace hash; each must still get its own file,
// and each file must replay its own settings.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { MODELS } from '../scenario/testing/fixture-registry.ts';
import { resolveScenario } from '../scenario/resolve-scenario.ts';
import { runResolved } from '../scenario/run-scenario.ts';
import { replayTrace } from '../trace/replay.ts';
import { caseScenario, runCheck, type Counterexample } from './check-runner.ts';
import { saveCounterexample } from './counterexample-trace.ts';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ksim-cx-trace-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('saveCounterexample', () => {
  const raw = { model: 'ping', durationMs: 10_000 };
  const settings = ['ping.bug="never-forgive"'];
  const found = runCheck({ raw, models: MODELS, settings, runs: 100, seed: 1, faultsMax: 6 }).counterexample!;

  /** The counterexample's case run again with one more setting. */
  function withSetting(setting: string): Counterexample {
    const resolution = resolveScenario(caseScenario(raw, found.case), MODELS, { settings: [...settings, setting] });
    return { case: found.case, resolution, report: runResolved(resolution) };
  }

  it('gives runs with the same events but different settings different files, each replaying its own', () => {
    // a ping timeout of 401 or 403 ms: no reply ever lands between the two, so every event is the same
    const a = withSetting('ping.timeoutMs=401');
    const b = withSetting('ping.timeoutMs=403');
    expect(a.report.violations.length).toBeGreaterThan(0);
    expect(b.report.traceHash).toBe(a.report.traceHash);
    const fileA = saveCounterexample(a, tmp, '--traces-dir');
    const fileB = saveCounterexample(b, tmp, '--traces-dir');
    expect(fileB).not.toBe(fileA);
    expect(path.basename(fileA)).toMatch(new RegExp(`^unnamed-all-found-${a.report.traceHash}-[0-9a-f]{8}\\.jsonl$`));
    for (const [file, timeoutMs] of [[fileA, 401], [fileB, 403]] as const) {
      const replay = replayTrace(file, MODELS);
      expect(replay.identical).toBe(true);
      expect((replay.header.scenario as unknown as { ping: { timeoutMs: number } }).ping.timeoutMs).toBe(timeoutMs);
    }
  });

  it('saves the same run twice to the same file', () => {
    const a = withSetting('ping.timeoutMs=401');
    expect(saveCounterexample(a, tmp, '--traces-dir')).toBe(saveCounterexample(withSetting('ping.timeoutMs=401'), tmp, '--traces-dir'));
  });
});
