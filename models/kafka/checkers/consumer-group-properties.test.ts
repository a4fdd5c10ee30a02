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

  it('fails when the coordinator loads an offset below an acknowledged commit without an unclean election', () => {
    const run = new TestRun();
    commitOk(run, 10, 'm1', 1, 'orders-0', 9);
    run.election(50, 'clean', 'b2', 1, ['b2', 'b3'], 3, 'b1', OFFSETS);
    const { violations } = run.finish(100, [], false, [{ group: 'g', offsetsPartition: OFFSETS, coordinator: 'b2', committed: [{ partition: 'orders-0', offset: 3, lag: 0 }] }]);
    const v = of('committed-offset-backwards', violations);
    expect(v).toHaveLength(1);
    expect(v[0]).toMatchObject({ classification: 'breach', moves: [[9, 3]] });
  });

  it('permits a roll-back after an unclean election of the group\'s __consumer_offsets partition', () => {
    const run = new TestRun();
    commitOk(run, 10, 'm1', 1, 'orders-0', 9);
    run.election(50, 'unclean', 'b3', 1, ['b3'], 1, 'b1', OFFSETS);
    commitOk(run, 60, 'm1', 1, 'orders-0', 2);
    const { violations } = run.finish(100, [], false, [{ group: 'g', offsetsPartition: OFFSETS, coordinator: 'b3', committed: [{ partition: 'orders-0', offset: 2, lag: 0 }] }]);
    const v = of('committed-offset-backwards', violations);
    expect(v).toHaveLength(1);
    expect(v[0]).toMatchObject({ classification: 'permitted', permittedBy: 'configuration', count: 1 });
    expect(v[0].reason).toMatch(/^unclean election of __consumer_offsets-0/);
  });

  it('does not permit a roll-back for an unclean election of another __consumer_offsets partition', () => {
    const run = new TestRun();
    commitOk(run, 10, 'm1', 1, 'orders-0', 9);
    run.election(50, 'unclean', 'b3', 1, ['b3'], 1, 'b1', '__consumer_offsets-7');
    commitOk(run, 60, 'm1', 1, 'orders-0', 2);
    const { violations } = run.finish(100, [], false, [{ group: 'g', offsetsPartition: OFFSETS, coordinator: 'b3', committed: [{ partition: 'orders-0', offset: 2, lag: 0 }] }]);
    expect(of('committed-offset-backwards', violations)[0]).toMatchObject({ classification: 'breach' });
  });

  it('permits a lower commit from a member that reset by auto.offset.reset', () => {
    const run = new TestRun();
    commitOk(run, 10, 'm1', 1, 'orders-0', 9);
    run.event(20, 'c1', { type: 'offset-reset', member: 'm1', group: 'g', partition: 'orders-0', fromOffset: 9, toOffset: 6, strategy: 'earliest', reason: 'truncation' });
    commitOk(run, 30, 'm1', 1, 'orders-0', 7);
    const v = of('committed-offset-backwards', run.finish(100, []).violations);
    expect(v).toHaveLength(1);
    expect(v[0]).toMatchObject({ classification: 'permitted', permittedBy: 'configuration', reason: 'm1 reset its position by auto.offset.reset' });
  });
});

function atLeastOnceRun(commits: CommitStrategy[], processed: number[], committed: number, extra?: (run: TestRun) => void) {
  const run = new TestRun({ groups: [{ groupId: 'g', commits }] });
  run.election(0, 'initial', 'b1', 0, ['b1', 'b2', 'b3'], 0).sendAndAck(10, 'p1', [1, 2, 3, 4], 0, 0);
  extra?.(run);
  processed.forEach((r, i) => run.event(100 + i, 'c1', { type: 'process', member: 'm1', group: 'g', generation: 1, partition: 'orders-0', offset: r - 1, record: r }));
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

  it('fails for commit-after-processing when a record below the committed offset was never processed', () => {
    const v = of('at-least-once', atLeastOnceRun(['after-processing', 'after-processing'], [1, 3], 3));
    expect(v).toHaveLength(1);
    expect(v[0]).toMatchObject({ classification: 'breach', partition: 'orders-0', count: 1, records: [2], offsets: [1] });
    expect(v[0].message).toMatch(/^breach \(commit after processing \(at least once\)\): 1 acknowledged record/);
  });

  it('permits gaps for commit-before-processing and for auto commit', () => {
    const before = of('at-least-once', atLeastOnceRun(['after-processing', 'before-processing'], [1], 4));
    expect(before).toHaveLength(1);
    expect(before[0]).toMatchObject({ classification: 'permitted', permittedBy: 'configuration', count: 3, reason: 'commit before processing (at most once)' });
    const auto = of('at-least-once', atLeastOnceRun(['auto'], [], 2));
    expect(auto[0]).toMatchObject({ classification: 'permitted', count: 2, reason: 'enable.auto.commit: offsets committed on poll' });
  });

  it('permits gaps after an offset reset or an unclean election', () => {
    const reset = of(
      'at-least-once',
      atLeastOnceRun(['after-processing'], [3], 3, (run) =>
        run.event(50, 'c1', { type: 'offset-reset', member: 'm1', group: 'g', partition: 'orders-0', fromOffset: 0, strategy: 'latest', reason: 'no-committed-offset' }),
      ),
    );
    expect(reset[0]).toMatchObject({ classification: 'permitted', count: 2 });
    expect(reset[0].reason).toMatch(/^m1 reset its position by auto.offset.reset=latest/);
    const unclean = of('at-least-once', atLeastOnceRun(['after-processing'], [], 1, (run) => run.election(50, 'unclean', 'b3', 1, ['b3'], 0, 'b1', OFFSETS)));
    expect(unclean[0]).toMatchObject({ classification: 'permitted', count: 1 });
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
