import { describe, expect, it } from 'vitest';
import type { Violation } from '../../../src/sim/model.ts';
import type { CommitStrategy } from '../scenario/kafka-scenario.ts';
import { finalPartition, TestRun } from './kafka-test-run.ts';

const of = (property: string, violations: Violation[]) => violations.filter((v) => v.property === property);

function assignment(run: TestRun, atMs: number, member: string, generation: number, partitions: string[]): TestRun {
  return run.event(atMs, 'c1', { type: 'assignment', member, group: 'g', generation, partitions, revoked: [] });
}

function commitOk(run: TestRun, atMs: number, member: string, generation: number, partition: string, offset: number): TestRun {
  return run.event(atMs, 'c1', { type: 'commit-ok', member, group: 'g', generation, partitions: [partition], offsets: [offset] });
}

const OFFSETS = '__consumer_offsets-0';

describe('double-assignment', () => {
  it('passes when each partition has one owner per generation, and ownership moves between generations', () => {
    const run = new TestRun({ partitions: 2 });
    assignment(run, 10, 'm1', 1, ['orders-0', 'orders-1']);
    run.event(10, 'c1', { type: 'rebalance-end', group: 'g', generation: 1, members: 1, assignment: ['id1=orders-0,orders-1'] });
    assignment(run, 20, 'm1', 2, ['orders-0']);
    assignment(run, 20, 'm2', 2, ['orders-1']);
    run.event(20, 'c1', { type: 'rebalance-end', group: 'g', generation: 2, members: 2, assignment: ['id1=orders-0', 'id2=orders-1'] });
    // The same member learning its assignment twice (a repeated SyncGroup) is not two owners.
    assignment(run, 21, 'm1', 2, ['orders-0']);
    expect(of('double-assignment', run.finish(100, []).violations)).toEqual([]);
  });

  it('fails when the coordinator hands one partition to two members of a generation', () => {
    const run = new TestRun({ partitions: 2 });
    run.event(20, 'c1', { type: 'rebalance-end', group: 'g', generation: 2, members: 2, assignment: ['id1=orders-0', 'id2=orders-0,orders-1', 'id3='] });
    const v = of('double-assignment', run.finish(100, []).violations);
    expect(v).toHaveLength(1);
    expect(v[0]).toMatchObject({ classification: 'breach', partition: 'orders-0', count: 1, owners: [['id1', 'id2']], generations: [2] });
  });

  it('fails when two members of one group learn the same partition in the same generation (other groups do not count)', () => {
    const run = new TestRun({ partitions: 2 });
    assignment(run, 20, 'm1', 3, ['orders-1']);
    assignment(run, 21, 'm2', 3, ['orders-1']);
    // Another group owning the same partition is fine.
    run.event(22, 'c1', { type: 'assignment', member: 'x1', group: 'other', generation: 3, partitions: ['orders-1'], revoked: [] });
    const v = of('double-assignment', run.finish(100, []).violations);
    expect(v).toHaveLength(1);
    expect(v[0]).toMatchObject({ classification: 'breach', partition: 'orders-1', owners: [['m1', 'm2']] });
    expect(v[0].message).toMatch(/^breach \(a partition has one owner per generation\): orders-1 assigned to two members/);
  });
});

describe('double-assignment after the group\'s state was lost', () => {
  // Generation 1 twice: once at the start, once after the coordinator lost the group and restarted it.
  const reused = (lossAtMs: number | null, lossPartition = OFFSETS) => {
    const run = new TestRun({ partitions: 2 });
    run.hw(5, 'b1', 4, 0, OFFSETS);
    assignment(run, 10, 'm1', 1, ['orders-0']);
    if (lossAtMs !== null) {
      run.logLost(lossAtMs - 1, 'b1', 4, 0, [101, 102, 103, 104], 'power-loss', lossPartition);
      run.election(lossAtMs, 'clean', 'b1', 1, ['b1'], 0, 'b1', lossPartition);
    }
    assignment(run, 200, 'm2', 1, ['orders-0']);
    return of('double-assignment', run.finish(300, [], false, [{ group: 'g', offsetsPartition: OFFSETS, coordinator: 'b1', committed: [] }]).violations);
  };

  it('is permitted by the fault load when every in-sync copy of the group\'s offsets partition was lost between the two assignments', () => {
    const v = reused(100);
    expect(v).toHaveLength(1);
    expect(v[0]).toMatchObject({ classification: 'permitted', permittedBy: 'fault-load', partition: 'orders-0' });
    expect(v[0].reason).toMatch(/^group g restarted from scratch: every in-sync replica of __consumer_offsets-0 \(b1\) lost its unflushed log/);
  });

  it('is a breach without such a loss, or with one before the first assignment, or of another offsets partition', () => {
    expect(reused(null)[0]).toMatchObject({ classification: 'breach' });
    expect(reused(8)[0]).toMatchObject({ classification: 'breach' });
    expect(reused(100, '__consumer_offsets-7')[0]).toMatchObject({ classification: 'breach' });
  });
});

