// A clean election of a replica that lost its disk gives up the committed records beyond its log
// (KIP-903's flaw in ZooKeeper mode: a held AlterPartition put the emptied replica back in the
// ISR). The deposed leader's HW of its older epoch, arriving just after, must not restore the
// committed offset the new leader gave up: hw-above-isr-leo then called the new leader a breach
// at its next election while lost-write blamed the same loss on KIP-903 (fresh-user trial,
// `ksim check --scenario check-small --set preset=apache --set kafkaVersion=3.9 --set
// metadataMode=zookeeper --fail-on breach,version --runs 300 --seed 21`, run 252).

import { describe, expect, it } from 'vitest';
import { verdictClassOf } from '../src/scenario/verdict.ts';
import { runScenario } from '../models/kafka/testing/scenario-run.ts';
import checkSmall from '../models/kafka/presets/check-small.scenario.json' with { type: 'json' };

const drawn = {
  seed: '1272666208',
  durationMs: 20000,
  faults: [
    { atMs: 2848, kind: 'hold', from: '@leader:orders-0', to: '@active-controller', durationMs: 2043 },
    { atMs: 4482, kind: 'disk-loss', node: '@follower:orders-0', durationMs: 1 },
  ],
  operations: [
    { atMs: 600, kind: 'controlled-shutdown', broker: '@follower:orders-0', durationMs: 2248 },
    { atMs: 3800, kind: 'controlled-shutdown', broker: '@in-sync-follower:orders-0', durationMs: 8198 },
    { atMs: 3905, kind: 'controlled-shutdown', broker: '@leader:orders-0', durationMs: 1800 },
    { atMs: 11996, kind: 'controlled-shutdown', broker: '@leader:orders-0', durationMs: 1 },
  ],
};
const settings = ['preset="apache"', 'kafkaVersion=3.9', 'metadataMode="zookeeper"', 'acks="all"', 'min.insync.replicas=2', 'unclean.leader.election.enable=false', 'enable.idempotence=true', 'broker.rack="az"'];

describe('hw-above-isr-leo after a clean election of an emptied replica', () => {
  it('gives up what the new leader lacks for good: no breach; the loss is the version\'s (KIP-903)', () => {
    const { report } = runScenario({ ...structuredClone(checkSmall), ...drawn }, settings);
    expect(report.violations.filter((v) => verdictClassOf(v) === 'breach')).toEqual([]);
    const lost = report.violations.filter((v) => v.property === 'lost-write');
    expect(lost.length).toBeGreaterThan(0);
    expect(lost.every((v) => verdictClassOf(v) === 'version')).toBe(true);
  });
});
