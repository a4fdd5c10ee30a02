// A fault-free run with a new group starting at auto.offset.reset=latest holds every property: the
// records produced before the group first had its partitions were never the group's to read
// (KafkaConsumer: latest starts a group with no committed offset at the log end), so neither
// at-least-once nor unseen counts them, and the summary says where the group began to owe
// (found as `ksim run --scenario check-small --set consumerGroups=[...auto commit, two members...]`:
// 371 records before the first positions failed the run as permitted by the configuration).
import { describe, expect, it } from 'vitest';
import checkSmall from '../models/kafka/presets/check-small.scenario.json' with { type: 'json' };
import { readKafkaRunSummary } from '../models/kafka/checkers/run-summary-checker.ts';
import { runScenario } from '../models/kafka/testing/scenario-run.ts';
import { DEFAULT_FAIL_ON, judgeRun } from '../src/scenario/verdict.ts';

const group = (reset: 'latest' | 'earliest') =>
  `consumerGroups=${JSON.stringify([
    {
      'group.id': 'g1',
      topics: ['orders'],
      processingMs: 5,
      commit: 'auto',
      config: { 'auto.offset.reset': reset },
      members: [
        { name: 'm1', az: 'use1-az1' },
        { name: 'm2', az: 'use1-az2' },
      ],
    },
  ])}`;

const run = (reset: 'latest' | 'earliest') => {
  const { report } = runScenario(structuredClone(checkSmall), [group(reset)]);
  return { report, g1: readKafkaRunSummary(report)!.consumerGroups[0] };
};

describe('a new group at auto.offset.reset=latest on check-small, fault-free', () => {
  it('passes: nothing below its first positions is owed, and the summary names them', () => {
    const { report, g1 } = run('latest');
    expect(report.violations).toEqual([]);
    expect(judgeRun(report.violations, DEFAULT_FAIL_ON).failed).toBe(false);
    expect(g1.recordsNeverProcessed).toBe(0);
    // The group started a few seconds in, past the records already written to both partitions.
    expect(Object.keys(g1.owedFrom!)).toEqual(['orders-0', 'orders-1']);
    const owed = Object.values(g1.owedFrom!);
    for (const offset of owed) expect(offset).toBeGreaterThan(50);
    const unseen = report.analysis.unseen as { passedOver: number; notOwed: number; unseenAtEnd: number };
    expect(unseen.passedOver).toBe(0);
    expect(unseen.notOwed).toBe(owed.reduce((a, b) => a + b, 0));
  });

  it('decoy: at earliest the group owes everything and reads it all', () => {
    const { report, g1 } = run('earliest');
    expect(report.violations).toEqual([]);
    expect(g1.owedFrom).toBeUndefined();
    expect(g1.recordsNeverProcessed).toBe(0);
    expect((report.analysis.unseen as { notOwed?: number }).notOwed).toBeUndefined();
  });
});
