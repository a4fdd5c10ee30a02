import { describe, expect, it } from 'vitest';
import type { TestCluster } from '../testing/kafka-test-cluster.ts';
import { RecordingContext } from '../testing/recording-context.ts';
import { testWorld } from '../testing/test-world.ts';
import { QUORUM_TICK, RAFT_TIMEOUT } from '../timers.ts';
import { QuorumController } from './quorum-controller.ts';
import { SeededChoices } from '../../../src/sim/seeded-choices.ts';
import type { KafkaMessage } from '../messages.ts';

/** Voter c's fetch from controller 0, the leader of epoch 1 (a Raft heartbeat). */
const fetchFrom = (c: number): KafkaMessage => ({ type: 'raft-heartbeat', controller: c, epoch: 1, leader: 0, logEpoch: 1, logEnd: 0 });

/** Three controllers and brokers b1-b3 (session timeout 9 s); controller 0 becomes active at 0.1 s. */
function activeController(t: Partial<TestCluster> = {}) {
  const world = testWorld({ durationMs: 600_000, ...t });
  const qc = new QuorumController(world, new SeededChoices('1').stream('kafka.controller.quorum'));
  const ctx = new RecordingContext();
  for (let c = 0; c < 3; c++) qc.onStart(ctx, c);
  const tick = (atUs: number) => {
    ctx.nowUs = atUs;
    qc.onMessage(ctx, 0, world.kraft ? fetchFrom(1) : { type: 'quorum-heartbeat', controller: 1 });
    qc.onTimer(ctx, 0, QUORUM_TICK);
  };
  const heartbeat = (broker: number, incarnation: number, metadataVersion = qc.log.version) =>
    qc.onMessage(ctx, 0, { type: 'broker-heartbeat', requestId: 1, broker, incarnation, metadataVersion });
  tick(100_000);
  for (let b = 0; b < 3; b++) heartbeat(b, 1);
  return { world, qc, ctx, tick, heartbeat };
}