describe("double-assignment after a clean election of the group's offsets partition lost it (group-metadata-loss.ts)", () => {
  // ksim check seed 5 (0.11 ZooKeeper, auto commit): b1 lost its copy of the offsets partition to a
  // 1 ms power loss inside the ISR, the controller missed the bounce, the leader b3 crashed and the
  // controller elected b1 with LEO 0 while b2 (in the ISR) and b3 (the replaced leader) held it.
  const lost = (options: { kafkaVersion: '0.11' | '2.2'; burned: string[]; leftIsr?: boolean; electedAtMs?: number }) => {
    const run = new TestRun({ kafkaVersion: options.kafkaVersion, metadataMode: 'zookeeper', partitions: 2 });
    run.election(0, 'initial', 'b3', 0, ['b3', 'b1', 'b2'], 0, null, OFFSETS).hw(5, 'b3', 1, 0, OFFSETS);
    assignment(run, 10, 'm1', 1, ['orders-0']);
    for (const b of options.burned) run.logLost(3112, b, 1, 0, [101], 'power-loss', OFFSETS);
    if (options.leftIsr === true) run.isr(4000, 'isr-shrink', ['b3', 'b2'], 0, OFFSETS).isr(5000, 'isr-expand', ['b3', 'b2', 'b1'], 0, OFFSETS);
    const electedAtMs = options.electedAtMs ?? 8300;
    run.isr(electedAtMs, 'isr-shrink', ['b1', 'b2'], 0, OFFSETS).election(electedAtMs, 'clean', 'b1', 1, ['b1', 'b2'], 0, 'b3', OFFSETS);
    assignment(run, electedAtMs + 700, 'm2', 1, ['orders-0']);
    return of('double-assignment', run.finish(electedAtMs + 1700, [], false, [{ group: 'g', offsetsPartition: OFFSETS, coordinator: 'b1', committed: [] }]).violations);
  };

  it('is permitted by the version before KIP-380 when the new leader lost its copy inside the ISR and stayed in it (the controller missed its bounce); a breach from 2.2', () => {
    const v = lost({ kafkaVersion: '0.11', burned: ['b1'] });
    expect(v).toHaveLength(1);
    expect(v[0]).toMatchObject({ classification: 'permitted', permittedBy: 'version' });
    expect(v[0].reason).toContain('b1 lost its log of __consumer_offsets-0 to a storage loss at 3.112s inside the ISR, started again, stayed in the ISR without it and was elected leader at 8.300s');
    expect(v[0].reason).toContain('KIP-380, fixed in Kafka 2.2');
    expect(lost({ kafkaVersion: '2.2', burned: ['b1'] })[0]).toMatchObject({ classification: 'breach' });
  });

  it("counts the replaced leader's copy (lost-write's rule, in-sync-copies.ts): the new ISR burned while b3 held it is the missed bounce; b3 burned too is the fault load", () => {
    const isrBurned = lost({ kafkaVersion: '0.11', burned: ['b1', 'b2'] });
    expect(isrBurned[0]).toMatchObject({ classification: 'permitted', permittedBy: 'version' });
    expect(isrBurned[0].reason).not.toContain('every in-sync replica');
    const allBurned = lost({ kafkaVersion: '0.11', burned: ['b1', 'b2', 'b3'] });
    expect(allBurned[0]).toMatchObject({ classification: 'permitted', permittedBy: 'fault-load' });
    expect(allBurned[0].reason).toContain('every in-sync replica of __consumer_offsets-0 (b1, b2, b3) lost its unflushed log');
  });

  it('a new leader that left the ISR after its loss and was taken back (a stale fetch) is the missed bounce only while its old ZooKeeper session lived; elected after it expired, a breach (decoy)', () => {
    // ksim check on check-small, Apache 0.10 (seed 8, auto commit): b1 lost its disk for 1 ms out of
    // the ISR, a stale fetch put it back, and b2's controlled shutdown elected it 0.5 s later
    const within = lost({ kafkaVersion: '0.11', burned: ['b1'], leftIsr: true });
    expect(within[0]).toMatchObject({ classification: 'permitted', permittedBy: 'version' });
    expect(within[0].reason).toContain('b1 lost its log of __consumer_offsets-0 to a storage loss at 3.112s, started again and, while its old ZooKeeper session lived, was elected leader at 8.300s');
    // past zookeeper.session.timeout.ms (TestRun's brokers: 18 s) the old session was gone
    expect(lost({ kafkaVersion: '0.11', burned: ['b1'], leftIsr: true, electedAtMs: 21200 })[0]).toMatchObject({ classification: 'breach' });
  });
});

