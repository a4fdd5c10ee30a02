// `ksim check` with operations explored, end to end on check-small: a failing run that holds
// generated operations is the same for one thread and for two (same path, same case, same trace
// hash), and the counterexample's scenario, as `ksim run` would run it (the scenario's operations
// with the case's after them, the case's settings and seed), and its saved trace replay to the
// same run and verdict. The failure used: with --set acks=1, seed 3's first failing run (run 1):
// a loss in a run of controlled shutdowns aimed at the leader of orders-0 (a replica cut + leader
// chain composite: the leader's shutdown, then the next leader's; operation-aim.ts), each stopping
// whoever leads it then, so the replay resolves them again. Shrinking is skipped (stopped at the
// first failure), as in known-bugs-found.test.ts. (The seed moved from 10 when 2.8+ followers came to
// truncate on fetch and KRaft's quorum and broker start-up came to follow Kafka's, from 24 when the ISR drain
// composite took the leader cut + leader power loss's place, from 12 when some runs came to
// draw one composite alone, and from 3 when three cut composites came to be drawn as one kind.)
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { caseScenario, runCheck, type CheckOptions } from '../../../src/explore/check-runner.ts';
import { saveCounterexample } from '../../../src/explore/counterexample-trace.ts';
import { runCheckOnWorkers } from '../../../src/explore/worker-check-engine.ts';
import { resolveScenario } from '../../../src/scenario/resolve-scenario.ts';
import { runResolved } from '../../../src/scenario/run-scenario.ts';
import { judgeRun } from '../../../src/scenario/verdict.ts';
import { replayTrace } from '../../../src/trace/replay.ts';
import { MODELS, SCENARIO_PRESETS } from '../../index.ts';

const registryUrl = new URL('../../index.ts', import.meta.url).href;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ksim-ops-check-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const FAIL_ON = ['breach', 'configuration', 'version'] as const;

function options(onFail: () => void, failed: () => boolean): CheckOptions {
  return {
    raw: SCENARIO_PRESETS['check-small'],
    models: MODELS,
    settings: ['acks=1'],
    runs: 60,
    seed: 3,
    failOn: [...FAIL_ON],
    onProgress: (p) => void (p.failures > 0 && onFail()),
    shouldStop: failed,
  };
}

describe('ksim check with operations explored', () => {
  it('finds the same failing run, with its operations, on 1 and 2 threads; its scenario and trace replay to the same verdict', async () => {
    let oneFailed = false;
    const one = runCheck(options(() => (oneFailed = true), () => oneFailed));
    expect(one.failed).toBe(true);
    const cx = one.counterexample!;
    expect(cx.case.operations.length).toBeGreaterThan(0);
    expect(cx.case.operations.filter((op) => op.broker === '@leader:orders-0').length).toBeGreaterThan(1);
    expect(cx.report.aimedFaults!.filter((line) => line.includes('controlled-shutdown: leader of orders-0')).length).toBeGreaterThan(1);

    let twoFailed = false;
    const two = await runCheckOnWorkers({ ...options(() => (twoFailed = true), () => twoFailed), workers: 2, registryUrl });
    expect(two.path).toBe(one.path);
    expect(two.runs).toBe(one.runs);
    expect(two.counterexample!.case).toEqual(cx.case);
    expect(two.counterexample!.report.traceHash).toBe(cx.report.traceHash);

    // the scenario the report stands for, as `ksim run --set ... --seed` runs it
    const raw = caseScenario(SCENARIO_PRESETS['check-small'], cx.case);
    expect((raw.operations as unknown[]).length).toBe(cx.case.operations.length);
    const again = runResolved(resolveScenario(raw, MODELS, { settings: ['acks=1', ...cx.case.settings], seed: cx.case.runSeed }));
    expect(again.traceHash).toBe(cx.report.traceHash);
    expect(again.aimedFaults).toEqual(cx.report.aimedFaults);
    const verdict = judgeRun(cx.report.violations, FAIL_ON);
    expect(verdict.failed).toBe(true);
    expect(judgeRun(again.violations, FAIL_ON)).toEqual(verdict);

    // the saved trace holds the operations in its scenario and replays identically
    const file = saveCounterexample(cx, tmp, '--traces-dir');
    const replayed = replayTrace(file, MODELS);
    expect(replayed.identical).toBe(true);
    expect((replayed.header.scenario as unknown as { operations: unknown[] }).operations).toHaveLength(cx.case.operations.length);
    expect(judgeRun(replayed.report!.violations, FAIL_ON)).toEqual(verdict);
  }, 180_000);
});
