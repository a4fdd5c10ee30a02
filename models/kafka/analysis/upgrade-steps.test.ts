// An upgrade's progress as the run summary names it (upgrade-steps.ts): each broker's software
// change with its time, ZooKeeper's inter.broker.protocol.version per broker, KRaft's finalized
// metadata.version once (not once more per broker replaying it).
import { describe, expect, it } from 'vitest';
import type { KafkaVersion } from '../version/kafka-versions.ts';
import { buildScenario } from '../testing/kafka-test-cluster.ts';
import { upgradeSteps } from './upgrade-steps.ts';
import { VersionTimeline } from './version-timeline.ts';

const broker = (software: KafkaVersion, protocolLevel: KafkaVersion) => ({ type: 'version-change' as const, software, protocolLevel });

describe('upgrade steps', () => {
  it('ZooKeeper: each broker from its software then to the new inter.broker.protocol.version, in time order', () => {
    const zk21 = { ...buildScenario({ durationMs: 60000, metadataMode: 'zookeeper' }), kafkaVersion: '2.1' as KafkaVersion };
    const timeline = new VersionTimeline(zk21);
    timeline.add(10e6, 0, broker('2.2', '2.1'));
    timeline.add(20e6, 1, broker('2.2', '2.1'));
    timeline.add(30e6, 0, broker('2.2', '2.2'));
    expect(upgradeSteps(zk21, timeline)).toEqual(['10.000 s b1 Kafka 2.1 -> 2.2', '20.000 s b2 Kafka 2.1 -> 2.2', '30.000 s b1 inter.broker.protocol.version 2.1 -> 2.2']);
  });

  it('KRaft: the finalized metadata.version is one step; the brokers replaying it are not', () => {
    const kraft = { ...buildScenario({ durationMs: 60000, metadataMode: 'kraft' }), kafkaVersion: '3.7' as KafkaVersion };
    const timeline = new VersionTimeline(kraft);
    timeline.add(5e6, 2, broker('3.8', '3.7'));
    timeline.add(40e6, -1, { type: 'version-change', software: null, protocolLevel: '3.8' });
    timeline.add(40.2e6, 2, broker('3.8', '3.8'));
    expect(upgradeSteps(kraft, timeline)).toEqual(['5.000 s b3 Kafka 3.7 -> 3.8', '40.000 s metadata.version 3.7 -> 3.8 (finalized by the controller)']);
  });

  it('decoy: a run without version changes has no steps', () => {
    const zk = buildScenario({ durationMs: 60000, metadataMode: 'zookeeper' });
    expect(upgradeSteps(zk, new VersionTimeline(zk))).toEqual([]);
  });
});
