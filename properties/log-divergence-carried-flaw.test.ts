// log-divergence: a replica that copied a record a flawed follower path kept (KIP-320's unfenced
// fetch) from the replica that kept it, once that replica led, diverges by the same flaw, though
// the flaw's replica is not one of the disagreeing pair. Found by `ksim check` (/tmp/carrier
// hunt-2.0: check-small-like, Apache 2.0 ZooKeeper, rolling upgrade to 2.1 at 4 s, auto-commit
// group, --set acks=all, seed 7, run 240, shrunk). Re-hunted once 0.11-2.0 leaders answered
// UNDEFINED_EPOCH_OFFSET for an epoch their cache cannot place (LeaderEpochFileCache.endOffsetFor
// before KAFKA-7415) and the shrunk run no longer kept the record: seed 106 of the same faults, the
// second controlled shutdown aimed at orders-0's leader. b3, orders-1's follower, is cut from the
// controllers from 2.2 s to 8.2 s, knowing only epoch 0 of orders-0, and holds r201 of epoch 0 at
// offset 127 when b1 stops to upgrade at 4.0 s; b2 leads epoch 1 from 127 and writes r207 there;
// b1 leads epoch 2 from b2's controlled shutdown at 7.5 s; b3 fetched epoch 2's records at
// 8.011 s and kept r201 (ReplicaFetcherThread before KIP-320: the fetch names no leader epoch).
// b1's controlled shutdown at 9.017 s finds no eligible replica (the controller fenced b3 when its
// ZooKeeper session expired at 8.3 s); b3 is elected at 9.202 s (LEO 158) and b2 truncates to its
// log and copies r201; b1, elected at 15.0 s, kept r207. Was a breach for b2 vs b1 (the flaw was
// b3's) while b3 vs b1 was KIP-320. On 2.1 b3's stale fetches are fenced, yet the run takes the
// same turn: b3 is elected for orders-0 at 9.2 s.
import { describe, expect, it } from 'vitest';
import checkSmall from '../models/kafka/presets/check-small.scenario.json' with { type: 'json' };
import { runScenario } from '../models/kafka/testing/scenario-run.ts';

function run(kafkaVersion: string, upgradeTo: string) {
  const scenario = {
    ...structuredClone(checkSmall),
    seed: '106',
    durationMs: 25000,
    preset: 'apache',
    kafkaVersion,
    metadataMode: 'zookeeper',
    producers: [{ name: 'p1', az: 'use1-az1', topic: 'orders', ratePerSec: 50, keys: 10 }],
    faults: [{ atMs: 2202, kind: 'partition', groups: [['@follower:orders-1'], ['c1', 'c2', 'c3']], durationMs: 6000 }],
    operations: [
      { atMs: 4000, kind: 'upgrade', to: upgradeTo, durationMs: 3000 },
      { atMs: 7506, kind: 'controlled-shutdown', broker: '@leader:orders-1', durationMs: 1500 },
      { atMs: 9017, kind: 'controlled-shutdown', broker: '@leader:orders-0', durationMs: 1 },
    ],
    consumerGroups: [
      { 'group.id': 'g', topics: ['orders'], processingMs: 5, commit: 'auto', config: { 'auto.offset.reset': 'earliest' }, members: [{ name: 'm1', az: 'use1-az1' }, { name: 'm2', az: 'use1-az2' }] },
    ],
  };
  return runScenario(scenario, ['acks=all', 'min.insync.replicas=2', 'unclean.leader.election.enable=false']);
}

describe("log-divergence: a copy of a record a flawed path kept, taken from the flaw's replica once it led", () => {
  it('Kafka 2.0: b2 vs b1 is KIP-320 (b3 kept r201 and led with it), as b3 vs b1 is; no breach', () => {
    const { report } = run('2.0', '2.1');
    const found = report.violations.filter((v) => v.property === 'log-divergence');
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ classification: 'permitted', permittedBy: 'version' });
    expect(found[0].message).toContain('b2 vs b1 at offset 127, b3 vs b1 at offset 127');
    expect(String(found[0].reason)).toContain('b3, knowing only epoch 0, fetched records of epoch 2 at 8.010833s, its log then ending at 129, then led with it from 9.203903s');
    expect(report.violations.filter((v) => v.classification === 'breach')).toEqual([]);
  });

  it('Kafka 2.1 (KIP-320 fixed, decoy): the same faults leave no divergence and no breach', () => {
    const { report, events } = run('2.1', '2.2');
    const b3Elected = events.some(([t, , e]) => e.type === 'election' && e.partition === 'orders-0' && e.leader === 'b3' && t > 9_000_000 && t < 9_500_000);
    expect(b3Elected).toBe(true);
    expect(report.violations.filter((v) => v.property === 'log-divergence')).toEqual([]);
    expect(report.violations.filter((v) => v.classification === 'breach')).toEqual([]);
  });
});
