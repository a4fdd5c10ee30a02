// A run whose faults end too late to judge liveness-after-heal says so end to end: the run report
// lists the property as not judged with the reason, the summary prints it instead of "all checked
// properties hold", --json's verdict carries it, and no --fail-on fails the run for it. A run long
// enough is judged and says nothing of the kind.
import { describe, expect, it } from 'vitest';
import { verdictJson, verdictLines } from '../../../src/cli/run-summary.ts';
import { judgeRun, VERDICT_CLASSES } from '../../../src/scenario/verdict.ts';
import { runScenario } from '../testing/scenario-run.ts';

const small = (durationMs: number) => ({
  model: 'kafka',
  preset: 'apache',
  durationMs,
  cluster: { brokers: 3, azs: ['use1-az1', 'use1-az2', 'use1-az4'], controllers: 1 },
  topics: [{ name: 't', partitions: 1, 'replication.factor': 3 }],
  producers: [{ name: 'p1', az: 'use1-az1', topic: 't', ratePerSec: 20, keys: 5 }],
  faults: [{ atMs: 5000, kind: 'isolate-node', node: 'b2', durationMs: 2000 }],
});

describe('liveness-after-heal not judged, end to end', () => {
  it('a 10 s run whose fault heals at 7 s: not judged, with the reason; neither passed nor failed', () => {
    const { report } = runScenario(small(10_000));
    expect(report.notJudged).toHaveLength(1);
    expect(report.notJudged![0].property).toBe('liveness-after-heal');
    expect(report.notJudged![0].reason).toMatch(/^the isolate-node at 5\.0 s heals at 7\.0 s, leaving 3\.0 s of the run, less than the \d+\.\d s recovery may take .*; durationMs \d+ or more judges it$/);
    const verdict = judgeRun(report.violations, [...VERDICT_CLASSES], undefined, report.notJudged);
    expect(verdict.failed).toBe(false);
    const lines = verdictLines(report.violations, verdict, '  ');
    expect(lines).not.toContain('  all checked properties hold');
    expect(lines).toContain(`  liveness-after-heal: not judged: ${report.notJudged![0].reason}`);
    expect(verdictJson(verdict)).toMatchObject({ failed: false, notJudged: [{ property: 'liveness-after-heal' }], counts: { breach: 0, configuration: 0, version: 0, 'fault-load': 0 } });
  });

  it('a short run without faults or operations has nothing to recover from: not reported', () => {
    const { report } = runScenario({ ...small(10_000), faults: [] });
    expect(report.notJudged).toBeUndefined();
  });

  it('the same run long enough is judged: nothing not judged', () => {
    const { report } = runScenario(small(120_000));
    expect(report.notJudged).toBeUndefined();
    expect(report.violations.filter((v) => v.property === 'liveness-after-heal')).toEqual([]);
  });
});
