// log-divergence: a replica that copied a record a flawed follower path kept (KIP-320's unfenced
// fetch) from the replica that kept it, once that replica led, diverges by the same flaw, though
// the flaw's replica is not one of the disagreeing pair. Found by `ksim check` (/tmp/carrier
// hunt-2.0: check-small-like, Apache 2.0 ZooKeeper, rolling upgrade to 2.1 at 4 s, auto-commit
// group, --set acks=all, seed 7, run 240, shrunk): b3, cut from the controllers, knowing only epoch
// 0, fetched epoch 2's records at 8.012 s and kept its epoch-0 record r201 at offset 106 (b1 had
// r202 there, of epoch 1); b3 was elected at 9.202 s (LEO 108) and b2 truncated to its log and
// copied r201; b1, elected at 15.0 s, kept r202. Was a breach for b2 vs b1 (the flaw was b3's)
// while b3 vs b1 was KIP-320.
import { describe, expect, it } from 'vitest';
import checkSmall from '../models/kafka/presets/check-small.scenario.json' with { type: 'json' };
import { runScenario } from '../models/kafka/testing/scenario-run.ts';

function run(kafkaVersion: string, upgradeTo: string) {
  const scenario = {
    ...structuredClone(checkSmall),
    seed: '2',
    durationMs: 25000,
    preset: 'apache',
    kafkaVersion,
    metadataMode: 'zookeeper',
    producers: [{ name: 'p1', az: 'use1-az1', topic: 'orders', ratePerSec: 50, keys: 10 }],
    faults: [{ atMs: 2202, kind: 'partition', groups: [['@follower:orders-1'], ['c1', 'c2', 'c3']], durationMs: 6000 }],
    operations: [
      { atMs: 4000, kind: 'upgrade', to: upgradeTo, durationMs: 3000 },
      { atMs: 7506, kind: 'controlled-shutdown', broker: '@leader:orders-1', durationMs: 1500 },
      { atMs: 9017, kind: 'controlled-shutdown', broker: '@leader:orders-1', durationMs: 1 },
    ],
    consumerGroups: [
      { 'group.id': 'g', topics: ['orders'], processingMs: 5, commit: 'auto', config: { 'auto.offset.reset': 'earliest' }, members: [{ name: 'm1', az: 'use1-az1' }, { name: 'm2', az: 'use1-az2' }] },
    ],
  };
  return runScenario(scenario, ['acks=all', 'min.insync.replicas=2', 'unclean.leader.election.enable=false']);
}

describe("log-divergence: a copy of a record a flawed path kept, taken from the flaw's replica once it led", () => {
  // Skipped: since 0.11-2.0 leaders answer UNDEFINED_EPOCH_OFFSET for an epoch their cache cannot place (this stop),
  // b3 truncates to its HW and this schedule no longer keeps r201; it needs a new hunt. See the closing note.
  it.skip('Kafka 2.0: b2 vs b1 is KIP-320 (b3 kept r201 and led with it), as b3 vs b1 is; no breach', () => {
    const { report } = run('2.0', '2.1');
    const found = report.violations.filter((v) => v.property === 'log-divergence');
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ classification: 'permitted', permittedBy: 'version' });
    expect(found[0].message).toContain('b2 vs b1 at offset 106, b3 vs b1 at offset 106');
    expect(String(found[0].reason)).toContain('b3, knowing only epoch 0, fetched records of epoch 2 at 8.012426s, its log then ending at 108, then led with it from 9.202188s');
    expect(report.violations.filter((v) => v.classification === 'breach')).toEqual([]);
  });

  it('Kafka 2.1 (KIP-320 fixed, decoy): the same faults leave no divergence and no breach', () => {
    const { report } = run('2.1', '2.2');
    expect(report.violations.filter((v) => v.property === 'log-divergence')).toEqual([]);
    expect(report.violations.filter((v) => v.classification === 'breach')).toEqual([]);
  });
});
