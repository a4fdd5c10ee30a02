// consumer-liveness after a create-partitions: the group's members learn of the new partitions at
// their next metadata refresh (metadata.max.age.ms, 300 s by default) and rebalance then, as Kafka's
// ConsumerCoordinator does; that rebalance is not a group failing to settle (fresh-user trial:
// ../shared/cases/partition-expansion-latest.scenario.json run for 400 s was a breach).

import { describe, expect, it } from 'vitest';
import { readSharedCase } from '../models/kafka/testing/shared-cases.ts';
import { runScenario } from '../models/kafka/testing/scenario-run.ts';

const liveness = (settings: string[]) => {
  const { report } = runScenario(readSharedCase('partition-expansion-latest'), settings);
  return { violations: report.violations.filter((v) => v.property === 'consumer-liveness'), judgement: report.analysis['consumer-liveness'] as { judged: boolean; notes: string[] } };
};

describe('consumer-liveness after create-partitions', () => {
  it('waits for the metadata refresh that shows the group the new partitions: judged at 400 s, no breach', () => {
    const { violations, judgement } = liveness(['durationMs=400000']);
    expect(violations).toEqual([]);
    expect(judgement.judged).toBe(true);
  });

  it('a run ending before that refresh is not judged, and says why', () => {
    const { violations, judgement } = liveness(['durationMs=200000']);
    expect(violations).toEqual([]);
    expect(judgement.judged).toBe(false);
    expect(judgement.notes.join(' ')).toMatch(/next metadata refresh, metadata\.max\.age\.ms after it/);
  });

  it('with a short metadata.max.age.ms the group is due sooner and judged', () => {
    const { violations, judgement } = liveness(['durationMs=200000', 'metadata.max.age.ms=15000']);
    expect(violations).toEqual([]);
    expect(judgement.judged).toBe(true);
  });
});