describe('QuorumController', () => {
  it('activates the lowest controller with a majority and publishes the created partitions', () => {
    const { qc, ctx, world } = activeController();
    expect(qc.quorum.isActive(0, ctx.nowUs)).toBe(true);
    expect(qc.quorum.isActive(1, ctx.nowUs)).toBe(false);
    expect(world.stats.controllerActivations).toBe(1);
    const image = qc.log.image!;
    expect(image.partitions[0]).toMatchObject({ leader: 0, isr: [0, 1, 2] });
    expect(image.incarnations).toEqual([1, 1, 1]);
    expect(image.fenced).toEqual([false, false, false]);
    // Every publication went to every broker node, in KRaft as the answer to its metadata fetch.
    const pushes = ctx.sent.filter((s) => s.msg.type === 'metadata-update');
    expect(pushes.at(-1)!.msg).toMatchObject({ image });
    expect(pushes.every((s) => s.how === 'reply')).toBe(true);
  });

  it('answers every heartbeat: NOT_CONTROLLER from an inactive controller, the image to a broker behind', () => {
    const { qc, ctx } = activeController();
    ctx.clear();
    qc.onMessage(ctx, 1, { type: 'broker-heartbeat', requestId: 7, broker: 2, incarnation: 1, metadataVersion: 0 });
    qc.onMessage(ctx, 0, { type: 'broker-heartbeat', requestId: 8, broker: 2, incarnation: 1, metadataVersion: 0 });
    qc.onMessage(ctx, 0, { type: 'broker-heartbeat', requestId: 9, broker: 2, incarnation: 1, metadataVersion: qc.log.version });
    expect(ctx.sentOf('broker-heartbeat-response').map((r) => [r.requestId, r.error, r.image === null])).toEqual([
      [7, 'NOT_CONTROLLER', true],
      [8, null, false],
      [9, null, true],
    ]);
    expect(ctx.sent.every((s) => s.how === 'reply')).toBe(true);
  });

  it('refuses requests at a controller that is not active', () => {
    const { qc, ctx } = activeController();
    const version = qc.log.version;
    ctx.clear();
    qc.onMessage(ctx, 1, { type: 'controlled-shutdown', requestId: 1, broker: 0, incarnation: 1 });
    qc.onMessage(ctx, 1, { type: 'alter-partition', requestId: 2, broker: 0, partition: 0, leaderEpoch: 0, partitionEpoch: 0, isr: [0, 2] });
    expect(qc.log.version).toBe(version);
    expect(qc.cluster.shuttingDown[0]).toBe(false);
    expect(ctx.sentOf('alter-partition-response')).toEqual([{ type: 'alter-partition-response', requestId: 2, partition: 0, error: 'NOT_CONTROLLER', meta: null }]);
  });

  it('pushes metadata on its own connections in ZooKeeper mode (UpdateMetadata)', () => {
    const { ctx } = activeController({ metadataMode: 'zookeeper' });
    const pushes = ctx.sent.filter((s) => s.msg.type === 'metadata-update');
    expect(pushes.length).toBeGreaterThan(0);
    expect(pushes.every((s) => s.how === 'send')).toBe(true);
  });

  it('fences a broker whose session expired and moves its leadership', () => {
    const { qc, ctx, tick, heartbeat } = activeController();
    for (let t = 1; t <= 10; t++) {
      heartbeat(1, 1);
      heartbeat(2, 1);
      tick(100_000 + t * 1_000_000);
    }
    expect(qc.cluster.fenced).toEqual([true, false, false]);
    expect(qc.partitions[0]).toMatchObject({ leader: 1, leaderEpoch: 1, isr: [1, 2] });
    expect(ctx.eventsOf('election').at(-1)).toMatchObject({ kind: 'clean', leader: 'b2', previousLeader: 'b1' });
  });

  it('fences a restarted KRaft broker until it has caught up with the metadata (KIP-841)', () => {
    const { qc, heartbeat } = activeController();
    heartbeat(0, 2, 0);
    expect(qc.cluster.fenced[0]).toBe(true);
    expect(qc.partitions[0]).toMatchObject({ leader: 1, isr: [1, 2] });
    const catchUpTo = qc.cluster.unfenceAtVersion[0];
    heartbeat(0, 2, catchUpTo - 1);
    expect(qc.cluster.fenced[0]).toBe(true);
    heartbeat(0, 2, catchUpTo);
    expect(qc.cluster.fenced[0]).toBe(false);
    expect(qc.log.image!.fenced[0]).toBe(false);
  });

  // ZooKeeper mode: b1's process restarts (incarnation 2) while its old session (18 s) lives on.
  function zkRestart(era: 'current' | 'kip-279') {
    const c = activeController({ metadataMode: 'zookeeper', era });
    c.heartbeat(0, 2, 0);
    for (let t = 1; t <= 20; t++) {
      c.heartbeat(1, 1);
      c.heartbeat(2, 1);
      if (t > 1) c.heartbeat(0, 2, 0);
      c.tick(t * 1_000_000);
    }
    return c;
  }

  it('ZooKeeper: a restarted broker registers only once its old session expired, as failed then started', () => {
    const early = activeController({ metadataMode: 'zookeeper' });
    early.heartbeat(0, 2, 0);
    // Its old znode still exists: the new process is not registered and leads nothing.
    expect(early.qc.cluster.incarnation[0]).toBe(1);
    expect(early.qc.cluster.fenced[0]).toBe(false);

    const { qc, ctx } = zkRestart('current');
    // The session of incarnation 1 (last heard at 0.1 s) expired at 18.1 s: leadership moved
    // (onBrokerFailure), then the waiting process registered and was unfenced (onBrokerStartup).
    expect(ctx.eventsOf('election')).toMatchObject([{ kind: 'initial' }, { kind: 'clean', leader: 'b2', previousLeader: 'b1' }]);
    expect(qc.cluster.incarnation[0]).toBe(2);
    expect(qc.cluster.fenced[0]).toBe(false);
    expect(qc.log.image!.incarnations[0]).toBe(2);
  });

  it('ZooKeeper before KIP-380: the controller misses the bounce; b1 stays the leader it no longer is', () => {
    const { qc, ctx, world } = zkRestart('kip-279');
    expect(ctx.eventsOf('election')).toMatchObject([{ kind: 'initial' }]);
    expect(qc.partitions[0].leader).toBe(0);
    expect(qc.cluster.fenced[0]).toBe(false);
    expect(qc.log.image!.incarnations[0]).toBe(1); // never registered: no LeaderAndIsr for it
    expect(world.stats.missedBrokerBounces).toBe(1);
  });

  it('ZooKeeper: a restarted process is answered NODE_EXISTS until it has registered, unnoticed too before KIP-380', () => {
    for (const era of ['current', 'kip-279'] as const) {
      const early = activeController({ metadataMode: 'zookeeper', era });
      early.ctx.clear();
      early.heartbeat(0, 2, 0);
      early.heartbeat(1, 1);
      expect(early.ctx.sentOf('broker-heartbeat-response').map((r) => r.error)).toEqual(['NODE_EXISTS', null]);
      const { qc, ctx } = zkRestart(era);
      ctx.clear();
      qc.onMessage(ctx, 0, { type: 'broker-heartbeat', requestId: 2, broker: 0, incarnation: 2, metadataVersion: qc.log.version });
      expect(ctx.sentOf('broker-heartbeat-response').map((r) => r.error)).toEqual([null]);
    }
  });

  it('moves leadership away from a broker in controlled shutdown, then answers it', () => {
    const { qc, ctx } = activeController();
    ctx.clear();
    qc.onMessage(ctx, 0, { type: 'controlled-shutdown', requestId: 1, broker: 0, incarnation: 1 });
    expect(qc.cluster.shuttingDown[0]).toBe(true);
    expect(qc.cluster.fenced[0]).toBe(true);
    expect(ctx.eventsOf('election')).toMatchObject([{ kind: 'controlled-shutdown', leader: 'b2' }]);
    expect(ctx.sentOf('controlled-shutdown-response')).toHaveLength(1);
    expect(qc.log.image!.shuttingDown[0]).toBe(true);
  });

  it('answers an AlterPartition with the committed state', () => {
    const { qc, ctx } = activeController();
    ctx.clear();
    qc.onMessage(ctx, 0, { type: 'alter-partition', requestId: 5, broker: 0, partition: 0, leaderEpoch: 0, partitionEpoch: 0, isr: [0, 2] });
    const [answer] = ctx.sentOf('alter-partition-response');
    expect(answer.error).toBeNull();
    expect(answer.requestId).toBe(5);
    expect(answer.meta).toMatchObject({ partitionEpoch: 1, isr: [0, 2] });
    expect(ctx.eventsOf('isr-shrink')).toHaveLength(1);
  });

  // Controller 0 active at 0.1 s, then no voter heard from: at 0.8 s no majority is fetching (500 ms
  // fetch wait and 100 ms allowance passed), so b1's AlterPartition is appended but cannot commit.
  function uncommittedShrink() {
    const c = activeController();
    const version = c.qc.log.version;
    c.ctx.clear();
    c.ctx.nowUs = 800_000;
    c.qc.onMessage(c.ctx, 0, { type: 'alter-partition', requestId: 5, broker: 0, partition: 0, leaderEpoch: 0, partitionEpoch: 0, isr: [0] });
    expect(c.qc.quorum.isActive(0, c.ctx.nowUs)).toBe(true);
    expect(c.ctx.sent).toEqual([]);
    expect(c.qc.log.version).toBe(version);
    expect(c.qc.partitions[0].isr).toEqual([0, 1, 2]);
    return { ...c, version };
  }

  it('holds a write it cannot commit, and carries it out once a majority fetches again', () => {
    const { qc, ctx, version } = uncommittedShrink();
    ctx.nowUs = 900_000;
    qc.onMessage(ctx, 0, fetchFrom(2));
    expect(ctx.sentOf('alter-partition-response')).toMatchObject([{ requestId: 5, error: null, meta: { isr: [0] } }]);
    expect(qc.log.version).toBe(version + 1);
    expect(ctx.eventsOf('isr-shrink')).toHaveLength(1);
  });

  it('answers NOT_CONTROLLER to a write it never committed once it resigned, and changed nothing', () => {
    const { qc, ctx, version } = uncommittedShrink();
    // No voter has fetched since 0.1 s: the leader resigns 1.5 x the 2 s fetch timeout later (KAFKA-15489, 3.7).
    for (let t = 900_000; t <= 4_300_000; t += 100_000) {
      ctx.nowUs = t;
      qc.onTimer(ctx, 0, QUORUM_TICK);
      qc.onTimer(ctx, 0, RAFT_TIMEOUT); // what it does before its timer is due is nothing
    }
    expect(qc.quorum.isActive(0, ctx.nowUs)).toBe(false);
    expect(ctx.sentOf('alter-partition-response')).toMatchObject([{ requestId: 5, error: 'NOT_CONTROLLER', meta: null }]);
    expect(qc.log.version).toBe(version);
    expect(qc.partitions[0].isr).toEqual([0, 1, 2]);
    expect(ctx.eventsOf('isr-shrink')).toEqual([]);
  });

  it('forgets the writes it held when its process restarts: they never happen', () => {
    const { qc, ctx, version } = uncommittedShrink();
    ctx.nowUs = 850_000;
    qc.onStart(ctx, 0);
    ctx.nowUs = 900_000;
    qc.onMessage(ctx, 0, fetchFrom(1));
    qc.onMessage(ctx, 0, fetchFrom(2));
    expect(ctx.sentOf('alter-partition-response')).toEqual([]);
    expect(qc.log.version).toBe(version);
    expect(qc.partitions[0].isr).toEqual([0, 1, 2]);
  });
});
