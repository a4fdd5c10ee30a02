// A consumer group's state was lost when its __consumer_offsets partition elected a replica that
// had lost its log out of the ISR and was put back in by a stale AlterPartition (KIP-903's flaw,
// KRaft before metadata.version 3.5): double-assignment must blame that, as lost-write does for the
// topic's records, not call it a breach. Found by `ksim check` (check-small on Apache 3.4 KRaft,
// rolling upgrade to 3.5 at 4 s, auto-commit group, acks=all, min.insync.replicas 2, seed 7, run
// 85, shrunk to 3 faults and 2 operations; re-hunted when 3.x followers began truncating on fetch,
// KAFKA-10554, and the earlier schedule no longer reached it): b3 leaves the ISRs for a controlled
// shutdown at 0.75 s, loses its disk at 4.032 s, b2's AlterPartition held since 1.658 s puts it back
// in the ISR of __consumer_offsets-42 at 6.114 s with LEO 0, and the controlled shutdown of b2 at
// 7.508 s elects it: the group restarts from scratch and two members own orders-0 in generation 1.
import { describe, expect, it } from 'vitest';
import { checkSmallWithGroup, runScenario, STRICT_DURABILITY } from '../models/kafka/testing/scenario-run.ts';

function run(kafkaVersion: string, upgradeTo: string) {
  const scenario = checkSmallWithGroup({
    seed: '30',
    preset: 'apache',
    kafkaVersion,
    faults: [
      { atMs: 1658, kind: 'hold', from: '@leader:orders-1', to: '@active-controller', durationMs: 4455 },
      { atMs: 4032, kind: 'disk-loss', node: '@follower:orders-1', durationMs: 90 },
      { atMs: 4032, kind: 'partition', groups: [['@follower:orders-1'], ['@leader:orders-1']], durationMs: 10966 },
    ],
    operations: [
      { atMs: 4000, kind: 'upgrade', to: upgradeTo, durationMs: 3000 },
      { atMs: 750, kind: 'controlled-shutdown', broker: '@follower:orders-1', durationMs: 909 },
      { atMs: 7508, kind: 'controlled-shutdown', broker: '@leader:orders-1', durationMs: 886 },
    ],
  });
  return runScenario(scenario, [...STRICT_DURABILITY, 'broker.rack="az"']);
}

describe('double-assignment: the group offsets partition elected a replica a stale AlterPartition took back', () => {
  it('Kafka 3.4 (metadata.version 3.4): KIP-903, as lost-write blames the same election, not a breach', () => {
    const { report, events } = run('3.4', '3.5');
    expect(events.some(([, node, e]) => node === 'b3' && e.type === 'log-lost' && e.partition === '__consumer_offsets-42')).toBe(true);
    const found = report.violations.filter((v) => v.property === 'double-assignment');
    expect(found.length).toBeGreaterThan(0);
    for (const v of found) {
      expect(v).toMatchObject({ classification: 'permitted', permittedBy: 'version' });
      // judged at the expansion (6.114 s), before any broker restarted on 3.5: the whole cluster ran 3.4
      expect(String(v.reason)).toMatch(/b3 lost its log of __consumer_offsets-42 to a storage loss out of the ISR at 4\.032s, was taken back into the ISR without it at 6\.11\d*s .*: Kafka 3\.4: KIP-903/);
    }
    expect(report.violations.filter((v) => v.classification === 'breach')).toEqual([]);
  });

  it('Kafka 3.5 (KIP-903 fixed): the same faults lose no group state and blame no KIP-903', () => {
    const { report } = run('3.5', '3.6');
    expect(report.violations.filter((v) => v.classification === 'breach')).toEqual([]);
    expect(report.violations.filter((v) => String(v.reason).includes('KIP-903'))).toEqual([]);
  });
});