describe("double-assignment after the offsets partition's leader lost its log and led on without an election", () => {
  // ksim check seed 4 (0.11 ZooKeeper): the coordinator b3 lost its log to a 1 ms disk loss, the
  // controller missed the bounce, and a later ISR change told b3 again that it leads: it loaded the
  // group from its empty log and generation 1 started over.
  const kept = (options: { kafkaVersion: '0.11' | '2.2'; burned: string[]; electedAtMs?: number }) => {
    const run = new TestRun({ kafkaVersion: options.kafkaVersion, metadataMode: 'zookeeper', partitions: 2 });
    run.election(0, 'initial', 'b3', 0, ['b3', 'b1', 'b2'], 0, null, OFFSETS).hw(5, 'b3', 2, 0, OFFSETS);
    assignment(run, 10, 'm1', 1, ['orders-0']);
    for (const b of options.burned) run.logLost(5004, b, 2, 0, [101, 102], 'disk-loss', OFFSETS);
    if (options.electedAtMs !== undefined) run.election(options.electedAtMs, 'clean', 'b2', 1, ['b2', 'b1'], 2, 'b3', OFFSETS);
    run.isr(5310, 'isr-shrink', ['b3', 'b2'], 1, OFFSETS);
    assignment(run, 9000, 'm2', 1, ['orders-0']);
    return of('double-assignment', run.finish(10000, [], false, [{ group: 'g', offsetsPartition: OFFSETS, coordinator: 'b3', committed: [] }]).violations);
  };

  it('is permitted by the version before KIP-380 (the controller missed the bounce), a breach from 2.2, the fault load when the whole ISR burned', () => {
    const v = kept({ kafkaVersion: '0.11', burned: ['b3'] });
    expect(v).toHaveLength(1);
    expect(v[0]).toMatchObject({ classification: 'permitted', permittedBy: 'version' });
    expect(v[0].reason).toContain('b3 lost its log of __consumer_offsets-0 to disk-loss at 5.004s (LEO 0, below its high watermark 2) and led it on with no election since');
    expect(v[0].reason).toContain('KIP-380, fixed in Kafka 2.2');
    expect(kept({ kafkaVersion: '2.2', burned: ['b3'] })[0]).toMatchObject({ classification: 'breach' });
    expect(kept({ kafkaVersion: '0.11', burned: ['b3', 'b1', 'b2'] })[0]).toMatchObject({ classification: 'permitted', permittedBy: 'fault-load' });
  });

  it('decoy: a loss of a follower, or a leader replaced by an election of a replica that kept the log, is no loss of the group: a breach', () => {
    expect(kept({ kafkaVersion: '0.11', burned: ['b1'] })[0]).toMatchObject({ classification: 'breach', reason: 'a partition has one owner per generation' });
    expect(kept({ kafkaVersion: '0.11', burned: ['b3'], electedAtMs: 6000 })[0]).toMatchObject({ classification: 'breach', reason: 'a partition has one owner per generation' });
  });
});

