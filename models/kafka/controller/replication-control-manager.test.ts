import { describe, expect, it } from 'vitest';
import { FENCED_LEADER_EPOCH, INELIGIBLE_REPLICA, INVALID_UPDATE_VERSION, type AlterPartitionRequest } from '../messages.ts';
import type { TestCluster } from '../testing/kafka-test-cluster.ts';
import { RecordingContext } from '../testing/recording-context.ts';
import { testWorld } from '../testing/test-world.ts';
import { NO_LEADER } from './metadata-image.ts';
import { MetadataLog } from './metadata-log.ts';
import { ReplicationControlManager } from './replication-control-manager.ts';

/** Partition 0 on b1, b2, b3 (b1 preferred); brokers in `fenced` cannot lead or join. */
function manager(t: Partial<TestCluster> = {}) {
  const world = testWorld({ durationMs: 60_000, ...t });
  const fenced = new Set<number>();
  const log = new MetadataLog();
  const rcm = new ReplicationControlManager(world, log, { isActive: (b) => !fenced.has(b), brokerEpoch: () => 1 });
  const ctx = new RecordingContext();
  rcm.activate(ctx);
  return { world, rcm, fenced, log, ctx };
}

/**
 * b2 (index 1) fenced out of the ISR and back, b3 fenced, then the leader b1 fenced, with
 * unclean.leader.election.enable on: the last ISR member gone, b2 the only live replica.
 */
function lastIsrFenced(t: Partial<TestCluster>) {
  const m = manager({ ...t, brokerConfig: { 'unclean.leader.election.enable': true } });
  fence(m, 1);
  fence(m, 2);
  m.fenced.delete(1);
  m.rcm.handleBrokerUnfenced(m.ctx, 1);
  m.ctx.clear();
  fence(m, 0);
  return { partition: m.rcm.partitions[0], elections: m.ctx.eventsOf('election'), isrChanges: [...m.ctx.eventsOf('isr-expand'), ...m.ctx.eventsOf('isr-shrink')], stats: m.world.stats };
}

function fence(m: ReturnType<typeof manager>, b: number): void {
  m.fenced.add(b);
  m.rcm.handleBrokerFenced(m.ctx, b, 'clean');
}

