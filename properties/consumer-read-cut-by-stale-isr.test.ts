// A consumer read a committed record that was not yet acknowledged (its ack was still on its way),
// then an election cut the log below it: nonmonotonic-poll must blame why the new leader's log
// ended short, not call it a breach for want of a lost acknowledged record. Found by `ksim check`
// (check-small on Apache 3.4 KRaft during a rolling upgrade to 3.5, auto-commit group, seed 4,
// run 31): b2 commits r351 at offset 200 with an ISR of one (b1 down for its upgrade), m1 reads it,
// follower b3 copies it and loses it to a disk loss; b2's AlterPartition, held since before that
// loss, puts b3 back in the ISR (KIP-903: metadata.version 3.4 carries no broker epoch), and the
// upgrade's controlled shutdown of b2 elects b3 with its log ending at 200. m1 detects the
// truncation (KIP-320) and reads offset 200 again (r351, retried by the producer).
import { describe, expect, it } from 'vitest';
import { checkSmallWithGroup, runScenario, STRICT_DURABILITY } from '../models/kafka/testing/scenario-run.ts';

function run(kafkaVersion: string, upgradeTo: string) {
  const scenario = checkSmallWithGroup({
    seed: '7',
    preset: 'apache',
    kafkaVersion,
    faults: [
      { atMs: 3949, kind: 'hold', from: '@leader:orders-0', to: '@active-controller', durationMs: 1147 },
      { atMs: 4965, kind: 'disk-loss', node: '@follower:orders-0', durationMs: 1 },
      { atMs: 4965, kind: 'partition', groups: [['@follower:orders-0'], ['@leader:orders-0']], durationMs: 1254 },
    ],
    operations: [
      { atMs: 4000, kind: 'upgrade', to: upgradeTo, durationMs: 3000 },
      { atMs: 3500, kind: 'controlled-shutdown', broker: '@follower:orders-0', durationMs: 450 },
    ],
  });
  return runScenario(scenario, STRICT_DURABILITY);
}

describe('nonmonotonic-poll: an election cut a committed record a consumer had read before its ack', () => {
  it('Kafka 3.4: the new leader lost it and a stale AlterPartition took it back: KIP-903, not a breach', () => {
    const { report, events } = run('3.4', '3.5');
    expect(events.some(([, node, e]) => node === 'b3' && e.type === 'log-lost' && e.partition === 'orders-0')).toBe(true);
    const found = report.violations.filter((v) => v.property === 'nonmonotonic-poll');
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ classification: 'permitted', permittedBy: 'version' });
    expect(String(found[0].reason)).toMatch(/b3 lost it to disk-loss .*KIP-903/);
    expect(report.violations.filter((v) => v.classification === 'breach')).toEqual([]);
  });

  it('Kafka 3.5 (KIP-903 fixed): the same faults elect no leader short of what m1 read, and blame no KIP-903', () => {
    const { report } = run('3.5', '3.6');
    expect(report.violations.filter((v) => v.classification === 'breach')).toEqual([]);
    expect(report.violations.filter((v) => String(v.reason).includes('KIP-903'))).toEqual([]);
  });
});