describe('committed-offset-backwards', () => {
  it('passes when commits only move forward and the final loaded offset matches', () => {
    const run = new TestRun();
    commitOk(run, 10, 'm1', 1, 'orders-0', 5);
    commitOk(run, 20, 'm1', 1, 'orders-0', 5);
    commitOk(run, 30, 'm2', 2, 'orders-0', 9);
    const { violations } = run.finish(100, [], false, [{ group: 'g', offsetsPartition: OFFSETS, coordinator: 'b1', committed: [{ partition: 'orders-0', offset: 9, lag: 0 }] }]);
    expect(of('committed-offset-backwards', violations)).toEqual([]);
  });

  it('fails when a later commit is lower without cause (a stale member commit accepted)', () => {
    const run = new TestRun();
    commitOk(run, 10, 'm2', 2, 'orders-0', 9);
    commitOk(run, 20, 'm1', 1, 'orders-0', 4);
    const v = of('committed-offset-backwards', run.finish(100, []).violations);
    expect(v).toHaveLength(1);
    expect(v[0]).toMatchObject({ classification: 'breach', partition: 'orders-0', moves: [[9, 4]] });
    expect(v[0].message).toContain('m1 (generation 1) committed 4');
  });

  it('a lower commit sent before the higher one was acknowledged (its member paused, the response held) may have been applied first: not a finding; sent after it, a breach', () => {
    const sent = (run: TestRun, atMs: number, member: string, generation: number, offset: number) =>
      run.event(atMs, 'c1', { type: 'commit', member, group: 'g', generation, partitions: ['orders-0'], offsets: [offset], sync: true });
    const concurrent = new TestRun();
    sent(concurrent, 10, 'm1', 1, 4);
    sent(concurrent, 20, 'm2', 2, 9);
    commitOk(concurrent, 30, 'm2', 2, 'orders-0', 9);
    commitOk(concurrent, 40, 'm1', 1, 'orders-0', 4);
    const loaded = [{ group: 'g', offsetsPartition: OFFSETS, coordinator: 'b1', committed: [{ partition: 'orders-0', offset: 9, lag: 0 }] }];
    expect(of('committed-offset-backwards', concurrent.finish(100, [], false, loaded).violations)).toEqual([]);

    const after = new TestRun();
    sent(after, 10, 'm2', 2, 9);
    commitOk(after, 20, 'm2', 2, 'orders-0', 9);
    sent(after, 30, 'm1', 1, 4);
    commitOk(after, 40, 'm1', 1, 'orders-0', 4);
    const v = of('committed-offset-backwards', after.finish(100, [], false, loaded).violations);
    expect(v).toHaveLength(1);
    expect(v[0]).toMatchObject({ classification: 'breach', moves: [[9, 4]] });
  });

  it('fails when the coordinator loads an offset below an acknowledged commit without an unclean election', () => {
    const run = new TestRun();
    commitOk(run, 10, 'm1', 1, 'orders-0', 9);
    run.election(50, 'clean', 'b2', 1, ['b2', 'b3'], 3, 'b1', OFFSETS);
    const { violations } = run.finish(100, [], false, [{ group: 'g', offsetsPartition: OFFSETS, coordinator: 'b2', committed: [{ partition: 'orders-0', offset: 3, lag: 0 }] }]);
    const v = of('committed-offset-backwards', violations);
    expect(v).toHaveLength(1);
    expect(v[0]).toMatchObject({ classification: 'breach', moves: [[9, 3]] });
  });

  it('does not compare the final offset of a group whose offsets partition is offline at the end: unreachable, not moved back; with a coordinator, a breach (decoy)', () => {
    // ksim check on check-small, 2.8 ZooKeeper and 4.1 KRaft (seed 7, auto commit): the last in-sync
    // replica of the group's offsets partition loses power after two controlled shutdowns and the
    // partition goes offline; the replicas that hold the commits are not elected before the run ends.
    const offlineAtEnd = (coordinator: string | null) => {
      const run = new TestRun();
      commitOk(run, 10, 'm1', 1, 'orders-0', 9);
      run.election(50, 'clean', null, 2, [], -1, 'b1', OFFSETS);
      return of('committed-offset-backwards', run.finish(100, [], false, [{ group: 'g', offsetsPartition: OFFSETS, coordinator, committed: [{ partition: 'orders-0', offset: -1, lag: 0 }] }]).violations);
    };
    expect(offlineAtEnd(null)).toEqual([]);
    expect(offlineAtEnd('b1')[0]).toMatchObject({ classification: 'breach', moves: [[9, -1]] });
  });

  it('counts a loss of the offsets partition between the commit\'s send and its ack (the ack was on the wire when the coordinator lost its log); a loss before the send is a decoy', () => {
    // ksim check on check-small, Apache 0.10 ZooKeeper (seed 7, auto commit): m2's commit is
    // appended by the coordinator b1, which loses its disk for 1 ms 272 us before the ack arrives; its
    // restart goes unnoticed (no KIP-380) and it leads on from its empty log.
    const lostAt = (lossMs: number) => {
      const run = new TestRun({ kafkaVersion: '0.10', metadataMode: 'zookeeper' });
      run.election(0, 'initial', 'b1', 0, ['b1', 'b2', 'b3'], 0, null, OFFSETS);
      run.hw(5, 'b1', 3, 0, OFFSETS);
      run.event(9, 'c1', { type: 'commit', member: 'm1', group: 'g', generation: 1, partitions: ['orders-0'], offsets: [9], sync: false });
      run.logLost(lossMs, 'b1', 3, 0, [101, 102, 103], 'disk-loss', OFFSETS);
      commitOk(run, 10, 'm1', 1, 'orders-0', 9);
      return of('committed-offset-backwards', run.finish(100, [], false, [{ group: 'g', offsetsPartition: OFFSETS, coordinator: 'b1', committed: [{ partition: 'orders-0', offset: -1, lag: 0 }] }]).violations);
    };
    const [v] = lostAt(9.5);
    expect(v).toMatchObject({ classification: 'permitted', permittedBy: 'version', flaws: ['KIP-380'], moves: [[9, -1]] });
    expect(lostAt(8)[0]).toMatchObject({ classification: 'breach' });
  });

  it('permits a roll-back when the group\'s __consumer_offsets partition elected a leader without the commit uncleanly', () => {
    const run = new TestRun();
    run.hw(5, 'b1', 3, 0, OFFSETS);
    commitOk(run, 10, 'm1', 1, 'orders-0', 9);
    run.election(50, 'unclean', 'b3', 1, ['b3'], 1, 'b1', OFFSETS).becomeLeader(52, 'b3', 1, OFFSETS);
    commitOk(run, 60, 'm1', 1, 'orders-0', 2);
    const { violations } = run.finish(100, [], false, [{ group: 'g', offsetsPartition: OFFSETS, coordinator: 'b3', committed: [{ partition: 'orders-0', offset: 2, lag: 0 }] }]);
    const v = of('committed-offset-backwards', violations);
    expect(v).toHaveLength(1);
    expect(v[0]).toMatchObject({ classification: 'permitted', permittedBy: 'configuration', count: 1 });
    // elected at 0.050s, its LEO 1 taken when it took over at 0.052s
    expect(v[0].reason).toMatch(/^the commit of 9 was lost: unclean.leader.election.enable=true: b3 was elected leader of __consumer_offsets-0 at 0.050s with LEO 1 \(its log end when it took over at 0.052s\), below its high watermark 3/);
  });

  it('permits a roll-back by the fault load when every in-sync copy of the offsets partition was lost; a loss before the commit, or of another offsets partition, is a decoy', () => {
    const lostAt = (atMs: number, partition: string) => {
      const run = new TestRun();
      run.hw(5, 'b1', 3, 0, partition);
      commitOk(run, 10, 'm1', 1, 'orders-0', 9);
      run.logLost(atMs - 1, 'b1', 3, 0, [101, 102, 103], 'power-loss', partition);
      run.election(atMs, 'clean', 'b1', 1, ['b1'], 0, 'b1', partition);
      commitOk(run, 60, 'm1', 1, 'orders-0', 2);
      return of('committed-offset-backwards', run.finish(100, [], false, [{ group: 'g', offsetsPartition: OFFSETS, coordinator: 'b1', committed: [] }]).violations);
    };
    const lost = lostAt(50, OFFSETS);
    expect(lost[0]).toMatchObject({ classification: 'permitted', permittedBy: 'fault-load' });
    expect(lost[0].reason).toMatch(/every in-sync replica of __consumer_offsets-0 \(b1\) lost its unflushed log/);
    expect(lostAt(9, OFFSETS)[0]).toMatchObject({ classification: 'breach' });
    expect(lostAt(50, '__consumer_offsets-7')[0]).toMatchObject({ classification: 'breach' });
  });

  it('permits by the version (before KIP-380) a final offset read from an offsets leader that holds no state for it: a restart the ZooKeeper controller missed; a breach with its state; on 2.2 the bounce is pending: not compared', () => {
    // Kafka 0.10, ksim check seed 1 (auto commit): the coordinator b1 loses power for 1 ms, restarts
    // within its ZooKeeper session, and never gets its LeaderAndIsr: it leads the offsets partition
    // at the end with an empty log and no state, and would load the group from it once told.
    const unloaded = (kafkaVersion: '0.10' | '2.2', withoutState: boolean) => {
      const run = new TestRun({ kafkaVersion });
      run.hw(5, 'b1', 3, 0, OFFSETS);
      commitOk(run, 10, 'm1', 1, 'orders-0', 9);
      run.logLost(40, 'b1', 3, 0, [101, 102, 103], 'power-loss', OFFSETS);
      const offsets = finalPartition(OFFSETS, 'b1', 0, ['b1', 'b2', 'b3'], [
        { broker: 'b1', records: [] },
        { broker: 'b2', records: [101, 102, 103] },
        { broker: 'b3', records: [101, 102, 103] },
      ]);
      if (withoutState) offsets.leaderWithoutState = true;
      const loaded = [{ group: 'g', offsetsPartition: OFFSETS, coordinator: 'b1', committed: [{ partition: 'orders-0', offset: -1, lag: 0 }] }];
      return of('committed-offset-backwards', run.finish(100, [], false, loaded, [offsets]).violations);
    };
    const [v] = unloaded('0.10', true);
    expect(v).toMatchObject({ classification: 'permitted', permittedBy: 'version', flaws: ['KIP-380'], moves: [[9, -1]] });
    expect(v.reason).toMatch(/^Kafka 0\.10: KIP-380, fixed in Kafka 2\.2/);
    expect(v.reason).toContain('b1 leads __consumer_offsets-0 at the end without its state (its restart was never registered by the controller), and its log, cut by power-loss at 0.040s, is what it loads once told');
    // decoy: the leader has its state (it loaded the group from its emptied log): no missed bounce to blame
    expect(unloaded('0.10', false)[0]).toMatchObject({ classification: 'breach' });
    // must-not: from 2.2 the controller handles the bounce once the old ZooKeeper session expires
    // and elects b2 or b3, which hold the commit (ksim check on 2.8, an AZ outage of 1 ms 8 s before
    // the end; the same run 20 s longer loses nothing): unreachable at the end, not moved back
    expect(unloaded('2.2', true)).toEqual([]);
    // decoy: with its state on 2.2 the emptied leader's -1 is what the group loads: a breach
    expect(unloaded('2.2', false)[0]).toMatchObject({ classification: 'breach' });
  });

  it('blames a reset of the committing member by why it reset: an unclean election that cut the log (configuration); a reset before the commit is a decoy', () => {
    const run = new TestRun({ unclean: true });
    run.election(0, 'initial', 'b1', 0, ['b1', 'b2', 'b3'], 0);
    run.reset(5, 'm1', -1, 0, 'earliest', 'no-committed-offset');
    commitOk(run, 10, 'm1', 1, 'orders-0', 9);
    run.election(15, 'unclean', 'b3', 1, ['b3'], 6, 'b1');
    run.reset(20, 'm1', 9, 6, 'earliest', 'truncation');
    commitOk(run, 30, 'm1', 1, 'orders-0', 7);
    const v = of('committed-offset-backwards', run.finish(100, []).violations);
    expect(v).toHaveLength(1);
    expect(v[0]).toMatchObject({ classification: 'permitted', permittedBy: 'configuration' });
    expect(v[0].reason).toMatch(/^m1 reset by auto.offset.reset=earliest \(truncation\); unclean.leader.election.enable=true: unclean election of b3 at 0.015s/);
    // Without the election the same reset explains nothing: a breach.
    const bare = new TestRun();
    commitOk(bare, 10, 'm1', 1, 'orders-0', 9);
    bare.reset(20, 'm1', 9, 6, 'earliest', 'truncation');
    commitOk(bare, 30, 'm1', 1, 'orders-0', 7);
    expect(of('committed-offset-backwards', bare.finish(100, []).violations)[0]).toMatchObject({ classification: 'breach' });
  });
});