describe('ReplicationControlManager', () => {
  it('creates each partition led by its preferred replica with the full ISR', () => {
    const { rcm, ctx } = manager();
    expect(rcm.partitions[0]).toEqual({ leader: 0, leaderEpoch: 0, partitionEpoch: 0, isr: [0, 1, 2], replicas: [0, 1, 2] });
    expect(ctx.eventsOf('election')).toMatchObject([{ kind: 'initial', partition: 'orders-0', leader: 'b1', leaderEpoch: 0 }]);
  });

  it('moves a fenced leader away in a new leader epoch and takes it out of the ISR', () => {
    const m = manager();
    m.ctx.clear();
    fence(m, 0);
    expect(m.rcm.partitions[0]).toEqual({ leader: 1, leaderEpoch: 1, partitionEpoch: 1, isr: [1, 2], replicas: [0, 1, 2] });
    expect(m.ctx.eventsOf('isr-shrink')).toMatchObject([{ isr: ['b2', 'b3'], leaderEpoch: 1 }]);
    expect(m.ctx.eventsOf('election')).toMatchObject([{ kind: 'clean', leader: 'b2', previousLeader: 'b1', isr: ['b2', 'b3'] }]);
    expect(m.log.dirty).toBe(true);
  });

  it('shrinks the ISR of a fenced follower without a new leader epoch (KRaft from metadata.version 3.6)', () => {
    const m = manager();
    fence(m, 2);
    expect(m.rcm.partitions[0]).toMatchObject({ leader: 0, leaderEpoch: 0, partitionEpoch: 1, isr: [0, 1] });
  });

  // ReplicaStateMachine.doRemoveReplicasFromIsr (ZooKeeper mode, every version) and
  // PartitionChangeBuilder.triggerLeaderEpochBumpIfNeeded (KRaft before metadata.version 3.6).
  it.each([
    ['KRaft, metadata.version 3.5', 'kraft', '3.5', 1, 1],
    ['KRaft, metadata.version 3.6', 'kraft', '3.6', 0, 0],
    ['ZooKeeper mode', 'zookeeper', undefined, 1, 0],
  ] as const)('%s: a fenced follower bumps the leader epoch %i time(s), the leader\'s own AlterPartition shrink %i, an expansion none', (_, metadataMode, level, fencedBumps, shrinkBumps) => {
    const m = manager({ metadataMode });
    if (level !== undefined) m.world.versions.finalizeMetadataVersion(level);
    fence(m, 2);
    expect(m.rcm.partitions[0]).toMatchObject({ leader: 0, leaderEpoch: fencedBumps, isr: [0, 1] });
    expect(m.ctx.eventsOf('isr-shrink').at(-1)).toMatchObject({ isr: ['b1', 'b2'], leaderEpoch: fencedBumps });
    const alter = (isr: number[]) => m.rcm.alterPartition(m.ctx, { type: 'alter-partition', requestId: 1, broker: 0, partition: 0, leaderEpoch: m.rcm.partitions[0].leaderEpoch, partitionEpoch: m.rcm.partitions[0].partitionEpoch, isr });
    expect(alter([0])).toBeNull();
    expect(m.rcm.partitions[0]).toMatchObject({ leader: 0, leaderEpoch: fencedBumps + shrinkBumps, isr: [0] });
    expect(alter([0, 1])).toBeNull();
    expect(m.rcm.partitions[0]).toMatchObject({ leader: 0, leaderEpoch: fencedBumps + shrinkBumps, isr: [0, 1] });
  });

  it('keeps the last ISR member and leaves the partition offline until it returns', () => {
    const m = manager();
    fence(m, 1);
    fence(m, 2);
    m.ctx.clear();
    fence(m, 0);
    expect(m.rcm.partitions[0]).toMatchObject({ leader: NO_LEADER, leaderEpoch: 1, isr: [0] });
    expect(m.ctx.eventsOf('election')).toMatchObject([{ leader: null, kind: 'clean' }]);
    // b2 coming back is not enough: it is out of sync.
    m.fenced.delete(1);
    m.rcm.handleBrokerUnfenced(m.ctx, 1);
    expect(m.rcm.partitions[0].leader).toBe(NO_LEADER);
    m.fenced.delete(0);
    m.rcm.handleBrokerUnfenced(m.ctx, 0);
    expect(m.rcm.partitions[0]).toMatchObject({ leader: 0, leaderEpoch: 2, isr: [0] });
  });

  it('elects outside the ISR when the topic allows unclean election', () => {
    const { partition, elections } = lastIsrFenced({});
    expect(partition).toMatchObject({ leader: 1, isr: [1] });
    expect(elections).toMatchObject([{ kind: 'unclean', leader: 'b2' }]);
  });

  it('an unclean election sets the ISR to its leader in the election, not as an ISR expansion (PartitionChangeBuilder; no Partition.expandIsr)', () => {
    for (const metadataMode of ['kraft', 'zookeeper'] as const) {
      const { elections, isrChanges, stats } = lastIsrFenced({ metadataMode });
      expect(elections, metadataMode).toMatchObject([{ kind: 'unclean', leader: 'b2', isr: ['b2'] }]);
      expect(isrChanges, metadataMode).toEqual([]);
      expect(stats.isrExpands, metadataMode).toBe(0);
    }
    // decoy: a clean election that drops the fenced leader still shrinks the ISR
    const m = manager();
    m.ctx.clear();
    fence(m, 0);
    expect(m.ctx.eventsOf('isr-shrink')).toHaveLength(1);
  });

  it("says who shrank the ISR: the controller's removals (fenced follower, replaced leader) apart from the leader's AlterPartition, which IsrShrinksPerSec counts", () => {
    for (const metadataMode of ['kraft', 'zookeeper'] as const) {
      const m = manager({ metadataMode });
      m.ctx.clear();
      fence(m, 2); // a follower fenced: the controller takes it out
      fence(m, 0); // the leader fenced: the controller takes it out at the clean election of b2
      expect(m.ctx.eventsOf('isr-shrink'), metadataMode).toMatchObject([
        { isr: ['b1', 'b2'], byController: true },
        { isr: ['b2'], byController: true },
      ]);
      expect(m.world.stats, metadataMode).toMatchObject({ isrShrinks: 0, isrExpands: 0, isrRemovalsByController: 2 });
      // decoy: the leader's own shrink and expansion are Partition.shrinkIsr / expandIsr
      const l = manager({ metadataMode });
      const req = { type: 'alter-partition', requestId: 1, broker: 0, partition: 0, leaderEpoch: 0 } as const;
      expect(l.rcm.alterPartition(l.ctx, { ...req, partitionEpoch: 0, isr: [0, 1] })).toBeNull();
      expect(l.rcm.alterPartition(l.ctx, { ...req, partitionEpoch: 1, isr: [0, 1, 2] })).toBeNull();
      expect([...l.ctx.eventsOf('isr-shrink'), ...l.ctx.eventsOf('isr-expand')].some((e) => 'byController' in e), metadataMode).toBe(false);
      expect(l.world.stats, metadataMode).toMatchObject({ isrShrinks: 1, isrExpands: 1, isrRemovalsByController: 0 });
    }
  });

  it('KRaft honours unclean.leader.election.enable from 3.9 only (KAFKA-12670): before it the partition stays offline; ZooKeeper mode always honours it', () => {
    expect(lastIsrFenced({ kafkaVersion: '3.9' }).elections).toMatchObject([{ kind: 'unclean', leader: 'b2' }]);
    // must-not: KRaft 3.4 ignores the config, the only live replica is outside the ISR: offline
    const old = lastIsrFenced({ kafkaVersion: '3.4' });
    expect(old.partition.leader).toBe(NO_LEADER);
    expect(old.elections.some((e) => (e as { kind?: string }).kind === 'unclean')).toBe(false);
    // decoy: ZooKeeper mode on 3.4 elects uncleanly
    expect(lastIsrFenced({ kafkaVersion: '3.4', metadataMode: 'zookeeper' }).elections).toMatchObject([{ kind: 'unclean', leader: 'b2' }]);
  });

  it('checks AlterPartition against the leader epoch and the partition epoch', () => {
    const m = manager();
    const req = (over: Partial<AlterPartitionRequest>): AlterPartitionRequest => ({
      type: 'alter-partition',
      requestId: 1,
      broker: 0,
      partition: 0,
      leaderEpoch: 0,
      partitionEpoch: 0,
      isr: [0, 1],
      ...over,
    });
    expect(m.rcm.alterPartition(m.ctx, req({ leaderEpoch: 1 }))).toBe(FENCED_LEADER_EPOCH);
    expect(m.rcm.alterPartition(m.ctx, req({ broker: 1, isr: [1] }))).toBe(FENCED_LEADER_EPOCH);
    expect(m.rcm.alterPartition(m.ctx, req({ partitionEpoch: 3 }))).toBe(INVALID_UPDATE_VERSION);
    expect(m.world.stats.alterPartitionRejected).toBe(3);
    expect(m.rcm.partitions[0]).toMatchObject({ partitionEpoch: 0, isr: [0, 1, 2] });
    expect(m.rcm.alterPartition(m.ctx, req({ isr: [1, 0] }))).toBeNull();
    expect(m.rcm.partitions[0]).toMatchObject({ leaderEpoch: 0, partitionEpoch: 1, isr: [0, 1] });
    expect(() => m.rcm.alterPartition(m.ctx, req({ partitionEpoch: 1, isr: [1] }))).toThrow(/without itself/);
  });

  it('refuses to add a fenced replica to the ISR in KRaft (KIP-841), not in ZooKeeper mode', () => {
    for (const metadataMode of ['kraft', 'zookeeper'] as const) {
      const m = manager({ metadataMode });
      fence(m, 2);
      const { leaderEpoch, partitionEpoch } = m.rcm.partitions[0];
      const error = m.rcm.alterPartition(m.ctx, { type: 'alter-partition', requestId: 1, broker: 0, partition: 0, leaderEpoch, partitionEpoch, isr: [0, 1, 2] });
      expect(error).toBe(metadataMode === 'kraft' ? INELIGIBLE_REPLICA : null);
    }
  });

  it('gives a returning preferred replica its leadership back on the rebalance check', () => {
    const m = manager({ brokerConfig: { 'leader.imbalance.check.interval.seconds': 1 } });
    fence(m, 0);
    m.fenced.delete(0);
    m.rcm.handleBrokerUnfenced(m.ctx, 0);
    m.rcm.alterPartition(m.ctx, { type: 'alter-partition', requestId: 1, broker: 1, partition: 0, leaderEpoch: 1, partitionEpoch: 1, isr: [0, 1, 2] });
    m.ctx.clear();
    m.rcm.maybeBalancePartitionLeaders(m.ctx); // too early: the interval has not passed
    expect(m.rcm.partitions[0].leader).toBe(1);
    m.ctx.nowUs = 1_000_000;
    m.rcm.maybeBalancePartitionLeaders(m.ctx);
    expect(m.rcm.partitions[0]).toMatchObject({ leader: 0, leaderEpoch: 2, isr: [0, 1, 2] });
    expect(m.ctx.eventsOf('election')).toMatchObject([{ kind: 'preferred', leader: 'b1', previousLeader: 'b2' }]);
  });
});

