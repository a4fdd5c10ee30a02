// The per-event invariants on hand-written histories: each must stay silent on a correct history
// and report the one that breaks it, as a breach naming the partition, the brokers and the time.
import { describe, expect, it } from 'vitest';
import type { Violation } from '../../../src/sim/model.ts';
import { TestRun } from './kafka-test-run.ts';

const of = (property: string, violations: Violation[]) => violations.filter((v) => v.property === property);
const INVARIANTS = ['two-leaders-in-epoch', 'leader-outside-isr', 'isr-outside-replicas', 'hw-above-isr-leo', 'hw-decreased', 'uncommitted-ack'];
const invariantViolations = (violations: Violation[]) => violations.filter((v) => INVARIANTS.includes(v.property));

/** A healthy run: replication, HW advances, an ISR shrink, a clean failover, re-replication. */
function healthy(): TestRun {
  return new TestRun()
    .election(0, 'initial', 'b1', 0, ['b1', 'b2', 'b3'], 0)
    .send(10, 'p1', 1)
    .send(10, 'p1', 2)
    .append(10, 'b1', [1, 2], 0, 0, 'leader')
    .append(11, 'b2', [1, 2], 0, 0)
    .append(11, 'b3', [1], 0, 0)
    .hw(12, 'b1', 1, 0)
    .append(13, 'b3', [2], 1, 0)
    .hw(14, 'b1', 2, 0)
    .ok(15, 'p1', 1, 0, 0, 5)
    .ok(15, 'p1', 2, 1, 0, 5)
    .isr(100, 'isr-shrink', ['b1', 'b2'], 0)
    .election(200, 'clean', 'b2', 1, ['b2'], 2, 'b1')
    .append(210, 'b2', [3], 2, 1, 'leader')
    .hw(211, 'b2', 3, 1)
    .truncate(300, 'b1', 2, 2, [], 'leader-epoch')
    .append(310, 'b3', [3], 2, 1)
    .isr(320, 'isr-expand', ['b2', 'b3'], 1);
}

