// Jepsen's consumer anomalies on hand-written ksim histories: each must be found when it happens,
// not otherwise, and blamed on what covers it by time and offset, never on a decoy (a reset of
// another member, one before the anomaly, compaction after the poll, an election of another
// partition).
import { describe, expect, it } from 'vitest';
import type { Violation } from '../../../src/sim/model.ts';
import { finalPartition, TestRun } from './kafka-test-run.ts';

const of = (property: string, violations: Violation[]) => violations.filter((v) => v.property === property);
const ALL = ['b1', 'b2', 'b3'];

/** Records 1..n acknowledged at offsets 0..n-1 by leader b1, which still holds them at the end. */
function produced(n: number, options: ConstructorParameters<typeof TestRun>[0] = {}): TestRun {
  const ids = Array.from({ length: n }, (_, i) => i + 1);
  return new TestRun({ groups: [{ groupId: 'g', commits: ['after-processing', 'after-processing'] }], ...options })
    .election(0, 'initial', 'b1', 0, ALL, 0)
    .sendAndAck(10, 'p1', ids, 0, 0)
    .append(10, 'b1', ids, 0, 0, 'leader');
}

function finish(run: TestRun, records: number[], logStartOffset = 0) {
  return run.finish(5000, [finalPartition('orders-0', 'b1', 0, ALL, [{ broker: 'b1', records, logStartOffset }])]).violations;
}

const range = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => from + i);

