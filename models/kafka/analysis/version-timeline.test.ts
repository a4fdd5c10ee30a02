// What each broker ran when (version-timeline.ts): a flaw is the version's only while the broker
// involved, or the controller, lacked its fix; the label names what it ran.
import { describe, expect, it } from 'vitest';
import type { KafkaVersion } from '../version/kafka-versions.ts';
import { buildScenario } from '../testing/kafka-test-cluster.ts';
import { VersionTimeline } from './version-timeline.ts';

const zk21 = { ...buildScenario({ durationMs: 60000, metadataMode: 'zookeeper' }), kafkaVersion: '2.1' as KafkaVersion };
const broker = (software: KafkaVersion, protocolLevel: KafkaVersion) => ({ type: 'version-change' as const, software, protocolLevel });

describe('a rolling upgrade of a ZooKeeper cluster from 2.1 to 2.2 (b1, b2, b3 at 10, 20, 30 s)', () => {
  const timeline = new VersionTimeline(zk21);
  timeline.add(10e6, 0, broker('2.2', '2.1'));
  timeline.add(20e6, 1, broker('2.2', '2.1'));
  timeline.add(30e6, 2, broker('2.2', '2.1'));

  it('before any change: the scenario\'s label', () => {
    expect(timeline.at(5e6).lacks('controllerDetectsBrokerBounce')).toBe(true);
    expect(timeline.at(5e6).label('controllerDetectsBrokerBounce')).toBe('Kafka 2.1');
  });

  it('the controller (the oldest broker software) misses bounces until the last broker runs 2.2', () => {
    expect(timeline.at(25e6).label('controllerDetectsBrokerBounce')).toBe('the controller on Kafka 2.1 (the oldest software a broker runs)');
    expect(timeline.at(30e6).lacks('controllerDetectsBrokerBounce')).toBe(false);
    expect(timeline.bounceMissedBetween(25e6, 40e6)).toMatch(/controller on Kafka 2\.1/);
    expect(timeline.bounceMissedBetween(31e6, 40e6)).toBeNull();
  });

  it('software fixes follow each broker: b3 still on 2.1 at 25 s, b1 not', () => {
    // KAFKA-15583's leader HW fix came in 3.7: absent on every 2.x; KAFKA-7164's (2.0.1) present on 2.1
    expect(timeline.at(25e6).lacks('followerTruncatesAfterMissedEpoch', 2)).toBe(false);
    expect(timeline.at(25e6).lacks('hwWaitsForMinIsr', 0)).toBe(true);
    expect(timeline.at(25e6).label('hwWaitsForMinIsr', 2)).toBe('b3 on Kafka 2.1');
  });

  it('lastLacking: the last moment a fix was missing, null if it never was', () => {
    expect(timeline.lastLacking('controllerDetectsBrokerBounce')!.label('controllerDetectsBrokerBounce')).toMatch(/controller on Kafka 2\.1/);
    expect(timeline.lastLacking('truncationByLeaderEpoch')).toBeNull();
  });
});

describe('protocol gates: software with the fix, protocol level without it', () => {
  it('ZooKeeper: named per broker by its inter.broker.protocol.version', () => {
    const timeline = new VersionTimeline({ ...zk21, kafkaVersion: '2.0' });
    timeline.add(10e6, 0, broker('2.1', '2.0'));
    timeline.add(20e6, 2, broker('2.1', '2.1'));
    // b1: 2.1 software at IBP 2.0; b2: 2.0 software; b3: fully on 2.1
    expect(timeline.at(25e6).label('fetchCarriesLeaderEpoch')).toBe('b2 on Kafka 2.0, b1 at inter.broker.protocol.version 2.0');
    expect(timeline.at(25e6).lacks('fetchCarriesLeaderEpoch', 2)).toBe(false);
  });

  it('KRaft: metadata.version is the cluster\'s; finalizing it (the controller\'s event) ends the flaw once brokers replay it', () => {
    const kraft34 = { ...buildScenario({ durationMs: 60000 }), kafkaVersion: '3.4' as KafkaVersion };
    const timeline = new VersionTimeline(kraft34);
    for (const b of [0, 1, 2]) timeline.add(10e6 + b, b, broker('3.5', '3.4'));
    expect(timeline.at(15e6).label('alterPartitionCarriesBrokerEpochs')).toBe('metadata.version 3.4');
    timeline.add(20e6, -1, { type: 'version-change', software: null, protocolLevel: '3.5' });
    for (const b of [0, 1, 2]) timeline.add(21e6, b, broker('3.5', '3.5'));
    expect(timeline.at(25e6).lacks('alterPartitionCarriesBrokerEpochs')).toBe(false);
  });
});