// KIP-966 as 4.1 ships it (PartitionChangeBuilder: ELR, then lastKnownElr with
// useLastKnownLeaderInBalancedRecovery; ReplicationControlManager.handleBrokerUncleanShutdown).
describe('ReplicationControlManager: Eligible Leader Replicas and the last known leader (KIP-966)', () => {
  const unfence = (m: ReturnType<typeof manager>, b: number) => {
    m.fenced.delete(b);
    m.rcm.handleBrokerUnfenced(m.ctx, b);
  };
  /** Every broker fenced, the leader b1 last (min ISR 1: it alone goes into the ELR), then all registering after an unclean shutdown, as after a power loss. */
  const powerLoss = (kafkaVersion: '4.0' | '4.1') => {
    const m = manager({ kafkaVersion });
    fence(m, 1);
    fence(m, 2);
    fence(m, 0);
    for (const b of [0, 1, 2]) m.rcm.handleBrokerUncleanShutdown(m.ctx, b);
    m.ctx.clear();
    return m;
  };

  it('4.1: the ISR empties into the ELR, the unclean restarts empty it, and the last known leader leads again once unfenced', () => {
    const m = powerLoss('4.1');
    expect(m.rcm.partitions[0]).toMatchObject({ leader: NO_LEADER, isr: [], elr: [], lastKnownElr: [0] });
    // decoy: another replica coming back is not the last known leader, and was out of sync: offline
    unfence(m, 1);
    expect(m.rcm.partitions[0].leader).toBe(NO_LEADER);
    unfence(m, 0);
    expect(m.rcm.partitions[0]).toMatchObject({ leader: 0, isr: [0], elr: [], lastKnownElr: [] });
    expect(m.ctx.eventsOf('election')).toMatchObject([{ kind: 'last-known-leader', leader: 'b1', previousLeader: null, isr: ['b1'] }]);
  });

  it('4.0 (no ELR): the last ISR member stays in the ISR and is elected cleanly when it returns, as before', () => {
    const m = powerLoss('4.0');
    expect(m.rcm.partitions[0]).toEqual({ leader: NO_LEADER, leaderEpoch: 1, partitionEpoch: 3, isr: [0], replicas: [0, 1, 2] });
    unfence(m, 1);
    expect(m.rcm.partitions[0].leader).toBe(NO_LEADER);
    unfence(m, 0);
    expect(m.ctx.eventsOf('election')).toMatchObject([{ kind: 'clean', leader: 'b1', isr: ['b1'] }]);
  });

  it('4.1: the last known leader never leads in the change that handles its own unclean restart, even before it is fenced', () => {
    const m = manager({ kafkaVersion: '4.1' });
    fence(m, 1);
    fence(m, 2);
    fence(m, 0);
    m.fenced.delete(0); // its new incarnation registers before the controller fenced the old one
    m.ctx.clear();
    m.rcm.handleBrokerUncleanShutdown(m.ctx, 0);
    expect(m.rcm.partitions[0]).toMatchObject({ leader: NO_LEADER, isr: [], elr: [], lastKnownElr: [0] });
    m.rcm.handleBrokerUnfenced(m.ctx, 0);
    expect(m.ctx.eventsOf('election')).toMatchObject([{ kind: 'last-known-leader', leader: 'b1' }]);
  });

  it('4.1, min ISR 2: a non-empty ELR blocks the last known leader; its member leads from the ELR, and once it leaves uncleanly the last known leader is elected in that change', () => {
    const m = manager({ kafkaVersion: '4.1', brokerConfig: { 'min.insync.replicas': 2 } });
    fence(m, 2);
    fence(m, 1);
    fence(m, 0);
    expect(m.rcm.partitions[0]).toMatchObject({ leader: NO_LEADER, isr: [], elr: [0, 1], lastKnownElr: [0] });
    m.rcm.handleBrokerUncleanShutdown(m.ctx, 0);
    expect(m.rcm.partitions[0]).toMatchObject({ isr: [], elr: [1], lastKnownElr: [0] });
    m.ctx.clear();
    unfence(m, 0);
    expect(m.rcm.partitions[0].leader).toBe(NO_LEADER); // b2 is still eligible, so b1 may not lead
    m.rcm.handleBrokerUncleanShutdown(m.ctx, 1);
    expect(m.rcm.partitions[0]).toMatchObject({ leader: 0, isr: [0], elr: [], lastKnownElr: [] });
    expect(m.ctx.eventsOf('election')).toMatchObject([{ kind: 'last-known-leader', leader: 'b1' }]);

    // A reassignment (here a reordering) while offline keeps the ELR: b1 may not lead while b2 is in it.
    const r = manager({ kafkaVersion: '4.1', brokerConfig: { 'min.insync.replicas': 2 } });
    fence(r, 2);
    fence(r, 1);
    fence(r, 0);
    r.rcm.handleBrokerUncleanShutdown(r.ctx, 0);
    expect(r.rcm.alterPartitionReassignment(r.ctx, 0, [1, 2, 0])).toBeNull();
    expect(r.rcm.partitions[0]).toMatchObject({ replicas: [1, 2, 0], isr: [], elr: [1], lastKnownElr: [0] });
    unfence(r, 0);
    expect(r.rcm.partitions[0].leader).toBe(NO_LEADER);

    // The same ELR with b2 back first: b2 leads from the ELR, a clean election.
    const e = manager({ kafkaVersion: '4.1', brokerConfig: { 'min.insync.replicas': 2 } });
    fence(e, 2);
    fence(e, 1);
    fence(e, 0);
    e.ctx.clear();
    unfence(e, 1);
    expect(e.rcm.partitions[0]).toMatchObject({ leader: 1, isr: [1], elr: [0], lastKnownElr: [] });
    expect(e.ctx.eventsOf('election')).toMatchObject([{ kind: 'clean', leader: 'b2' }]);
  });
});

