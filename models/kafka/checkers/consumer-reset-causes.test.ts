// Why an OFFSET_OUT_OF_RANGE (or detected-truncation) reset moved a consumer back, by the broker
// that answered it (consumer-causes.ts resetCause): a deposed (zombie) leader's answer is the flaw
// of a consumer without KIP-320's client side before 2.3 (KAFKA-7747 / KAFKA-7440: the brokers fence
// followers from 2.1, but 2.1-2.2's consumer sends no leader epoch) and a breach from 2.3; the
// current leader's answer after an election or a log loss that cut its
// log takes that cut's cause. Hand-written histories; the run shape is the one ksim check found on
// ZooKeeper 0.11 (a member took metadata from the deposed leader b2 just after b2's cut from the
// controller healed, fetched offset 20 from it, its log ended at 10, and it reset to earliest).
import { describe, expect, it } from 'vitest';
import type { Violation } from '../../../src/sim/model.ts';
import { finalPartition, TestRun } from './kafka-test-run.ts';

const of = (property: string, violations: Violation[]) => violations.filter((v) => v.property === property);
const ALL = ['b1', 'b2', 'b3'];
const ids = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);
const offsets = (from: number, n: number) => Array.from({ length: n }, (_, i) => from + i);

type Version = '0.11' | '2.0' | '2.1' | '2.2' | '2.3' | '3.4';

/**
 * Records 1..10 at offsets 0..9 led by b2 (epoch 0), all replicas hold them; m1 reads them. b3 is
 * elected at 6.3 s (`kind`, from `leaderLogEndOffset`), records 11..20 go to offsets 10..19 in
 * epoch 1 and m1 reads them. Then `broker` answers m1's fetch at 20 with OFFSET_OUT_OF_RANGE and
 * m1 resets to earliest and reads offset 0 again.
 */
function resetAfterElection(version: Version, broker: string, kind: 'clean' | 'unclean' = 'clean', leaderLogEndOffset = 10) {
  const metadataMode = version === '3.4' ? 'kraft' : 'zookeeper';
  const run = new TestRun({ kafkaVersion: version, metadataMode, unclean: kind === 'unclean', producers: [{ name: 'p1', acks: 'all' }] })
    .election(0, 'initial', 'b2', 0, ALL, 0)
    .sendAndAck(10, 'p1', ids(1, 10), 0, 0);
  for (const b of ALL) run.append(10, b, ids(1, 10), 0, 0, b === 'b2' ? 'leader' : 'follower');
  run.poll(100, 'm1', offsets(0, 10), ids(1, 10)).election(6300, kind, 'b3', 1, ['b3', 'b1'], leaderLogEndOffset, 'b2');
  if (leaderLogEndOffset < 10) run.truncate(6400, 'b1', 10, leaderLogEndOffset, ids(leaderLogEndOffset + 1, 10), 'leader-epoch');
  run
    .sendAndAck(6500, 'p1', ids(11, 20), 10, 1)
    .append(6500, 'b3', ids(11, 20), 10, 1, 'leader')
    .append(6500, 'b1', ids(11, 20), 10, 1)
    .poll(6600, 'm1', offsets(10, 10), ids(11, 20))
    .reset(7000, 'm1', 20, 0, 'earliest', 'out-of-range', 'orders-0', 'g', version === '2.3' || version === '3.4' ? { broker, leaderEpoch: 1 } : { broker })
    .poll(7100, 'm1', [0], [1]);
  const final = ids(1, 20);
  return of('nonmonotonic-poll', run.finish(9000, [finalPartition('orders-0', 'b3', 1, ['b3', 'b1'], [{ broker: 'b3', records: final }, { broker: 'b1', records: final }])]).violations);
}