describe('per-event invariants', () => {
  it('stay silent on a healthy history', () => {
    const { violations } = healthy().finish(1000, undefined);
    expect(invariantViolations(violations)).toEqual([]);
  });

  it('two-leaders-in-epoch: a second broker appending as leader of an epoch', () => {
    const { violations } = new TestRun()
      .election(0, 'initial', 'b1', 0, ['b1', 'b2', 'b3'], 0)
      .append(10, 'b1', [1], 0, 0, 'leader')
      .append(20, 'b2', [2], 0, 0, 'leader')
      .append(30, 'b2', [3], 1, 0, 'leader')
      .finish(100, undefined);
    const v = of('two-leaders-in-epoch', violations);
    expect(v).toHaveLength(1);
    expect(v[0].classification).toBe('breach');
    expect(v[0].count).toBe(2);
    expect(v[0].message).toContain('at 0.020s b2 acted as leader of epoch 0 (append as leader) while b1 owns it (initial election)');
  });

  it('two-leaders-in-epoch: two elections of one epoch with different leaders', () => {
    const { violations } = new TestRun()
      .election(0, 'initial', 'b1', 0, ['b1', 'b2', 'b3'], 0)
      .election(50, 'clean', 'b2', 1, ['b2', 'b3'], 0, 'b1')
      .election(60, 'clean', 'b3', 1, ['b3'], 0, 'b2')
      .finish(100, undefined);
    expect(of('two-leaders-in-epoch', violations)[0].message).toContain('b3 acted as leader of epoch 1 (clean election) while b2 owns it');
  });

  it('leader-outside-isr: an ISR shrink that drops the leader, and an election outside the ISR', () => {
    const { violations } = new TestRun()
      .election(0, 'initial', 'b1', 0, ['b1', 'b2', 'b3'], 0)
      .isr(10, 'isr-shrink', ['b2', 'b3'], 0)
      .election(20, 'clean', 'b3', 1, ['b2'], 0, 'b1')
      .finish(100, undefined);
    const v = of('leader-outside-isr', violations);
    expect(v).toHaveLength(1);
    expect(v[0].count).toBe(2);
    expect(v[0].message).toMatch(/^breach \(a leader is always an ISR member\)/);
    expect(v[0].message).toContain('ISR shrink in epoch 0 with ISR [b2, b3], leader b1 not in it');
    expect(v[0].message).toContain('clean election made b3 leader of epoch 1 with ISR [b2], leader b3 not in it');
  });

  it('leader-outside-isr: an offline partition is not checked', () => {
    const { violations } = new TestRun()
      .election(0, 'initial', 'b1', 0, ['b1', 'b2', 'b3'], 0)
      .election(20, 'clean', null, 1, ['b1'], -1, 'b1')
      .isr(30, 'isr-shrink', ['b1'], 1)
      .finish(100, undefined);
    expect(of('leader-outside-isr', violations)).toEqual([]);
  });

  it('isr-outside-replicas: a non-replica, a duplicate and an empty ISR (Kafka 4.0: no Eligible Leader Replicas)', () => {
    const run = new TestRun({ partitions: 1 });
    run.scenario.topics[0].replicas[0] = [0, 1];
    // A fresh run so the checkers see the changed assignment.
    const { violations } = new TestRun({ kafkaVersion: '4.0' })
      .election(0, 'initial', 'b1', 0, ['b1', 'b2', 'b3'], 0)
      .isr(10, 'isr-expand', ['b1', 'b2', 'b3', 'b9'], 0)
      .isr(20, 'isr-shrink', ['b1', 'b1'], 0)
      .isr(30, 'isr-shrink', [], 0)
      .finish(100, undefined);
    const v = of('isr-outside-replicas', violations);
    expect(v).toHaveLength(1);
    expect(v[0].count).toBe(3);
    expect(v[0].message).toContain('b9 is not a replica');
    expect(v[0].message).toContain('b1 listed twice');
    expect(v[0].message).toContain('left an empty ISR []');
  });

  it('isr-outside-replicas: with Eligible Leader Replicas (4.1, KRaft) an empty ISR is allowed, a non-replica is not', () => {
    const { violations } = new TestRun({ kafkaVersion: '4.1' })
      .election(0, 'initial', 'b1', 0, ['b1', 'b2', 'b3'], 0)
      .isr(10, 'isr-shrink', ['b1'], 0)
      .isr(20, 'isr-shrink', [], 0)
      .isr(30, 'isr-expand', ['b9'], 0)
      .finish(100, undefined);
    const v = of('isr-outside-replicas', violations);
    expect(v.map((x) => x.count)).toEqual([1]);
    expect(v[0].message).toContain('b9 is not a replica');
    expect(v[0].message).not.toContain('empty ISR');
  });

  it('hw-above-isr-leo: a HW advanced past an ISR member that does not have the records', () => {
    const { violations } = new TestRun()
      .election(0, 'initial', 'b1', 0, ['b1', 'b2', 'b3'], 0)
      .append(10, 'b1', [1, 2], 0, 0, 'leader')
      .append(11, 'b2', [1, 2], 0, 0)
      .append(11, 'b3', [1], 0, 0)
      .hw(12, 'b1', 2, 0)
      .finish(100, undefined);
    const v = of('hw-above-isr-leo', violations);
    expect(v).toHaveLength(1);
    expect(v[0].classification).toBe('breach');
    expect(v[0].message).toContain('b1 advanced the HW to 2 in epoch 0: ISR member b3 has LEO 1, below the committed HW 2');
  });

  it('hw-above-isr-leo: a clean election of a replica behind the committed HW, and an ISR member truncating below it', () => {
    const { violations } = new TestRun()
      .election(0, 'initial', 'b1', 0, ['b1', 'b2', 'b3'], 0)
      .append(10, 'b1', [1, 2], 0, 0, 'leader')
      .append(11, 'b2', [1, 2], 0, 0)
      .append(11, 'b3', [1, 2], 0, 0)
      .hw(12, 'b1', 2, 0)
      .truncate(20, 'b3', 2, 1, [2], 'high-watermark')
      .isr(30, 'isr-shrink', ['b1', 'b2'], 0)
      .truncate(40, 'b2', 2, 0, [1, 2], 'leader-epoch')
      .election(50, 'clean', 'b2', 1, ['b2'], 0, 'b1')
      .finish(100, undefined);
    const v = of('hw-above-isr-leo', violations);
    expect(v[0].count).toBe(3);
    expect(v[0].message).toContain('b3 truncated from 2 (high-watermark truncation): ISR member b3 has LEO 1, below the committed HW 2');
    expect(v[0].message).toContain('clean election made b2 leader of epoch 1 (ISR [b2]): ISR member b2 has LEO 0');
  });

  it('hw-above-isr-leo: exempts a replica short after power loss, and an unclean election resets the committed HW', () => {
    const { violations } = new TestRun({ unclean: true })
      .election(0, 'initial', 'b1', 0, ['b1', 'b2', 'b3'], 0)
      .append(10, 'b1', [1, 2], 0, 0, 'leader')
      .append(11, 'b2', [1, 2], 0, 0)
      .append(11, 'b3', [1, 2], 0, 0)
      .hw(12, 'b1', 2, 0)
      .logLost(20, 'b3', 2, 0, [1, 2])
      .hw(21, 'b1', 2, 0)
      .append(30, 'b3', [1, 2], 0, 0)
      .isr(40, 'isr-shrink', ['b1'], 0)
      .election(50, 'unclean', 'b2', 1, ['b2'], 2, 'b1')
      .truncate(60, 'b1', 2, 1, [2], 'leader-epoch')
      .logLost(65, 'b3', 2, 0, [1, 2])
      .election(70, 'unclean', 'b3', 2, ['b3'], 0, 'b2')
      .append(80, 'b3', [7], 0, 2, 'leader')
      .hw(81, 'b3', 1, 2)
      .hw(82, 'b2', 2, 1)
      .truncate(90, 'b2', 2, 0, [1, 2], 'leader-epoch')
      .finish(100, undefined);
    expect(of('hw-above-isr-leo', violations)).toEqual([]);
  });

  it('hw-above-isr-leo: one power loss takes different tails from the replicas; each is exempt until caught up', () => {
    // The kernel flusher wrote b2's log back further than b1's and b3's. b2 is elected, then b3, shorter
    // still: the committed records they lack were taken by the power loss (lost-write judges them).
    const lossThenElections = () =>
      new TestRun()
        .election(0, 'initial', 'b1', 0, ['b1', 'b2', 'b3'], 0)
        .append(10, 'b1', [1, 2, 3, 4], 0, 0, 'leader')
        .append(11, 'b2', [1, 2, 3, 4], 0, 0)
        .append(11, 'b3', [1, 2, 3, 4], 0, 0)
        .hw(12, 'b1', 4, 0)
        .logLost(20, 'b1', 4, 1, [2, 3, 4])
        .logLost(20, 'b2', 4, 3, [4])
        .logLost(20, 'b3', 4, 1, [2, 3, 4])
        .election(30, 'clean', 'b2', 1, ['b2', 'b3'], 3, 'b1')
        .election(31, 'clean', 'b3', 2, ['b3'], 1, 'b2')
        .truncate(40, 'b2', 3, 1, [2, 3], 'leader-epoch')
        .append(50, 'b3', [5], 1, 2, 'leader')
        .hw(51, 'b3', 2, 2);
    expect(of('hw-above-isr-leo', lossThenElections().finish(100, undefined).violations)).toEqual([]);
    // b1 was back at the committed offset (1) when b3 was elected, so it is exempt no more: joining
    // the ISR at LEO 1 below the committed 2 is a breach.
    const v = of('hw-above-isr-leo', lossThenElections().isr(60, 'isr-expand', ['b3', 'b1'], 2).finish(100, undefined).violations);
    expect(v).toHaveLength(1);
    expect(v[0].classification).toBe('breach');
    expect(v[0].message).toContain('the ISR expanded to [b3, b1] in epoch 2: ISR member b1 has LEO 1, below the committed HW 2');
  });

  it('hw-above-isr-leo: a replica the era truncated to the HW and then elected is the era\'s flaw, not a breach; in era current both are breaches', () => {
    // b3 truncates to the HW (offset 1) below the committed 2 (before KIP-101), then is elected while still short.
    const run = (era: 'hw-truncation' | 'current') =>
      of(
        'hw-above-isr-leo',
        new TestRun({ era })
          .election(0, 'initial', 'b1', 0, ['b1', 'b2', 'b3'], 0)
          .append(10, 'b1', [1, 2], 0, 0, 'leader')
          .append(11, 'b2', [1, 2], 0, 0)
          .append(11, 'b3', [1, 2], 0, 0)
          .hw(12, 'b1', 2, 0)
          .truncate(20, 'b3', 2, 1, [2], 'high-watermark')
          .isr(30, 'isr-shrink', ['b3'], 0)
          .election(40, 'clean', 'b3', 1, ['b3'], 1, 'b1')
          .finish(100, undefined).violations,
      );
    const old = run('hw-truncation');
    expect(old.map((v) => [v.classification, v.permittedBy, v.count])).toEqual([['permitted', 'version', 2]]);
    expect(old[0].message).toContain('clean election made b3 leader of epoch 1 (ISR [b3]): ISR member b3 has LEO 1, below the committed HW 2');
    expect(run('current').map((v) => [v.classification, v.count])).toEqual([['breach', 2]]);
  });

  it('hw-above-isr-leo: names KAFKA-7128 for an early ISR rejoin in era kip-101', () => {
    const { violations } = new TestRun({ era: 'kip-101' })
      .election(0, 'initial', 'b1', 0, ['b1', 'b2', 'b3'], 0)
      .isr(5, 'isr-shrink', ['b1', 'b2'], 0)
      .append(10, 'b1', [1, 2], 0, 0, 'leader')
      .append(11, 'b2', [1, 2], 0, 0)
      .hw(12, 'b1', 2, 0)
      .append(13, 'b3', [1], 0, 0)
      .isr(20, 'isr-expand', ['b1', 'b2', 'b3'], 0)
      .finish(100, undefined);
    const v = of('hw-above-isr-leo', violations);
    expect(v[0].reason).toBe("era kip-101: an ISR rejoin below the leader's epoch start (KAFKA-7128, fixed in Kafka 2.0.1: without it a follower rejoins the ISR before it has the current epoch)");
    expect([v[0].classification, v[0].permittedBy]).toEqual(['permitted', 'version']);
  });

  it('hw-decreased: a HW that moves back within an epoch, not across epochs', () => {
    const ok = new TestRun().hw(10, 'b1', 5, 0).hw(20, 'b2', 3, 1).hw(30, 'b2', 3, 1).finish(100, undefined);
    expect(of('hw-decreased', ok.violations)).toEqual([]);
    const { violations } = new TestRun().hw(10, 'b1', 5, 0).hw(20, 'b1', 4, 0).finish(100, undefined);
    const v = of('hw-decreased', violations);
    expect(v).toHaveLength(1);
    expect(v[0].message).toContain('at 0.020s b1 announced HW 4 in epoch 0, below the 5 of that epoch');
    // The highest of the epoch is the last rise's: its HW, broker and time (kept in place as it rises).
    const rose = of('hw-decreased', new TestRun().hw(10, 'b1', 5, 0).hw(15, 'b2', 7, 0).hw(20, 'b1', 6, 0).finish(100, undefined).violations);
    expect(rose.map((x) => x.message).join('\n')).toContain('b1 announced HW 6 in epoch 0, below the 7 of that epoch (b2 had announced it)');
  });

  it('uncommitted-ack: an acks=all ack at an offset not yet below any announced HW; acks=1 is not checked', () => {
    const run = (acks: 'all' | '1') =>
      new TestRun({ producers: [{ name: 'p1', acks }] })
        .send(10, 'p1', 1)
        .send(10, 'p1', 2)
        .hw(11, 'b1', 1, 0)
        .ok(12, 'p1', 1, 0, 0, 2)
        .ok(12, 'p1', 2, 1, 0, 2)
        .finish(100, undefined);
    const v = of('uncommitted-ack', run('all').violations);
    expect(v).toHaveLength(1);
    expect(v[0].count).toBe(1);
    expect(v[0].message).toContain('p1 got acks=all for r2 at offset 1 (epoch 0) while the highest HW announced was 1');
    expect(of('uncommitted-ack', run('1').violations)).toEqual([]);
  });

  it('uncommitted-ack on a batch acknowledged in one send-ok: only its records at or above the HW', () => {
    const run = (hw: number) =>
      new TestRun({ producers: [{ name: 'p1', acks: 'all' }] })
        .hw(5, 'b1', hw, 0)
        .sendAndAck(10, 'p1', [1, 2, 3, 4], 0, 0)
        .finish(100, undefined);
    const v = of('uncommitted-ack', run(2).violations);
    expect(v).toHaveLength(1);
    expect(v[0].count).toBe(2);
    expect(v[0].message).toContain('p1 got acks=all for r3 at offset 2 (epoch 0) while the highest HW announced was 2');
    expect(of('uncommitted-ack', run(4).violations)).toEqual([]);
  });
});
