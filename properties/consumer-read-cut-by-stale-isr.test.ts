// A consumer read a committed record, then an election cut the log below it: nonmonotonic-poll
// must blame why the new leader's log ended short (KIP-903's flaw), not call it a breach. Found by
// `ksim check` (check-small on Apache 3.4 KRaft during a rolling upgrade to 3.5 at 4 s, auto-commit
// group, acks=all, min.insync.replicas 2, seed 4, run 10, shrunk to 3 faults): b1, a follower of
// orders-1, loses its disk at 7.173 s, cut off from the leader b2; b2's AlterPartition, held since
// 5.456 s on its way to the controller, puts b1 back in the ISR (KIP-903: metadata.version 3.4
// carries no broker epoch), and the upgrade's controlled shutdown of b2 at 10 s elects b1 with its
// log ending at 166. m2 had read up to offset 286 and reads offset 166 again.
// (The earlier schedule, where m1 had read a record whose ack was still on its way, no longer
// reaches that situation since 3.x followers truncate on fetch, KAFKA-10554: this one also loses
// acknowledged records, which lost-write blames on the same election.)
import { describe, expect, it } from 'vitest';
import { checkSmallWithGroup, runScenario, STRICT_DURABILITY } from '../models/kafka/testing/scenario-run.ts';

function run(kafkaVersion: string, upgradeTo: string) {
  const scenario = checkSmallWithGroup({
    seed: '198868314',
    preset: 'apache',
    kafkaVersion,
    faults: [
      { atMs: 5456, kind: 'hold', from: '@leader:orders-1', to: '@active-controller', durationMs: 3654 },
      { atMs: 7173, kind: 'disk-loss', node: '@follower:orders-1', durationMs: 90 },
      { atMs: 7173, kind: 'partition', groups: [['@follower:orders-1'], ['@leader:orders-1']], durationMs: 7825 },
    ],
    operations: [{ atMs: 4000, kind: 'upgrade', to: upgradeTo, durationMs: 3000 }],
  });
  return runScenario(scenario, [...STRICT_DURABILITY, 'broker.rack="az"']);
}

describe('nonmonotonic-poll: an election cut committed records a consumer had read', () => {
  it('Kafka 3.4: the new leader lost it and a stale AlterPartition took it back: KIP-903, not a breach', () => {
    const { report, events } = run('3.4', '3.5');
    expect(events.some(([, node, e]) => node === 'b1' && e.type === 'log-lost' && e.partition === 'orders-1')).toBe(true);
    const found = report.violations.filter((v) => v.property === 'nonmonotonic-poll');
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ classification: 'permitted', permittedBy: 'version' });
    expect(String(found[0].reason)).toMatch(/b1 lost it to disk-loss .*KIP-903/);
    expect(report.violations.filter((v) => v.classification === 'breach')).toEqual([]);
  });

  it('Kafka 3.5 (KIP-903 fixed): the same faults elect no leader short of what m1 read, and blame no KIP-903', () => {
    const { report } = run('3.5', '3.6');
    expect(report.violations.filter((v) => v.classification === 'breach')).toEqual([]);
    expect(report.violations.filter((v) => String(v.reason).includes('KIP-903'))).toEqual([]);
  });
});