describe('an OFFSET_OUT_OF_RANGE from a deposed (zombie) leader', () => {
  it("is permitted by the version before the consumer's KIP-320 (0.11 to 2.2, though the brokers fence followers from 2.1): the consumer sends no leader epoch", () => {
    for (const version of ['0.11', '2.0', '2.1', '2.2'] as const) {
      const v = resetAfterElection(version, 'b2');
      expect(v).toHaveLength(1);
      expect(v[0]).toMatchObject({ classification: 'permitted', permittedBy: 'version' });
      expect(v[0].reason).toContain(
        `m1 reset by auto.offset.reset=earliest (out-of-range); b2, no longer the leader of orders-0 (the clean election at 6.300s made b3 leader of epoch 1), answered m1's fetch at offset 20 with OFFSET_OUT_OF_RANGE: Kafka ${version}: KAFKA-7747 (KAFKA-7440), fixed in Kafka 2.3`,
      );
      expect(v[0].reason).not.toContain('KAFKA-6880');
      expect(v[0].reason).not.toContain('no loss to explain it');
      // The metadata's own epoch check came in 2.2 (KAFKA-7738): named only before it.
      if (version === '2.2') expect(v[0].reason).not.toContain('KAFKA-7738');
      else expect(v[0].reason).toContain('nor does its metadata check leader epochs (KAFKA-7738, fixed in Kafka 2.2');
      expect(v[0].flaws).toEqual(version === '2.2' ? ['KAFKA-7747', 'KAFKA-7440'] : ['KAFKA-7747', 'KAFKA-7440', 'KAFKA-7738']);
    }
  });

  it("is a breach from 2.3 (the consumer's fetches carry its leader epoch, which fences a stale leader), ZooKeeper or KRaft", () => {
    for (const version of ['2.3', '3.4'] as const) {
      const v = resetAfterElection(version, 'b2');
      expect(v).toHaveLength(1);
      expect(v[0].classification).toBe('breach');
      expect(v[0].reason).toContain(`b2, no longer the leader of orders-0 (the clean election at 6.300s made b3 leader of epoch 1), answered m1's fetch at offset 20 with OFFSET_OUT_OF_RANGE (the consumer knew leader epoch 1), though Kafka ${version}'s consumer fetches carry its leader epoch (KIP-320), which fences them`);
    }
  });

  it('decoy: the current leader answering after a clean election that cut nothing acknowledged is still a breach, not KIP-320', () => {
    const v = resetAfterElection('0.11', 'b3');
    expect(v[0].classification).toBe('breach');
    expect(v[0].reason).toContain('clean election of b3 at 6.300s cut the log of orders-0 to 10, below offsets consumers had read, with no loss to explain it');
    expect(v[0].reason).not.toContain('KAFKA-7747 (KAFKA-7440), fixed');
  });

  it("decoy: the current leader answering after an unclean election that cut the log is blamed on that election (configuration), not KIP-320", () => {
    const v = resetAfterElection('0.11', 'b3', 'unclean', 5);
    expect(v[0]).toMatchObject({ classification: 'permitted', permittedBy: 'configuration' });
    expect(v[0].reason).toMatch(/^m1 reset by auto.offset.reset=earliest \(out-of-range\); unclean.leader.election.enable=true: unclean election of b3 at 6.300s cut the log of orders-0 to 5/);
  });
});

