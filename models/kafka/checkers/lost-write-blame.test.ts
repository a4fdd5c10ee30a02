// lost-write's blame: which cause a lost acknowledged record is charged to (split from lost-write.test.ts).
import { describe, expect, it } from 'vitest';
import type { Violation } from '../../../src/sim/model.ts';
import { finalPartition, TestRun } from './kafka-test-run.ts';

const lostWrites = (violations: Violation[]) => violations.filter((v) => v.property === 'lost-write');


describe('lost-write: what gets the blame', () => {
  // b1 and b2 are the ISR and both hold r1; b3, out of sync, never had it.
  const held = (run: TestRun) =>
    run
      .election(0, 'initial', 'b1', 0, ['b1', 'b2', 'b3'], 0)
      .isr(5, 'isr-shrink', ['b1', 'b2'], 0)
      .sendAndAck(10, 'p1', [1], 0, 0)
      .append(10, 'b1', [1], 0, 0, 'leader')
      .append(11, 'b2', [1], 0, 0);
  const faults = [
    { atMs: 500, kind: 'disk-loss' as const, node: 'b1', durationMs: 50 },
    { atMs: 500, kind: 'disk-loss' as const, node: 'b2', durationMs: 50 },
  ];

  it('every in-sync copy lost to disk loss is the fault load, with unclean election on too: the unclean election is a decoy', () => {
    const run = held(new TestRun({ unclean: true, horizon: { lastDisruptionEndMs: 550, faults } }))
      .logLost(500, 'b1', 1, 0, [1], 'disk-loss')
      .logLost(500, 'b2', 1, 0, [1], 'disk-loss')
      .election(600, 'unclean', 'b3', 1, ['b3'], 0, 'b1');
    const lost = lostWrites(run.finish(1000, [finalPartition('orders-0', 'b3', 1, ['b3'], [{ broker: 'b3', records: [] }])]).violations);
    expect(lost).toHaveLength(1);
    expect([lost[0].classification, lost[0].permittedBy]).toEqual(['permitted', 'fault-load']);
    expect(lost[0].reason).toBe('every replica that held it lost it to disk-loss (disk-loss of b1 at 0.500s; disk-loss of b2 at 0.500s)');
    expect(lost[0].message).toMatch(/^permitted by the fault load \(every replica/);
  });

  it('the fault load needs every copy of the ISR the leader was elected from: a controlled shutdown handing the leadership to a replica that lost it inside the ISR is the missed bounce before KIP-380, a breach after it', () => {
    // Kafka 2.0, ksim check seed 1 (min.insync.replicas=1): b2 loses power for 1 ms inside the ISR
    // and stays in it with an empty log (the ZooKeeper controller missed its bounce); b1's
    // controlled shutdown then elects b2 with ISR [b2]. b1 still held r1: not the fault load.
    const lose = (kafkaVersion: '2.0' | '2.2', b1Lost = false) => {
      let run = held(new TestRun({ kafkaVersion, metadataMode: 'zookeeper', horizon: { lastDisruptionEndMs: 550, faults: [{ atMs: 500, kind: 'power-loss', node: 'b2', durationMs: 1 }] } }));
      run = run.logLost(500, 'b2', 1, 0, [1], 'power-loss');
      if (b1Lost) run = run.logLost(700, 'b1', 1, 0, [1], 'power-loss');
      run = run.election(800, 'controlled-shutdown', 'b2', 1, ['b2'], 0, 'b1');
      return lostWrites(run.finish(1000, [finalPartition('orders-0', 'b2', 1, ['b2'], [{ broker: 'b2', records: [] }, { broker: 'b1', records: b1Lost ? [] : [1] }])]).violations);
    };
    const [old] = lose('2.0');
    expect([old.classification, old.permittedBy]).toEqual(['permitted', 'version']);
    expect(old.reason).toMatch(/^b2 lost it to power-loss at 0\.500s inside the ISR, started again, stayed in the ISR without it and was elected leader of orders-0 at 0\.800s: the controller missed its bounce: Kafka 2\.0: KIP-380/);
    // must-not: from 2.2 the controller would have taken b2 out of the ISR on its bounce
    expect(lose('2.2')[0].classification).toBe('breach');
    // decoy: b1 lost its copy too before the election: every in-sync copy burned, the fault load
    expect([lose('2.0', true)[0].classification, lose('2.0', true)[0].permittedBy]).toEqual(['permitted', 'fault-load']);
  });

  it('the unclean election is to blame when an in-sync copy survived on a crashed broker', () => {
    const run = held(new TestRun({ unclean: true }))
      .logLost(500, 'b1', 1, 0, [1], 'disk-loss')
      .election(600, 'unclean', 'b3', 1, ['b3'], 0, 'b1');
    const lost = lostWrites(run.finish(1000, [finalPartition('orders-0', 'b3', 1, ['b3'], [{ broker: 'b3', records: [] }])]).violations);
    expect([lost[0].classification, lost[0].permittedBy]).toEqual(['permitted', 'configuration']);
    expect(lost[0].reason).toMatch(/^unclean.leader.election.enable=true: unclean election of b3 at 0.600s/);
  });

  it('acks=1 is not blamed for a record that had reached the whole ISR: the unclean election is', () => {
    const run = new TestRun({ producers: [{ name: 'p1', acks: '1' }], unclean: true, minInsyncReplicas: 1 })
      .election(0, 'initial', 'b1', 0, ['b1', 'b2', 'b3'], 0)
      .isr(5, 'isr-shrink', ['b1'], 0)
      .sendAndAck(10, 'p1', [1], 0, 0)
      .append(10, 'b1', [1], 0, 0, 'leader')
      .hw(10, 'b1', 1, 0) // committed: the ISR is b1 alone
      .election(600, 'unclean', 'b3', 1, ['b3'], 0, 'b1');
    const lost = lostWrites(run.finish(1000, [finalPartition('orders-0', 'b3', 1, ['b3'], [{ broker: 'b3', records: [] }])]).violations);
    expect(lost[0].reason).toMatch(/^unclean.leader.election.enable=true/);
    // The same record acknowledged while b2 and b3 were still in the ISR: acks=1 let it go unreplicated.
    const early = new TestRun({ producers: [{ name: 'p1', acks: '1' }], unclean: true, minInsyncReplicas: 1 })
      .election(0, 'initial', 'b1', 0, ['b1', 'b2', 'b3'], 0)
      .sendAndAck(10, 'p1', [1], 0, 0)
      .append(10, 'b1', [1], 0, 0, 'leader')
      .election(600, 'unclean', 'b3', 1, ['b3'], 0, 'b1');
    expect(lostWrites(early.finish(1000, [finalPartition('orders-0', 'b3', 1, ['b3'], [{ broker: 'b3', records: [] }])]).violations)[0].reason).toBe('acks=1');
  });

  it('acks=1 is blamed for a record every in-sync follower appended but lost to power loss before reporting it (their fsync under way), while the leader that acknowledged it still held it', () => {
    // log.flush.interval.messages=1: the leader fsynced before it acknowledged; the followers'
    // copies became durable only at their fsync, which the power loss at 20 cut short. acks=all
    // would have waited for their next fetch, after the fsync: the HW never passed the record.
    const lose = (committed: boolean) => {
      const run = new TestRun({ producers: [{ name: 'p1', acks: '1' }] })
        .election(0, 'initial', 'b1', 0, ['b1', 'b2', 'b3'], 0)
        .sendAndAck(10, 'p1', [1], 0, 0)
        .append(10, 'b1', [1], 0, 0, 'leader')
        .append(11, 'b2', [1], 0, 0)
        .append(11, 'b3', [1], 0, 0);
      if (committed) run.hw(15, 'b1', 1, 0);
      run
        .logLost(20, 'b2', 1, 0, [1])
        .logLost(20, 'b3', 1, 0, [1])
        .election(600, 'clean', 'b3', 1, ['b3', 'b2'], 0, 'b1')
        .truncate(700, 'b1', 1, 0, [1], 'leader-epoch');
      return lostWrites(run.finish(1000, [finalPartition('orders-0', 'b3', 1, ['b3', 'b2', 'b1'], [{ broker: 'b3', records: [] }])]).violations)[0];
    };
    expect([lose(false).permittedBy, lose(false).reason]).toEqual(['configuration', 'acks=1']);
    // decoy: committed before the power loss, acks=all would have acknowledged it too: acks=1 is not
    // to blame (what is, the election from replicas that lost it while b1 held it, is judged elsewhere)
    expect(lose(true).reason).not.toMatch(/acks=1/);
    expect(lose(true).permittedBy).not.toBe('configuration');
  });

  it('truncation to the high watermark is permitted by the simulated version before KIP-101, a breach in the current era', () => {
    const lose = (era: 'hw-truncation' | 'current') =>
      held(new TestRun({ era }))
        .election(400, 'clean', 'b2', 1, ['b2', 'b1'], 0, 'b1')
        .truncate(450, 'b1', 1, 0, [1], 'high-watermark')
        .truncate(460, 'b2', 1, 0, [1], 'high-watermark')
        .finish(1000, [finalPartition('orders-0', 'b2', 1, ['b2', 'b1'], [{ broker: 'b2', records: [] }])]).violations;
    const old = lostWrites(lose('hw-truncation'));
    expect([old[0].classification, old[0].permittedBy]).toEqual(['permitted', 'version']);
    expect(old[0].reason).toMatch(/^era hw-truncation: truncation to the high watermark \(KIP-101, fixed in Kafka 0.11/);
    expect(old[0].message).toMatch(/^permitted by the simulated version/);
    expect(lostWrites(lose('current'))[0].classification).toBe('breach');
  });

  it('a leader that lost its log and took leadership back with no election is the missed bounce of ZooKeeper mode before KIP-380, a breach after it', () => {
    // b1 leads epoch 0 and every replica has r1-r3; b1 loses its disk, starts again and the next
    // LeaderAndIsr makes it lead again, empty: it writes r7 at offset 0; b2 and b3 still hold r1-r3.
    const lose = (era: 'kip-279' | 'current', electionBetween = false, leftIsr = false) => {
      let run = new TestRun({ era })
        .election(0, 'initial', 'b1', 0, ['b1', 'b2', 'b3'], 0)
        .sendAndAck(10, 'p1', [1, 2, 3], 0, 0)
        .append(10, 'b1', [1, 2, 3], 0, 0, 'leader')
        .append(11, 'b2', [1, 2, 3], 0, 0)
        .append(11, 'b3', [1, 2, 3], 0, 0)
        .logLost(500, 'b1', 3, 0, [1, 2, 3], 'disk-loss');
      if (leftIsr) run = run.isr(600, 'isr-shrink', ['b2', 'b3'], 0);
      if (electionBetween) run = run.election(800, 'clean', 'b1', 1, ['b1', 'b2', 'b3'], 0, 'b1');
      return (
        run
          .becomeLeader(900, 'b1', electionBetween ? 1 : 0)
          .sendAndAck(950, 'p1', [7], 0, electionBetween ? 1 : 0)
          .append(950, 'b1', [7], 0, electionBetween ? 1 : 0, 'leader')
          .finish(1000, [finalPartition('orders-0', 'b1', 0, ['b1', 'b2', 'b3'], [{ broker: 'b1', records: [7] }, { broker: 'b2', records: [1, 2, 3] }])]).violations
      );
    };
    const of = (property: string, violations: ReturnType<typeof lose>) => violations.filter((v) => v.property === property);
    // the replicas diverged at offset 0 for the same cause
    const diverged = of('log-divergence', lose('kip-279'));
    expect([diverged[0].classification, diverged[0].permittedBy]).toEqual(['permitted', 'version']);
    expect(diverged[0].reason).toMatch(/^era kip-279: KIP-380.*: b1 lost records to disk-loss at 0\.500s and took leadership back at 0\.900s with no election since$/);
    expect(of('log-divergence', lose('current'))[0].classification).toBe('breach');
    const old = lostWrites(lose('kip-279'));
    expect([old[0].classification, old[0].permittedBy]).toEqual(['permitted', 'version']);
    expect(old[0].reason).toBe(
      'b1 lost it to disk-loss at 0.500s, started again and took leadership of orders-0 back at 0.900s with no election since: the controller missed its bounce: era kip-279: KIP-380, fixed in Kafka 2.2: without it the ZooKeeper controller misses a fast broker bounce: its partitions stay unavailable, or the restarted broker keeps its leaderships and ISR places without what it lost',
    );
    const now = lostWrites(lose('current'));
    expect(now[0].classification).toBe('breach');
    expect(now[0].reason).toMatch(/took leadership of orders-0 back at 0\.900s with no election since: the controller missed its bounce$/);
    // elected again from the ISR it never left, with the log it lost: the controller missed the
    // bounce just the same (since 2.2 it would have taken b1 out of the ISR and elected b2 or b3)
    const reElected = lostWrites(lose('kip-279', true));
    expect([reElected[0].classification, reElected[0].permittedBy]).toEqual(['permitted', 'version']);
    expect(reElected[0].reason).toMatch(/^b1 lost it to disk-loss at 0\.500s inside the ISR, started again, stayed in the ISR without it and was elected leader of orders-0 at 0\.800s: the controller missed its bounce: era kip-279: KIP-380/);
    expect(lostWrites(lose('current', true))[0].classification).toBe('breach');
    const reDiverged = of('log-divergence', lose('kip-279', true));
    expect([reDiverged[0].classification, reDiverged[0].permittedBy]).toEqual(['permitted', 'version']);
    expect(reDiverged[0].reason).toMatch(/^era kip-279: KIP-380.*: b1 lost records to disk-loss at 0\.500s inside the ISR, stayed in it and was elected at 0\.800s$/);
    // left the ISR after the loss, elected later from an ISR it had not rejoined: one cause for the
    // lost records and the divergence they leave, whatever it is (one-loss-one-cause.test.ts)
    const cause = (v: ReturnType<typeof lose>[number]) => [v.classification, v.permittedBy, v.reason];
    expect(of('log-divergence', lose('kip-279', true, true)).map(cause)).toEqual([cause(lostWrites(lose('kip-279', true, true))[0])]);
    // out of the ISR after the loss and elected later: the controller did handle it, so not a missed bounce
    expect(lostWrites(lose('kip-279', true, true))[0].reason).not.toMatch(/missed its bounce/);
  });
});
