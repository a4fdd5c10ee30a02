// A new group that starts from auto.offset.reset=latest owes only the records at or above its first
// position on each partition (analysis/group-start-positions.ts): at-least-once and unseen do not
// count the records below it, and the summary names where it began to owe them. Every later reset
// that skips records (after a commit, a second member's, another group's own start) is judged as
// before. Hand-written histories; the shape is ksim run check-small with an auto-commit group at
// latest (fault-free: 371 records produced before the group's first positions failed the run).
import { describe, expect, it } from 'vitest';
import type { Violation } from '../../../src/sim/model.ts';
import { finalPartition, TestRun } from './kafka-test-run.ts';
import type { CommitStrategy } from '../scenario/kafka-scenario.ts';

const of = (property: string, violations: Violation[]) => violations.filter((v) => v.property === property);
const ALL = ['b1', 'b2', 'b3'];
const OFFSETS = '__consumer_offsets-0';

/** A group `groupId` whose final committed offset of orders-0 is `offset`. */
const committed = (groupId: string, offset: number, end = 6) => ({ group: groupId, offsetsPartition: OFFSETS, coordinator: 'b1', committed: [{ partition: 'orders-0', offset, lag: end - offset }] });

/**
 * Records 1..4 acknowledged at offsets 0..3 by b1 at 10 ms; `start` positions the group (g, member
 * m1) at 50 ms; records 5, 6 at offsets 4, 5 at 60 ms, which m1 polls and processes; g commits 6.
 */
function startedRun(start: (run: TestRun) => TestRun, strategy: 'latest' | 'earliest' = 'latest', commits: CommitStrategy[] = ['after-processing', 'after-processing']) {
  const run = new TestRun({ groups: [{ groupId: 'g', commits, config: { 'auto.offset.reset': strategy } }] })
    .election(0, 'initial', 'b1', 0, ALL, 0)
    .sendAndAck(10, 'p1', [1, 2, 3, 4], 0, 0)
    .append(10, 'b1', [1, 2, 3, 4], 0, 0, 'leader');
  start(run)
    .sendAndAck(60, 'p1', [5, 6], 4, 0)
    .append(60, 'b1', [5, 6], 4, 0, 'leader')
    .poll(70, 'm1', [4, 5], [5, 6])
    .process(71, 'm1', 4, 5)
    .process(72, 'm1', 5, 6);
  return run.finish(5000, [finalPartition('orders-0', 'b1', 0, ALL, [{ broker: 'b1', records: [1, 2, 3, 4, 5, 6] }])], false, [committed('g', 6)]);
}