describe('an OFFSET_OUT_OF_RANGE from a leader that lost its log without an election', () => {
  /** b1 leads throughout; only b1 appended records 1..6 (acks=all, ISR of all three) and lost them to power loss. */
  function lostByLeader(answeredBy: string | null, lostOn = 'b1', reason: 'out-of-range' | 'truncation' = 'out-of-range') {
    const run = new TestRun({ kafkaVersion: reason === 'truncation' ? '2.3' : '0.11', metadataMode: 'zookeeper', producers: [{ name: 'p1', acks: 'all' }] })
      .election(0, 'initial', 'b1', 0, ALL, 0)
      .sendAndAck(10, 'p1', ids(1, 6), 0, 0)
      .append(10, 'b1', ids(1, 6), 0, 0, 'leader')
      .poll(100, 'm1', offsets(0, 6), ids(1, 6))
      .logLost(3000, lostOn, 6, 0, ids(1, 6))
      .sendAndAck(3500, 'p1', [7], 0, 0)
      .append(3500, 'b1', [7], 0, 0, 'leader')
      .reset(4000, 'm1', 6, 0, 'earliest', reason, 'orders-0', 'g', answeredBy === null ? {} : { broker: answeredBy })
      .poll(4100, 'm1', [0], [7]);
    return of('nonmonotonic-poll', run.finish(9000, [finalPartition('orders-0', 'b1', 0, ALL, [{ broker: 'b1', records: [7] }])]).violations);
  }

  it("takes the loss's cause (here the fault load: every copy burned), also when the event does not name the broker", () => {
    for (const broker of ['b1', null]) {
      const v = lostByLeader(broker);
      expect(v).toHaveLength(1);
      expect(v[0]).toMatchObject({ classification: 'permitted', permittedBy: 'fault-load' });
      expect(v[0].reason).toContain('b1 lost offsets 0..5 of orders-0 to power-loss at 3.000s, below offsets consumers had read');
    }
  });

  it("a truncation the consumer detected (KIP-320's client side, 2.3) takes the leader's loss's cause too (fresh-user trial, 2.1: was a breach beside its sibling partition's KIP-380)", () => {
    const v = lostByLeader('b1', 'b1', 'truncation');
    expect(v[0]).toMatchObject({ classification: 'permitted', permittedBy: 'fault-load' });
    expect(lostByLeader('b1', 'b2', 'truncation')[0].classification).toBe('breach');
  });

  it('decoy: a loss on another replica than the one that answered explains nothing: a breach', () => {
    const v = lostByLeader('b1', 'b2');
    expect(v[0].classification).toBe('breach');
    expect(v[0].reason).toContain('no election that cut the log below it');
  });
});

