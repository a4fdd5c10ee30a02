// A consumer's out-of-range reset answered by a leader that lost its log after it was elected (and
// led on: a restart the ZooKeeper controller missed, before KIP-380) takes that loss's cause, not
// the election before it, whose cut the consumer had already read past from the new leader. Found
// by `ksim check` (check-small on Apache 0.10 ZooKeeper during a rolling upgrade to 0.11,
// auto-commit group, seed 5, run 79): the upgrade's controlled shutdown elects b1 leader of
// orders-1 at 8.0 s with its log ending at 322; m2 reads on to 440 from b1; b1 loses its disk at
// 11.009 s, comes back, and the controller hands it orders-1 back (missed bounce); its empty log
// answers m2 OFFSET_OUT_OF_RANGE. The step back read as a breach of the 8.0 s election ("no loss
// to explain it"), while the run's lost-write blamed KIP-380.
import { describe, expect, it } from 'vitest';
import { checkSmallWithGroup, runScenario, STRICT_DURABILITY } from '../models/kafka/testing/scenario-run.ts';

function run() {
  const scenario = checkSmallWithGroup({
    seed: '4',
    preset: 'apache',
    kafkaVersion: '0.10',
    metadataMode: 'zookeeper',
    faults: [{ atMs: 11009, kind: 'disk-loss', node: 'b1', durationMs: 1 }],
    operations: [{ atMs: 4000, kind: 'upgrade', to: '0.11', durationMs: 3000 }],
  });
  return runScenario(scenario, STRICT_DURABILITY);
}

describe('a reset answered by a leader that lost its log after its election', () => {
  it('takes the leader\'s loss (KIP-380 on 0.10), not the election whose cut the consumer had read past', () => {
    const { report, events } = run();
    const election = events.find(([, , e]) => e.type === 'election' && e.partition === 'orders-1' && e.kind === 'controlled-shutdown' && e.leader === 'b1');
    expect(election).toBeDefined();
    const found = report.violations.filter((v) => v.property === 'nonmonotonic-poll' && v.partition === 'orders-1');
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ classification: 'permitted', permittedBy: 'version' });
    expect(String(found[0].reason)).toMatch(/b1 lost it to disk-loss at 11\.009s.*KIP-380/);
    expect(report.violations.filter((v) => v.classification === 'breach')).toEqual([]);
  });
});
