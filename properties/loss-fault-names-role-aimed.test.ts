// A loss blamed on the fault load names the faults that burned the elected leader's copy, role-aimed
// ones included. Found by the version audit (ksim check check-small, Kafka 3.9 ZooKeeper, seed 687):
// an AZ outage took b1's copy, a power loss aimed at "@leader:orders-0" took b2's, and b2, the last
// ISR member, was elected empty. The reason read "b2 lost it to power-loss (az-outage of use1-az1 at
// 0.201s)": the role-aimed fault named no broker, and the AZ outage was b1's.
import { describe, expect, it } from 'vitest';
import checkSmall from '../models/kafka/presets/check-small.scenario.json' with { type: 'json' };
import { runScenario } from '../models/kafka/testing/scenario-run.ts';

const drawn = {
  ...structuredClone(checkSmall),
  seed: '0',
  faults: [
    { atMs: 201, kind: 'az-outage', az: 'use1-az1', durationMs: 1 },
    { atMs: 7000, kind: 'power-loss', node: '@leader:orders-0', durationMs: 1 },
  ],
  operations: [{ atMs: 600, kind: 'controlled-shutdown', broker: '@in-sync-follower:orders-0', durationMs: 11398 }],
};
const settings = ['preset=apache', 'kafkaVersion=3.9', 'metadataMode=zookeeper', 'acks=all', 'min.insync.replicas=2', 'enable.idempotence=true', 'broker.rack="az"'];

describe("the fault load's reason names the faults that hit the elected leader", () => {
  it('a power loss aimed at the leader is named by the broker it hit; the AZ outage of another broker is not', () => {
    const lost = runScenario(drawn, settings).report.violations.filter((v) => v.property === 'lost-write' && v.partition === 'orders-0');
    expect(lost).toHaveLength(1);
    expect(lost[0]).toMatchObject({ classification: 'permitted', permittedBy: 'fault-load' });
    expect(lost[0].reason).toMatch(/^b2 lost it to power-loss \(power-loss of b2 at 7\.000s\), then was elected at [\d.]+s with no in-sync copy left$/);
  });
});