describe("a consumer that read past a clean election's cut before 2.3 (KAFKA-7747: no position validation after a leader change)", () => {
  /**
   * acks=all records 1..10 at offsets 0..9 led by b2; b3 (which had only 1..5) is elected clean at
   * 6.3 s and cuts the log to 5, b1 truncates to it: an unexplained cut (lost-write's breach). m1
   * (group g) had read and processed 0..9. Records 11..16 go to offsets 5..10 and m1, reading on
   * from its old position 10, reads only r16: it skips r11..r15.
   */
  function readPastCut(version: Version, acks: 'all' | '1' = 'all') {
    const run = new TestRun({ kafkaVersion: version, metadataMode: 'zookeeper', producers: [{ name: 'p1', acks }], groups: [{ groupId: 'g', commits: ['after-processing'] }] })
      .election(0, 'initial', 'b2', 0, ALL, 0)
      .sendAndAck(10, 'p1', ids(1, 10), 0, 0)
      .append(10, 'b2', ids(1, 10), 0, 0, 'leader')
      .append(10, 'b1', ids(1, 10), 0, 0)
      .append(10, 'b3', ids(1, 5), 0, 0)
      .poll(100, 'm1', offsets(0, 10), ids(1, 10));
    ids(1, 10).forEach((r) => run.process(101, 'm1', r - 1, r));
    run
      .election(6300, 'clean', 'b3', 1, ['b3', 'b1'], 5, 'b2')
      .truncate(6400, 'b1', 10, 5, ids(6, 10), 'leader-epoch')
      .sendAndAck(6500, 'p1', ids(11, 16), 5, 1)
      .append(6500, 'b3', ids(11, 16), 5, 1, 'leader')
      .append(6500, 'b1', ids(11, 16), 5, 1)
      .poll(7100, 'm1', [10], [16])
      .process(7101, 'm1', 10, 16);
    const final = [...ids(1, 5), ...ids(11, 16)];
    const group = { group: 'g', offsetsPartition: '__consumer_offsets-0', coordinator: 'b1', committed: [{ partition: 'orders-0', offset: 11, lag: 0 }] };
    return run.finish(9000, [finalPartition('orders-0', 'b3', 1, ['b3', 'b1'], [{ broker: 'b3', records: final }, { broker: 'b1', records: final }])], false, [group]).violations;
  }

  it('is permitted by the version on 2.1 and 2.2 (the brokers fence followers from 2.1; the consumer validates only from 2.3), the cut named as what it read past; the lost records stay a breach', () => {
    for (const version of ['2.1', '2.2'] as const) {
      const violations = readPastCut(version);
      for (const property of ['at-least-once', 'unseen']) {
        const v = of(property, violations);
        expect(v, `${version} ${property}`).toHaveLength(1);
        expect(v[0]).toMatchObject({ classification: 'permitted', permittedBy: 'version', records: ids(11, 15) });
        expect(v[0].reason).toMatch(
          new RegExp(`^Kafka ${version.replace('.', '\\.')}'s consumer does not validate its position after a leader change \\(KAFKA-7747 \\(KAFKA-7440\\), fixed in Kafka 2\\.3\\), so it read on past the cut without noticing; the cut: .*clean election of b3 at 6\\.300s cut the log of orders-0 to 5`),
        );
        expect(v[0].flaws).toContain('KAFKA-7747');
      }
      expect(of('lost-write', violations)[0].classification).toBe('breach');
    }
  });

  it("decoy: a cut something else permits keeps its class on 2.1 (acks=1: the configuration), the 2.3 fix named in the reason", () => {
    const v = of('at-least-once', readPastCut('2.1', '1'));
    expect(v[0]).toMatchObject({ classification: 'permitted', permittedBy: 'configuration' });
    expect(v[0].reason).toMatch(/^acks=1/);
    expect(v[0].reason).toContain("; Kafka 2.1's consumer does not validate its position after a leader change (KAFKA-7747 (KAFKA-7440), fixed in Kafka 2.3), so it read on without noticing");
  });

  it('decoy: the same history on 2.3, whose consumer validates its position after the leader change, is a breach', () => {
    for (const property of ['at-least-once', 'unseen']) {
      const v = of(property, readPastCut('2.3'));
      expect(v[0].classification).toBe('breach');
      expect(v[0].reason).not.toContain('KAFKA-7747');
    }
  });

  it("an OFFSET_OUT_OF_RANGE from the new leader at the position m1 carried over (its log ends below it) and the re-read that follows: the version on 2.1; on 2.3 a breach", () => {
    const reRead = (version: Version) => {
      const run = new TestRun({ kafkaVersion: version, metadataMode: 'zookeeper', producers: [{ name: 'p1', acks: 'all' }] })
        .election(0, 'initial', 'b2', 0, ALL, 0)
        .sendAndAck(10, 'p1', ids(1, 10), 0, 0)
        .append(10, 'b2', ids(1, 10), 0, 0, 'leader')
        .append(10, 'b1', ids(1, 10), 0, 0)
        .append(10, 'b3', ids(1, 5), 0, 0)
        .poll(100, 'm1', offsets(0, 10), ids(1, 10))
        .election(6300, 'clean', 'b3', 1, ['b3', 'b1'], 5, 'b2')
        .truncate(6400, 'b1', 10, 5, ids(6, 10), 'leader-epoch')
        .reset(7000, 'm1', 10, 0, 'earliest', 'out-of-range', 'orders-0', 'g', version === '2.3' ? { broker: 'b3', leaderEpoch: 1 } : { broker: 'b3' })
        .poll(7100, 'm1', [0], [1]);
      const final = ids(1, 5);
      return of('nonmonotonic-poll', run.finish(9000, [finalPartition('orders-0', 'b3', 1, ['b3', 'b1'], [{ broker: 'b3', records: final }, { broker: 'b1', records: final }])]).violations);
    };
    const v = reRead('2.1');
    expect(v).toHaveLength(1);
    expect(v[0]).toMatchObject({ classification: 'permitted', permittedBy: 'version' });
    expect(v[0].reason).toMatch(/^m1 reset by auto.offset.reset=earliest \(out-of-range\); Kafka 2\.1's consumer does not validate its position after a leader change/);
    expect(reRead('2.3')[0].classification).toBe('breach');
    // Decoy: m1 read offsets 10..19 from the new leader after the cut, then met OFFSET_OUT_OF_RANGE
    // at 20: its position was not one it carried over the leader change, and validating it would
    // have changed nothing. Still the cut's own class.
    const later = resetAfterElection('2.1', 'b3', 'clean', 5);
    expect(later[0].classification).toBe('breach');
    expect(later[0].reason).not.toContain('so it read on past the cut');
  });
});

describe('an OFFSET_OUT_OF_RANGE from a leader that lost its log after an election had made it whole again', () => {
  // ksim check on check-small, Apache 0.10 ZooKeeper, auto-commit group, seed 14 (after the fix for
  // its run 272): b2's controlled-shutdown election cut orders-0 to 225, a preferred election gave it
  // back to b3 with LEO 322, b3 lost its disk, retook the partition unnoticed and answered m1's fetch
  // at 322 with OFFSET_OUT_OF_RANGE. The old cut is not the cause: b3's loss is.
  function cutThenLost(version: '0.11' | '2.2') {
    const run = new TestRun({ kafkaVersion: version, metadataMode: 'zookeeper', producers: [{ name: 'p1', acks: 'all' }] }).election(0, 'initial', 'b1', 0, ALL, 0).sendAndAck(10, 'p1', ids(1, 2), 0, 0);
    for (const b of ALL) run.append(10, b, ids(1, 2), 0, 0, b === 'b1' ? 'leader' : 'follower');
    run.election(1000, 'controlled-shutdown', 'b2', 1, ['b2', 'b3'], 2, 'b1').sendAndAck(1100, 'p1', ids(3, 6), 2, 1);
    for (const b of ALL) run.append(1100, b, ids(3, 6), 2, 1, b === 'b2' ? 'leader' : 'follower');
    run.poll(1200, 'm1', offsets(0, 6), ids(1, 6)).election(2000, 'preferred', 'b1', 2, ALL, 6, 'b2');
    run.logLost(3000, 'b1', 6, 0, ids(1, 6), 'disk-loss').becomeLeader(3200, 'b1', 2).sendAndAck(3500, 'p1', [7], 0, 2).append(3500, 'b1', [7], 0, 2, 'leader');
    run.reset(4000, 'm1', 6, 0, 'earliest', 'out-of-range', 'orders-0', 'g', { broker: 'b1' }).poll(4100, 'm1', [0], [7]);
    return of('nonmonotonic-poll', run.finish(9000, [finalPartition('orders-0', 'b1', 2, ALL, [{ broker: 'b1', records: [7] }])]).violations);
  }

  it("takes the leader's loss's cause (a missed bounce: KIP-380 on 0.11), not the earlier election's cut", () => {
    const v = cutThenLost('0.11');
    expect(v).toHaveLength(1);
    expect(v[0]).toMatchObject({ classification: 'permitted', permittedBy: 'version' });
    expect(v[0].reason).toContain('b1 lost it to disk-loss at 3.000s, started again and took leadership of orders-0 back at 3.200s with no election since');
    expect(v[0].reason).toContain('b1 lost offsets 0..5 of orders-0 to disk-loss at 3.000s, below offsets consumers had read');
    expect(v[0].reason).not.toContain('controlled-shutdown election');
  });

  it('decoy: on 2.2 the controller sees the bounce, so the same loss is a breach', () => {
    expect(cutThenLost('2.2')[0]).toMatchObject({ classification: 'breach' });
  });
});