describe('a new group starting at auto.offset.reset=latest', () => {
  it('owes nothing below its first position: no at-least-once gap, no unseen record; the summary says where it began to owe', () => {
    const result = startedRun((run) => run.reset(50, 'm1', -1, 4, 'latest', 'no-committed-offset'));
    expect(of('at-least-once', result.violations)).toEqual([]);
    expect(of('unseen', result.violations)).toEqual([]);
    expect(result.summary.consumerGroups[0]).toMatchObject({ group: 'g', recordsNeverProcessed: 0, owedFrom: { 'orders-0': 4 } });
    expect(result.analysis.unseen).toMatchObject({ unseenAtEnd: 4, passedOver: 0, behind: 0, notOwed: 4 });
    expect(result.lines.join('\n')).toContain('0 never processed (counted from its first position, orders-0 offset 4: a new group at auto.offset.reset=latest owes no record below them)');
    expect(result.lines.join('\n')).toContain('4 owed to no group (below new groups');
  });

  it("decoy: a group that had committed, lost its committed offset and reset to latest is still reported, as the reset's cause says", () => {
    const result = startedRun((run) => run.commitOk(40, 'm1', 1, 'orders-0', 0).reset(50, 'm1', -1, 4, 'latest', 'no-committed-offset'));
    const gap = of('at-least-once', result.violations);
    expect(gap).toHaveLength(1);
    expect(gap[0]).toMatchObject({ classification: 'permitted', permittedBy: 'configuration', count: 4, records: [1, 2, 3, 4] });
    expect(of('unseen', result.violations)[0]).toMatchObject({ count: 4 });
    expect(result.summary.consumerGroups[0].owedFrom).toBeUndefined();
    expect(result.summary.consumerGroups[0].recordsNeverProcessed).toBe(4);
  });

  it("decoy: the same group at earliest owes everything (its reset skipped nothing; an unprocessed record is a breach)", () => {
    const result = startedRun((run) => run.reset(50, 'm1', -1, 0, 'earliest', 'no-committed-offset').poll(55, 'm1', [0, 1, 3], [1, 2, 4]).process(56, 'm1', 0, 1).process(56, 'm1', 1, 2).process(57, 'm1', 3, 4), 'earliest');
    const gap = of('at-least-once', result.violations);
    expect(gap).toHaveLength(1);
    expect(gap[0]).toMatchObject({ classification: 'breach', records: [3], offsets: [2] });
    expect(result.summary.consumerGroups[0].owedFrom).toBeUndefined();
  });

  it("decoy: a second member's reset to latest before the group's first commit skips records the first member's position owed: reported", () => {
    const result = startedRun((run) => run.reset(50, 'm1', -1, 2, 'latest', 'no-committed-offset').reset(55, 'm2', -1, 4, 'latest', 'no-committed-offset'));
    const gap = of('at-least-once', result.violations);
    expect(gap).toHaveLength(1);
    expect(gap[0]).toMatchObject({ classification: 'permitted', permittedBy: 'configuration', count: 2, records: [3, 4], offsets: [2, 3] });
    expect(gap[0].reason).toMatch(/^auto.offset.reset=latest: m2's reset at 0.055s/);
    expect(result.summary.consumerGroups[0].owedFrom).toEqual({ 'orders-0': 2 });
  });

  it('a record sent after the first position and written below it (an unclean election cut the log under it) is still owed', () => {
    const run = new TestRun({ unclean: true, groups: [{ groupId: 'g', commits: ['after-processing'], config: { 'auto.offset.reset': 'latest' } }] })
      .election(0, 'initial', 'b1', 0, ALL, 0)
      .sendAndAck(10, 'p1', [1, 2, 3, 4], 0, 0)
      .reset(50, 'm1', -1, 4, 'latest', 'no-committed-offset')
      .election(60, 'unclean', 'b3', 1, ['b3'], 2, 'b1')
      .truncate(65, 'b1', 4, 2, [3, 4], 'leader-epoch')
      .sendAndAck(70, 'p1', [7, 8, 9], 2, 1)
      .poll(90, 'm1', [4], [9])
      .process(91, 'm1', 4, 9);
    const result = run.finish(5000, [finalPartition('orders-0', 'b3', 1, ['b3'], [{ broker: 'b3', records: [1, 2, 7, 8, 9] }])], false, [committed('g', 5, 5)]);
    const gap = of('at-least-once', result.violations);
    expect(gap).toHaveLength(1);
    expect(gap[0]).toMatchObject({ classification: 'permitted', permittedBy: 'configuration', records: [7, 8], offsets: [2, 3] });
  });
});

describe('a partition added while the group reads the topic (create-partitions; KAFKA-12478)', () => {
  /** orders-0 from the start; orders-1 created at `createdMs`; the group (latest) starts orders-0 at 50 ms and orders-1 at 300 ms. */
  function grown(createdMs: number) {
    const run = new TestRun({ partitions: 2, groups: [{ groupId: 'g', commits: ['after-processing'], config: { 'auto.offset.reset': 'latest' } }] })
      .election(0, 'initial', 'b1', 0, ALL, 0)
      .election(createdMs, 'initial', 'b1', 0, ALL, 0, null, 'orders-1')
      .sendAndAck(10, 'p1', [1, 2], 0, 0)
      .reset(50, 'm1', -1, 2, 'latest', 'no-committed-offset')
      .sendAndAck(Math.max(createdMs, 60) + 10, 'p1', [3, 4], 0, 0, 'orders-1')
      .reset(300, 'm1', -1, 2, 'latest', 'no-committed-offset', 'orders-1')
      .sendAndAck(310, 'p1', [5], 2, 0, 'orders-1')
      .poll(320, 'm1', [2], [5], 'orders-1')
      .process(321, 'm1', 2, 5, 'orders-1');
    const partitions = [finalPartition('orders-0', 'b1', 0, ALL, [{ broker: 'b1', records: [1, 2] }]), finalPartition('orders-1', 'b1', 0, ALL, [{ broker: 'b1', records: [3, 4, 5] }])];
    const group = { group: 'g', offsetsPartition: OFFSETS, coordinator: 'b1', committed: [{ partition: 'orders-0', offset: 2, lag: 0 }, { partition: 'orders-1', offset: 3, lag: 0 }] };
    return run.finish(5000, partitions, false, [group]);
  }

  it('is owed whole: the records written to it before the group started it at latest are reported (permitted by auto.offset.reset)', () => {
    const result = grown(100);
    const gap = of('at-least-once', result.violations);
    expect(gap).toHaveLength(1);
    expect(gap[0]).toMatchObject({ classification: 'permitted', permittedBy: 'configuration', partition: 'orders-1', records: [3, 4] });
    expect(result.summary.consumerGroups[0].owedFrom).toEqual({ 'orders-0': 2 });
  });

  it('decoy: a partition that existed when the group started on the topic starts at its first position like the others', () => {
    const result = grown(0);
    expect(of('at-least-once', result.violations)).toEqual([]);
    expect(result.summary.consumerGroups[0].owedFrom).toEqual({ 'orders-0': 2, 'orders-1': 2 });
  });
});

describe('a second group joining later at latest', () => {
  it('is owed only from its own first position; the first group, reading from earliest, owes everything', () => {
    const run = new TestRun({
      groups: [
        { groupId: 'g', commits: ['after-processing'], config: { 'auto.offset.reset': 'earliest' } },
        { groupId: 'late', commits: ['after-processing'], config: { 'auto.offset.reset': 'latest' } },
      ],
    })
      .election(0, 'initial', 'b1', 0, ALL, 0)
      .sendAndAck(10, 'p1', [1, 2, 3, 4, 5, 6], 0, 0)
      .reset(20, 'm1', -1, 0, 'earliest', 'no-committed-offset', 'orders-0', 'g')
      .poll(30, 'm1', [0, 1, 2, 3, 4, 5], [1, 2, 3, 4, 5, 6], 'orders-0', 'g');
    for (const r of [1, 2, 3, 5, 6]) run.process(31, 'm1', r - 1, r, 'orders-0', 'g');
    run.reset(40, 'm1', -1, 3, 'latest', 'no-committed-offset', 'orders-0', 'late').poll(50, 'm1', [3, 4, 5], [4, 5, 6], 'orders-0', 'late');
    for (const r of [4, 6]) run.process(51, 'm1', r - 1, r, 'orders-0', 'late');
    const result = run.finish(5000, [finalPartition('orders-0', 'b1', 0, ALL, [{ broker: 'b1', records: [1, 2, 3, 4, 5, 6] }])], false, [committed('g', 6), committed('late', 6)]);
    // g skipped r4 (a breach); late owes r4..r6 only and skipped r5 (a breach), not r1..r3. One
    // violation per partition and class: both groups' gaps in one.
    const gaps = of('at-least-once', result.violations);
    expect(gaps).toHaveLength(1);
    expect(gaps[0]).toMatchObject({ classification: 'breach', count: 2, records: [4, 5] });
    expect(result.summary.consumerGroups.map((g) => [g.group, g.recordsNeverProcessed, g.owedFrom])).toEqual([
      ['g', 1, undefined],
      ['late', 1, { 'orders-0': 3 }],
    ]);
  });
});