/** Records 1..4 at offsets 0..3; m1 polled `polled` and processed `processed`; the group committed `committed`. */
function atLeastOnceRun(commits: CommitStrategy[], processed: number[], committed: number, extra?: (run: TestRun) => void, polled: number[] = processed) {
  const run = new TestRun({ groups: [{ groupId: 'g', commits }] });
  run.election(0, 'initial', 'b1', 0, ['b1', 'b2', 'b3'], 0).sendAndAck(10, 'p1', [1, 2, 3, 4], 0, 0);
  extra?.(run);
  const once = [...new Set(polled)];
  if (once.length > 0) run.poll(90, 'm1', once.map((r) => r - 1), once);
  processed.forEach((r, i) => run.process(100 + i, 'm1', r - 1, r));
  return run.finish(
    1000,
    [finalPartition('orders-0', 'b1', 0, ['b1', 'b2', 'b3'], [{ broker: 'b1', records: [1, 2, 3, 4] }])],
    false,
    [{ group: 'g', offsetsPartition: OFFSETS, coordinator: 'b1', committed: [{ partition: 'orders-0', offset: committed, lag: 4 - committed }] }],
  ).violations;
}

describe('at-least-once', () => {
  it('passes when every record below the committed offset was processed; records above it need not be', () => {
    expect(of('at-least-once', atLeastOnceRun(['after-processing'], [1, 2, 3], 3))).toEqual([]);
    // Processed twice is fine too.
    expect(of('at-least-once', atLeastOnceRun(['after-processing'], [1, 1, 2], 2))).toEqual([]);
  });

  it('fails for commit-after-processing when the group passed a record without cause, polled or not', () => {
    const skipped = of('at-least-once', atLeastOnceRun(['after-processing', 'after-processing'], [1, 3], 3));
    expect(skipped).toHaveLength(1);
    expect(skipped[0]).toMatchObject({ classification: 'breach', partition: 'orders-0', count: 1, records: [2], offsets: [1] });
    expect(skipped[0].message).toMatch(/^breach \(no reset, retention, compaction or truncation explains how group g passed records of orders-0 without reading them\): 1 acknowledged record/);
    const polled = of('at-least-once', atLeastOnceRun(['after-processing'], [1, 3], 3, undefined, [1, 2, 3]));
    expect(polled[0].reason).toBe('commit after processing: m1 polled it but never processed it, yet the committed offset passed it');
  });

  it('blames commit before processing or auto commit only for records polled and not processed', () => {
    const before = of('at-least-once', atLeastOnceRun(['after-processing', 'before-processing'], [1], 4, undefined, [1, 2, 3, 4]));
    expect(before).toHaveLength(1);
    expect(before[0]).toMatchObject({ classification: 'permitted', permittedBy: 'configuration', count: 3 });
    expect(before[0].reason).toBe('commit before processing (at most once): m1 committed it on poll and did not process it');
    const auto = of('at-least-once', atLeastOnceRun(['auto'], [], 2, undefined, [1, 2]));
    expect(auto[0]).toMatchObject({ classification: 'permitted', count: 2 });
    expect(auto[0].reason).toBe('enable.auto.commit=true: offsets committed on poll; m1 polled it and did not process it');
    // Never polled: the commit strategy explains nothing (a decoy), the gap is a breach.
    expect(of('at-least-once', atLeastOnceRun(['before-processing'], [1], 4, undefined, [1]))[0]).toMatchObject({ classification: 'breach', count: 3 });
  });

  it('blames the reset that jumped over the records; a new group\'s reset to earliest, which skipped nothing, is a decoy', () => {
    // The group had committed (offset 0) before its committed offset went: not a new group's first position (group-start-positions.test.ts).
    const latest = of('at-least-once', atLeastOnceRun(['after-processing'], [3], 3, (run) => run.commitOk(40, 'm1', 1, 'orders-0', 0).reset(50, 'm1', -1, 2, 'latest', 'no-committed-offset')));
    expect(latest[0]).toMatchObject({ classification: 'permitted', count: 2, records: [1, 2] });
    expect(latest[0].reason).toMatch(/^auto.offset.reset=latest: m1's reset at 0.050s \(no-committed-offset, auto.offset.reset=latest\) moved it from no position to 2/);
    const earliest = of('at-least-once', atLeastOnceRun(['after-processing'], [1, 3], 3, (run) => run.reset(50, 'm1', -1, 0, 'earliest', 'no-committed-offset')));
    expect(earliest[0]).toMatchObject({ classification: 'breach', records: [2] });
  });

  it('blames the unclean election of the partition that cut the log below offsets the group had read; one of __consumer_offsets is a decoy', () => {
    const replaced = (partition: string) => {
      const run = new TestRun({ unclean: true, groups: [{ groupId: 'g', commits: ['after-processing'] }] });
      run.election(0, 'initial', 'b1', 0, ['b1', 'b2', 'b3'], 0).sendAndAck(10, 'p1', [1, 2, 3], 0, 0);
      run.poll(20, 'm1', [0, 1, 2], [1, 2, 3]);
      [1, 2, 3].forEach((r, i) => run.process(21 + i, 'm1', i, r));
      run.election(50, 'unclean', 'b3', 1, ['b3'], 1, 'b1', partition);
      if (partition === 'orders-0') run.truncate(55, 'b1', 3, 1, [2, 3], 'leader-epoch');
      run.sendAndAck(60, 'p1', [7, 8], 1, 1).poll(70, 'm1', [3], [9]).process(71, 'm1', 3, 9);
      return of(
        'at-least-once',
        run.finish(1000, [finalPartition('orders-0', 'b3', 1, ['b3'], [{ broker: 'b3', records: [1, 7, 8, 9] }])], false, [
          { group: 'g', offsetsPartition: OFFSETS, coordinator: 'b1', committed: [{ partition: 'orders-0', offset: 4, lag: 0 }] },
        ]).violations,
      );
    };
    const v = replaced('orders-0');
    expect(v[0]).toMatchObject({ classification: 'permitted', permittedBy: 'configuration', records: [7, 8] });
    expect(v[0].reason).toBe(
      'unclean.leader.election.enable=true: unclean election of b3 at 0.050s cut the log of orders-0 to 1; written at offsets consumers had already read past',
    );
    expect(replaced(OFFSETS)[0]).toMatchObject({ classification: 'breach', records: [7, 8] });
  });

  it('ignores records that were not acknowledged and groups with nothing committed', () => {
    const run = new TestRun({ groups: [{ groupId: 'g', commits: ['after-processing'] }] });
    run.election(0, 'initial', 'b1', 0, ['b1', 'b2', 'b3'], 0).send(10, 'p1', 1).fail(20, 'p1', 1, 'REQUEST_TIMED_OUT', false);
    const { violations } = run.finish(
      1000,
      [finalPartition('orders-0', 'b1', 0, ['b1'], [{ broker: 'b1', records: [1] }])],
      false,
      [{ group: 'g', offsetsPartition: OFFSETS, coordinator: 'b1', committed: [{ partition: 'orders-0', offset: 1, lag: 0 }] }],
    );
    expect(of('at-least-once', violations)).toEqual([]);
  });
});