describe('ReplicationControlManager: alterPartitionReassignment (KIP-455)', () => {
  const fourBrokers: Partial<TestCluster> = {
    brokers: [
      { name: 'b1', az: 'az1' },
      { name: 'b2', az: 'az2' },
      { name: 'b3', az: 'az3' },
      { name: 'b4', az: 'az1' },
    ],
    topics: [{ name: 'orders', replicas: [['b1', 'b2', 'b3']] }],
  };
  const alter = (m: ReturnType<typeof manager>, isr: number[]): string | null => {
    const p = m.rcm.partitions[0];
    return m.rcm.alterPartition(m.ctx, { type: 'alter-partition', requestId: 1, broker: p.leader, partition: 0, leaderEpoch: p.leaderEpoch, partitionEpoch: p.partitionEpoch, isr });
  };

  it('adds the target (KRaft: same leader epoch), then completes on the AlterPartition that brings b4 in: b1 removed, b2 elected', () => {
    const m = manager(fourBrokers);
    m.ctx.clear();
    expect(m.rcm.alterPartitionReassignment(m.ctx, 0, [1, 2, 3])).toBeNull();
    expect(m.rcm.partitions[0]).toEqual({ leader: 0, leaderEpoch: 0, partitionEpoch: 1, isr: [0, 1, 2], replicas: [1, 2, 3, 0], addingReplicas: [3], removingReplicas: [0] });
    expect(alter(m, [0, 1, 2, 3])).toBeNull();
    expect(m.rcm.partitions[0]).toEqual({ leader: 1, leaderEpoch: 1, partitionEpoch: 2, isr: [1, 2, 3], replicas: [1, 2, 3] });
    expect(m.ctx.eventsOf('reassignment').map((e) => e.phase)).toEqual(['started', 'completed']);
    expect(m.ctx.eventsOf('election')).toMatchObject([{ kind: 'clean', leader: 'b2', previousLeader: 'b1', leaderEpoch: 1 }]);
  });

  it('an election while in progress keeps the reassignment; a fenced target replica never completes it', () => {
    const m = manager(fourBrokers);
    m.rcm.alterPartitionReassignment(m.ctx, 0, [1, 2, 3]);
    fence(m, 0);
    expect(m.rcm.partitions[0]).toMatchObject({ leader: 1, replicas: [1, 2, 3, 0], addingReplicas: [3], removingReplicas: [0] });
    m.fenced.add(3);
    expect(alter(m, [1, 2, 3])).toBe(INELIGIBLE_REPLICA);
    expect(m.rcm.partitions[0].addingReplicas).toEqual([3]);
  });

  it('ZooKeeper mode bumps the leader epoch when the reassignment starts', () => {
    const m = manager({ ...fourBrokers, metadataMode: 'zookeeper', era: 'kip-279' });
    m.rcm.alterPartitionReassignment(m.ctx, 0, [0, 3]);
    expect(m.rcm.partitions[0]).toMatchObject({ leader: 0, leaderEpoch: 1, replicas: [0, 3, 1, 2] });
  });

  it('only removals complete at once: the leader stays, the leader epoch is bumped (replicas removed)', () => {
    const m = manager(fourBrokers);
    m.rcm.alterPartitionReassignment(m.ctx, 0, [0, 1]);
    expect(m.rcm.partitions[0]).toEqual({ leader: 0, leaderEpoch: 1, partitionEpoch: 1, isr: [0, 1], replicas: [0, 1] });
    expect(m.ctx.eventsOf('election').filter((e) => e.kind !== 'initial')).toEqual([]);
  });
});