describe('poll-skip', () => {
  it('passes when each poll starts where the previous one ended', () => {
    const run = produced(4).poll(100, 'm1', [0, 1], [1, 2]).poll(200, 'm1', [2, 3], [3, 4]);
    expect(of('poll-skip', finish(run, [1, 2, 3, 4]))).toEqual([]);
  });

  it('is a breach when a poll starts past the next record; a reset of another member is a decoy', () => {
    const run = produced(4)
      .poll(100, 'm1', [0, 1], [1, 2])
      .reset(150, 'm2', 1, 3, 'latest', 'out-of-range')
      .poll(200, 'm1', [3], [4]);
    const v = of('poll-skip', finish(run, [1, 2, 3, 4]));
    expect(v).toHaveLength(1);
    expect(v[0]).toMatchObject({ classification: 'breach', partition: 'orders-0', count: 1, deltas: [2] });
    expect(v[0].message).toContain('m1 read r2@1 then r4@3 in polls at 0.100s and 0.200s, skipping 1 record (r3@2)');
  });

  it('is permitted by auto.offset.reset=latest when that member reset over the skipped record between the polls; a reset before them is a decoy', () => {
    const run = produced(4)
      .reset(50, 'm1', 0, 0, 'earliest', 'no-committed-offset')
      .poll(100, 'm1', [0, 1], [1, 2])
      .reset(150, 'm1', 2, 3, 'latest', 'out-of-range')
      .poll(200, 'm1', [3], [4]);
    const v = of('poll-skip', finish(run, [1, 2, 3, 4]));
    expect(v[0]).toMatchObject({ classification: 'permitted', permittedBy: 'configuration' });
    expect(v[0].reason).toBe("auto.offset.reset=latest: m1's reset at 0.150s (out-of-range, auto.offset.reset=latest) moved it from position 2 to 3, over records that were still in the log");
  });

  it('is permitted by retention when retention deleted the skipped records before the member read them', () => {
    const run = produced(6)
      .poll(100, 'm1', [0, 1], [1, 2])
      .retention(150, 'b1', 4)
      .reset(160, 'm1', 2, 4, 'earliest', 'out-of-range')
      .poll(200, 'm1', [4], [5]);
    const v = of('poll-skip', finish(run, [5, 6], 4));
    expect(v[0]).toMatchObject({ classification: 'permitted', permittedBy: 'configuration' });
    expect(v[0].reason).toMatch(/^retention.ms=604800000: retention deleted them before m1 read them; then m1's reset at 0.160s \(out-of-range/);
  });

  it('starts afresh after a rebalance (an eager assignment) or a new consumer process', () => {
    const rebalanced = produced(4).poll(100, 'm1', [0, 1], [1, 2]).assignment(150, 'm1', 2, ['orders-0']).poll(200, 'm1', [3], [4]);
    expect(of('poll-skip', finish(rebalanced, [1, 2, 3, 4]))).toEqual([]);
    const restarted = produced(4).poll(100, 'm1', [0, 1], [1, 2]).consumerStart(150, 'm1').consumerStart(160, 'm1').poll(200, 'm1', [3], [4]);
    expect(of('poll-skip', finish(restarted, [1, 2, 3, 4]))).toEqual([]);
  });
});

describe('nonmonotonic-poll', () => {
  it('is a breach when a poll starts at or before where the previous one ended, with no reset in between', () => {
    const run = produced(4)
      .reset(50, 'm1', 3, 1, 'earliest', 'truncation') // before both polls: a decoy
      .poll(100, 'm1', [0, 1, 2], [1, 2, 3])
      .poll(200, 'm1', [1, 2, 3], [2, 3, 4]);
    const v = of('nonmonotonic-poll', finish(run, [1, 2, 3, 4]));
    expect(v).toHaveLength(1);
    expect(v[0]).toMatchObject({ classification: 'breach', deltas: [-1] });
    expect(v[0].reason).toBe('m1 read orders-0 again with no reset or rebalance in between');
    expect(v[0].message).toContain('m1 read r3@2 then r2@1 in polls at 0.100s and 0.200s, 1 back');
  });

  it('blames the truncation a KIP-320 reset detected: an unclean election cut the log (configuration)', () => {
    const run = produced(4, { unclean: true })
      .poll(100, 'm1', [0, 1, 2], [1, 2, 3])
      .election(150, 'unclean', 'b3', 1, ['b3'], 1, 'b1')
      .election(155, 'unclean', 'b2', 2, ['b2'], 1, 'b3', 'orders-9') // another partition: a decoy
      .reset(160, 'm1', 3, 1, 'earliest', 'truncation')
      .poll(200, 'm1', [1], [9]);
    const v = of('nonmonotonic-poll', finish(run, [1, 9]));
    expect(v[0]).toMatchObject({ classification: 'permitted', permittedBy: 'configuration' });
    expect(v[0].reason).toMatch(/^m1 reset by auto.offset.reset=earliest \(truncation\); unclean.leader.election.enable=true: unclean election of b3 at 0.150s cut the log of orders-0 to 1$/);
  });

  it('blames the fault load when a clean election followed the loss of every in-sync copy', () => {
    const run = produced(3)
      .append(11, 'b2', [1, 2, 3], 0, 0)
      .poll(100, 'm1', [0, 1, 2], [1, 2, 3])
      .logLost(140, 'b1', 3, 1, [2, 3])
      .logLost(140, 'b2', 3, 1, [2, 3])
      .election(150, 'clean', 'b2', 1, ['b2'], 1, 'b1')
      .reset(160, 'm1', 3, 1, 'earliest', 'truncation')
      .poll(200, 'm1', [1], [9]);
    const v = of('nonmonotonic-poll', run.finish(5000, [finalPartition('orders-0', 'b2', 1, ['b2'], [{ broker: 'b2', records: [1, 9] }])]).violations);
    expect(v[0]).toMatchObject({ classification: 'permitted', permittedBy: 'fault-load' });
    expect(v[0].reason).toContain('every replica that held it lost it to power-loss');
  });
});

describe('int-poll-skip and int-nonmonotonic-poll', () => {
  it('pass for a contiguous poll in offset order', () => {
    const v = finish(produced(3).poll(100, 'm1', [0, 1, 2], [1, 2, 3]), [1, 2, 3]);
    expect([...of('int-poll-skip', v), ...of('int-nonmonotonic-poll', v)]).toEqual([]);
  });

  it('a gap within one poll is a breach, unless compaction removed the record first; compaction after the poll is a decoy', () => {
    const gap = of('int-poll-skip', finish(produced(3).poll(100, 'm1', [0, 2], [1, 3]).compaction(300, 'b1', 2), [1, -1, 3]));
    expect(gap[0]).toMatchObject({ classification: 'breach', deltas: [2] });
    const compacted = of('int-poll-skip', finish(produced(3).compaction(50, 'b1', 2).poll(100, 'm1', [0, 2], [1, 3]), [1, -1, 3]));
    expect(compacted[0]).toMatchObject({ classification: 'permitted', permittedBy: 'configuration' });
    expect(compacted[0].reason).toMatch(/^cleanup.policy=compact/);
  });

  it('a record repeated or out of order within one poll is always a breach', () => {
    const v = of('int-nonmonotonic-poll', finish(produced(3).poll(100, 'm1', [0, 1, 0], [1, 2, 1]), [1, 2, 3]));
    expect(v).toHaveLength(1);
    expect(v[0]).toMatchObject({ classification: 'breach', deltas: [-1] });
  });
});

describe('inconsistent-offsets', () => {
  it('blames the unclean election that displaced an acknowledged record', () => {
    const run = produced(2, { unclean: true })
      .election(150, 'unclean', 'b3', 1, ['b3'], 1, 'b1')
      .truncate(160, 'b1', 2, 1, [2], 'leader-epoch')
      .sendAndAck(170, 'p1', [7], 1, 1)
      .poll(200, 'm1', [0, 1], [1, 7]);
    const v = of('inconsistent-offsets', run.finish(5000, [finalPartition('orders-0', 'b3', 1, ['b3'], [{ broker: 'b3', records: [1, 7] }])]).violations);
    expect(v).toHaveLength(1);
    expect(v[0]).toMatchObject({ classification: 'permitted', permittedBy: 'configuration', offsets: [1], values: [[2, 7]] });
    expect(v[0].reason).toMatch(/^unclean.leader.election.enable=true: unclean election of b3 at 0.150s/);
  });

  it('takes the divergence\'s cause when the displaced record still sits at that offset on a diverged replica (KIP-279 in era kip-101)', () => {
    // b1 (epoch 0) holds r2 at offset 1 and a consumer read it; b2 leads epoch 1 and writes r7 at
    // offset 1; b1 never truncates r2: the replicas diverged, and the poll of r7 disagrees.
    const diverged = (era: 'kip-101' | 'current', b1Records: number[]) =>
      of(
        'inconsistent-offsets',
        produced(2, { era })
          .poll(100, 'm1', [0, 1], [1, 2])
          .election(150, 'clean', 'b2', 1, ['b1', 'b2'], 1, 'b1')
          .sendAndAck(170, 'p1', [7], 1, 1)
          .poll(200, 'm2', [1], [7])
          .finish(5000, [finalPartition('orders-0', 'b2', 1, ['b1', 'b2'], [{ broker: 'b2', records: [1, 7] }, { broker: 'b1', records: b1Records }])]).violations,
      );
    const old = diverged('kip-101', [1, 2]);
    expect(old[0]).toMatchObject({ classification: 'permitted', permittedBy: 'version', offsets: [1], values: [[2, 7]] });
    expect(old[0].reason).toMatch(/^era kip-101: KIP-279 \(KAFKA-6361\)/);
    expect(diverged('current', [1, 2])[0]).toMatchObject({ classification: 'breach' });
    // r2 on no replica at offset 1: not a divergence, the leader reported offsets wrongly.
    const nowhere = diverged('kip-101', [1]);
    expect(nowhere[0]).toMatchObject({ classification: 'breach' });
    expect(nowhere[0].reason).toBe('r2@1 was never removed from orders-0');
  });

  it('a record a poll saw at an offset its only copy lost, acknowledged later at another offset by a retry, is the fault load from its send, not a breach', () => {
    // Kafka 3.4 (KRaft), ksim check seed 1 with auto commit: b1 alone in the ISR appends r2 at 0
    // and its HW passes it (before KAFKA-15583), a consumer reads it; b1 loses power, is elected
    // again from the ISR [b1]; r9 takes offset 0 and the producer's retry of r2 is acknowledged at 1.
    const run = new TestRun({ kafkaVersion: '3.4', metadataMode: 'kraft' })
      .election(0, 'initial', 'b1', 0, ['b1', 'b2', 'b3'], 0)
      .isr(50, 'isr-shrink', ['b1'], 0)
      .send(100, 'p1', 2)
      .append(100, 'b1', [2], 0, 0, 'leader')
      .poll(150, 'm1', [0], [2])
      .logLost(200, 'b1', 1, 0, [2])
      .election(210, 'clean', 'b1', 1, ['b1'], 0, null)
      .sendAndAck(250, 'p1', [9], 0, 1)
      .append(250, 'b1', [9, 2], 0, 1, 'leader')
      .ok(300, 'p1', 2, 1, 1, 200)
      .append(310, 'b2', [9, 2], 0, 1);
    const v = of('inconsistent-offsets', run.finish(5000, [finalPartition('orders-0', 'b1', 1, ['b1', 'b2'], [{ broker: 'b1', records: [9, 2] }, { broker: 'b2', records: [9, 2] }])]).violations);
    expect(v).toHaveLength(1);
    expect(v[0]).toMatchObject({ classification: 'permitted', permittedBy: 'fault-load', offsets: [0] });
    expect(v[0].reason).toBe('b1 lost it to power-loss, then was elected at 0.210s with no in-sync copy left');
  });

  it('is a breach when the leader acknowledged a record at an offset a poll shows holding another, and nothing removed either', () => {
    const run = produced(2).sendAndAck(50, 'p1', [5], 1, 0).poll(100, 'm1', [0, 1], [1, 2]);
    const v = of('inconsistent-offsets', finish(run, [1, 2, 5]));
    expect(v[0]).toMatchObject({ classification: 'breach', offsets: [1] });
    expect(v[0].reason).toBe('r5@1 was never removed from orders-0; it is at offset 2');
  });
});

describe('unseen', () => {
  it('reports records consumers moved past without reading, not those still ahead of every consumer (lag)', () => {
    const run = produced(6).poll(100, 'm1', [0, 1], [1, 2]).poll(200, 'm1', [3], [4]);
    const result = run.finish(5000, [finalPartition('orders-0', 'b1', 0, ALL, [{ broker: 'b1', records: range(1, 7) }])]);
    const v = of('unseen', result.violations);
    expect(v).toHaveLength(1);
    expect(v[0]).toMatchObject({ classification: 'breach', records: [3], offsets: [2] });
    // r5 and r6 (offsets 4, 5) are ahead of every consumer: lag, counted, not a finding.
    expect(result.analysis.unseen).toMatchObject({ passedOver: 1, behind: 2, unseenAtEnd: 3, series: [[200, 3]] });
  });

  it('counts acks=0 records no log holds apart, not as ahead of every consumer; an acks=0 record the log holds stays lag, and the same send of acks=1 is a decoy', () => {
    // r1..r4 acknowledged on the socket write (offset -1, as KafkaProducer completes acks=0 sends);
    // the leader b1 appended r1 and r2 only; m1 read r1.
    const unseenOf = (acks: '0' | '1') =>
      new TestRun({ groups: [{ groupId: 'g', commits: ['after-processing'] }], producers: [{ name: 'p1', acks }] })
        .election(0, 'initial', 'b1', 0, ALL, 0)
        .sendAndAck(10, 'p1', [1, 2, 3, 4], -1, 0)
        .append(10, 'b1', [1, 2], 0, 0, 'leader')
        .poll(100, 'm1', [0], [1])
        .finish(5000, [finalPartition('orders-0', 'b1', 0, ALL, [{ broker: 'b1', records: [1, 2] }])]).analysis.unseen;
    // r3 and r4 were never written: no consumer could read them, acks=0 promised nothing.
    expect(unseenOf('0')).toMatchObject({ acksZeroNotInAnyLog: 2, behind: 1, passedOver: 0, unseenAtEnd: 1 });
    expect(unseenOf('1')).toMatchObject({ behind: 3, passedOver: 0, unseenAtEnd: 3 });
    expect(unseenOf('1')).not.toHaveProperty('acksZeroNotInAnyLog');
  });

  it('is permitted by auto.offset.reset=latest for records a group skipped after its committed offset went (a new group owes them not: group-start-positions.test.ts)', () => {
    const run = produced(4).commitOk(40, 'm1', 1, 'orders-0', 0).reset(50, 'm1', -1, 3, 'latest', 'no-committed-offset').poll(100, 'm1', [3], [4]);
    const v = of('unseen', finish(run, [1, 2, 3, 4]));
    expect(v[0]).toMatchObject({ classification: 'permitted', permittedBy: 'configuration', count: 3 });
    expect(v[0].reason).toMatch(/^auto.offset.reset=latest: m1's reset at 0.050s \(no-committed-offset/);
  });

  it("takes the cause of the leader's log loss when records went to offsets consumers had read past with no election (a missed bounce's shape); a loss on another replica is a decoy", () => {
    // ksim check seed 1 (0.11 ZooKeeper, 1500 runs): the leader lost its log to a 1 ms disk loss and led on.
    const lostOn = (broker: string) => {
      const run = produced(6, { producers: [{ name: 'p1', acks: 'all' }] })
        .poll(100, 'm1', range(0, 6), range(1, 7))
        .logLost(3000, broker, 6, 0, range(1, 7))
        .sendAndAck(3500, 'p1', [7, 8], 0, 0)
        .append(3500, 'b1', [7, 8], 0, 0, 'leader');
      return of('unseen', finish(run, [7, 8]));
    };
    const v = lostOn('b1');
    expect(v).toHaveLength(1);
    expect(v[0]).toMatchObject({ classification: 'permitted', permittedBy: 'fault-load', records: [7, 8] });
    expect(v[0].reason).toContain('written at offsets consumers had already read past');
    expect(v[0].reason).toContain('b1 lost offsets 0..5 of orders-0 to power-loss at 3.000s');
    expect(lostOn('b2')[0]).toMatchObject({ classification: 'breach' });
  });
});

describe('unseen: records written at offsets consumers had read past, after an election that cut the log', () => {
  // ksim check on check-small, Apache 0.10 ZooKeeper, auto-commit group, seed 14, run 272: b1 lost
  // its disk inside the ISR, stayed in it and a preferred election made it leader with LEO 183; the
  // record at 183 had failed (NOT_LEADER_OR_FOLLOWER), those above were acknowledged and lost.
  const cut = (kafkaVersion: '0.10' | '2.3') => {
    const run = new TestRun({ kafkaVersion, metadataMode: 'zookeeper', producers: [{ name: 'p1', acks: 'all' }], groups: [{ groupId: 'g', commits: ['after-processing', 'after-processing'] }] });
    run.election(0, 'initial', 'b1', 0, ALL, 0).sendAndAck(10, 'p1', [1, 2], 0, 0);
    run.send(10, 'p1', 3).fail(12, 'p1', 3, 'NOT_LEADER_OR_FOLLOWER', true).sendAndAck(10, 'p1', [4, 5], 3, 0);
    for (const b of ALL) run.append(10, b, range(1, 6), 0, 0, b === 'b1' ? 'leader' : 'follower');
    run.poll(100, 'm1', range(0, 5), range(1, 6)).logLost(3000, 'b2', 5, 2, [3, 4, 5], 'disk-loss');
    run.election(5000, 'preferred', 'b2', 1, ALL, 2, 'b1').sendAndAck(6000, 'p1', [6, 7], 2, 1).append(6000, 'b2', [6, 7], 2, 1, 'leader');
    const final = finalPartition('orders-0', 'b2', 1, ALL, [{ broker: 'b2', records: [1, 2, 6, 7] }]);
    return of('unseen', run.finish(7000, [final]).violations).filter((v) => (v.records as number[] | undefined)?.includes(6));
  };

  it('the cut explains the record at an offset whose own record was never acknowledged by the records it cut above it: KIP-380 on 0.10', () => {
    const v = cut('0.10');
    expect(v).toHaveLength(1);
    expect(v[0]).toMatchObject({ classification: 'permitted', permittedBy: 'version' });
    expect(v[0].reason).toContain('b2 lost it to disk-loss at 3.000s inside the ISR, started again, stayed in the ISR without it and was elected');
    expect(v[0].reason).toContain('preferred election of b2 at 5.000s cut the log of orders-0 to 2');
    expect(v[0].reason).toMatch(/; written at offsets consumers had already read past$/);
  });

  it('decoy: on 2.3 the controller sees the bounce and the consumer validates its position after the leader change (2.2 would still be the version: KAFKA-7747), so the same cut is a breach', () => {
    expect(cut('2.3')[0]).toMatchObject({ classification: 'breach' });
  });
});

describe('unseen: records an election left behind on a replica that never truncated', () => {
  // As the runs found it on MSK 3.6 ZooKeeper with acks=1 (`ksim check --scenario check-small --set
  // preset=msk --set kafkaVersion=3.6 --set metadataMode=zookeeper --set acks=1`, auto-commit group,
  // seed 13): run 13, b2 acknowledged records alone, shut down, and b3 was elected with a shorter
  // log; b2 never truncated before the end, so no removal took them, and the consumers read the new
  // records at their offsets. Run 184, the same, and then the new leader lost power with every
  // record it had: the partition is offline at the end and b2 still holds the old records
  // (unreachable, not lost). unseen called both a breach ("no reset, retention, compaction or
  // truncation explains it") where lost-write blamed acks=1 or nothing.
  const leftBehind = (acks: '1' | 'all', offlineAtEnd = false, electionAtMs = 1100) => {
    // r1..r6 acknowledged by b1 at offsets 0..5, b2 holds r1 and r2; b1 stops; b2 leads from offset 2.
    const run = produced(6, { producers: [{ name: 'p1', acks }] })
      .append(20, 'b2', [1, 2], 0, 0)
      .down(1000, 'b1')
      .election(electionAtMs, 'clean', 'b2', 1, ['b2', 'b3'], 2, 'b1')
      .sendAndAck(1200, 'p1', [7, 8, 9, 10], 2, 1)
      .append(1200, 'b2', [7, 8, 9, 10], 2, 1, 'leader')
      .poll(1300, 'm1', range(0, 6), [1, 2, 7, 8, 9, 10]);
    if (!offlineAtEnd) {
      const logs = [{ broker: 'b2', records: [1, 2, 7, 8, 9, 10] }, { broker: 'b1', records: range(1, 7), alive: false }];
      return of('unseen', run.finish(5000, [finalPartition('orders-0', 'b2', 1, ['b2', 'b3'], logs)]).violations);
    }
    const lost = run.logLost(2000, 'b2', 6, 0, [1, 2, 7, 8, 9, 10]).logLost(2000, 'b3', 2, 0, [1, 2]);
    const logs = [{ broker: 'b2', records: [], alive: false }, { broker: 'b3', records: [] }, { broker: 'b1', records: range(1, 7) }];
    return of('unseen', lost.finish(5000, [finalPartition('orders-0', null, 1, ['b2'], logs)]).violations);
  };
  it('are gone from the log the consumers read, with the loss cause: acks=1', () => {
    // Run 184's acknowledgement reached the producer just after the election (by epoch, not time).
    for (const [offlineAtEnd, electionAtMs] of [[false, 1100], [true, 1100], [true, 10]] as const) {
      const v = leftBehind('1', offlineAtEnd, electionAtMs);
      expect(v).toHaveLength(1);
      expect(v[0]).toMatchObject({ classification: 'permitted', permittedBy: 'configuration', records: [3, 4, 5, 6] });
      expect(v[0].reason).toMatch(/^acks=1; left behind by an election before it was read$/);
    }
  });
  it('decoy: with acks=all the same loss stays a breach, as lost-write has it', () => {
    expect(leftBehind('all')[0]).toMatchObject({ classification: 'breach', records: [3, 4, 5, 6] });
  });
});

describe('unseen: records the leader lost and led on without, kept only by a replica that exited rather than truncate', () => {
  // As `ksim check` found it on Kafka 2.0 (properties/unseen-kept-by-exited-broker.test.ts): b1
  // loses r1..r6 to a power loss and leads on (a missed bounce) with r7..r12 at their offsets, which
  // m1 reads; b2 keeps r1..r6 on disk as it exits rather than truncate (lost-write counts them lost,
  // noting the copy). unseen called them a breach; it takes the loss's cause (KIP-380 on 2.0).
  const keptByExit = (lostBy: 'power-loss' | 'truncate') => {
    const run = produced(6, { kafkaVersion: '2.0', metadataMode: 'zookeeper', producers: [{ name: 'p1', acks: 'all' }] }).append(10, 'b2', range(1, 7), 0, 0);
    if (lostBy === 'power-loss') run.logLost(3000, 'b1', 6, 0, range(1, 7)).becomeLeader(3100, 'b1', 0);
    else run.truncate(3000, 'b3', 6, 0, range(1, 7), 'high-watermark');
    run.sendAndAck(3500, 'p1', range(7, 13), 0, 0).append(3500, 'b1', range(7, 13), 0, 0, 'leader').poll(4000, 'm1', range(0, 6), range(7, 13));
    const final = finalPartition('orders-0', 'b1', 0, ALL, [{ broker: 'b1', records: range(7, 13) }, { broker: 'b2', records: range(1, 7), alive: false }]);
    final.logs[1].keptRatherThanTruncated = true;
    return of('unseen', run.finish(5000, [final]).violations);
  };

  it("takes the loss's cause: lost before it was read", () => {
    const v = keptByExit('power-loss');
    expect(v).toMatchObject([{ classification: 'permitted', permittedBy: 'version', flaws: ['KIP-380'], records: [1, 2, 3, 4, 5] }]);
    expect(v[0].reason).toMatch(/^b1 lost it to power-loss at 3\.000s, started again and took leadership of orders-0 back at 3\.100s with no election since: .*KIP-380.*; lost before it was read$/);
  });

  it('decoy: removed only from a follower that did not lead (nothing explains the leader going on without them), it stays a breach', () => {
    expect(keptByExit('truncate')).toMatchObject([{ classification: 'breach' }]);
  });
});
