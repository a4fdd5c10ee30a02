// ClusterVersions: a broker's software capabilities follow its running version at once; the
// protocol-gated ones also need its protocol level; the controller's follow the oldest software
// and (KRaft) the finalized metadata.version; ELR stays as the cluster was created.
import { describe, expect, it } from 'vitest';
import { ClusterVersions } from './cluster-versions.ts';
import { featuresOfVersion } from './kafka-versions.ts';
import { CAPABILITY_GATES, PROTOCOL_CAPABILITIES } from './protocol-features.ts';

describe('ClusterVersions', () => {
  it('starts with every row equal to the scenario version', () => {
    const v = new ClusterVersions('2.0', featuresOfVersion('2.0'), 3);
    for (const b of v.brokers) for (const c of PROTOCOL_CAPABILITIES) expect(b.features[c], c).toBe(featuresOfVersion('2.0')[c]);
  });

  it('2.0 to 2.1: the upgraded broker gets KAFKA-7164 and KAFKA-7128 at once, KIP-320 only with IBP 2.1; the others keep 2.0', () => {
    const v = new ClusterVersions('2.0', featuresOfVersion('2.0'), 3);
    const b1 = v.brokers[0].features;
    v.runSoftware(0, '2.1');
    expect([b1.followerTruncatesAfterMissedEpoch, b1.isrJoinNeedsLeaderEpochStart, b1.fetchCarriesLeaderEpoch]).toEqual([true, true, false]);
    expect(v.brokers[1].features.followerTruncatesAfterMissedEpoch).toBe(false);
    v.setProtocolLevel(0, '2.1');
    expect(b1.fetchCarriesLeaderEpoch).toBe(true);
  });

  it('0.10 to 0.11: truncation by leader epoch waits for inter.broker.protocol.version 0.11 (OffsetsForLeaderEpoch)', () => {
    const v = new ClusterVersions('0.10', featuresOfVersion('0.10'), 2);
    v.runSoftware(0, '0.11');
    expect(v.brokers[0].features.truncationByLeaderEpoch).toBe(false);
    v.setProtocolLevel(0, '0.11');
    expect(v.brokers[0].features.truncationByLeaderEpoch).toBe(true);
  });

  it('2.6 to 2.8: truncation on fetch (KAFKA-10554) needs 2.8 software and inter.broker.protocol.version 2.7 (2.7-IV1), not 2.8', () => {
    const v = new ClusterVersions('2.6', featuresOfVersion('2.6'), 2);
    v.runSoftware(0, '2.7');
    v.setProtocolLevel(0, '2.7');
    expect(v.brokers[0].features.truncationOnFetch).toBe(false); // 2.7's follower never names its last fetched epoch
    v.runSoftware(0, '2.8');
    expect(v.brokers[0].features.truncationOnFetch).toBe(true);
    v.runSoftware(1, '2.8');
    expect(v.brokers[1].features.truncationOnFetch).toBe(false); // still at IBP 2.6
  });

  it('the ZooKeeper controller detects bounces (KIP-380) only once no broker runs software older than 2.2', () => {
    const v = new ClusterVersions('2.1', featuresOfVersion('2.1'), 2);
    v.runSoftware(0, '2.2');
    expect(v.controller.controllerDetectsBrokerBounce).toBe(false);
    v.runSoftware(1, '2.2');
    expect(v.controller.controllerDetectsBrokerBounce).toBe(true);
  });

  it('KRaft: KIP-903 on the controller with metadata.version 3.5; ELR stays off after 4.0 to 4.1 (as created)', () => {
    const v = new ClusterVersions('3.4', featuresOfVersion('3.4'), 2);
    v.runSoftware(0, '3.5');
    v.runSoftware(1, '3.5');
    expect(v.controller.alterPartitionCarriesBrokerEpochs).toBe(false);
    v.finalizeMetadataVersion('3.5');
    expect(v.controller.alterPartitionCarriesBrokerEpochs).toBe(true);
    const elr = new ClusterVersions('4.0', featuresOfVersion('4.0'), 1);
    elr.runSoftware(0, '4.1');
    elr.finalizeMetadataVersion('4.1');
    expect(elr.controller.eligibleLeaderReplicas).toBe(false);
    expect(new ClusterVersions('4.1', featuresOfVersion('4.1'), 1).controller.eligibleLeaderReplicas).toBe(true);
  });

  it('every capability is classified, and each protocol gate names its level', () => {
    for (const c of PROTOCOL_CAPABILITIES) if (CAPABILITY_GATES[c].gate === 'protocol') expect(CAPABILITY_GATES[c].level, c).toMatch(/^\d+\.\d+$/);
  });
});
