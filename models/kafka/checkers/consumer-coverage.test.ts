// The consumer-group situations the coverage table names, and the summary's failed commits by cause.
import { describe, expect, it } from 'vitest';
import { finalPartition, TestRun } from './kafka-test-run.ts';

const ALL = ['b1', 'b2', 'b3'];

describe('coverage of consumer groups', () => {
  it('names rebalances, fenced commits, resets, coordinator failovers and retention deleting unread records', () => {
    const run = new TestRun({ groups: [{ groupId: 'g', commits: ['after-processing'] }] }).election(0, 'initial', 'b1', 0, ALL, 0);
    run.event(10, 'c1', { type: 'rebalance-start', group: 'g', generation: 0, reason: 'join' });
    run.event(20, 'c1', { type: 'commit-fail', member: 'm1', group: 'g', generation: -1, partitions: ['orders-0'], offsets: [3], error: 'CommitFailedException' });
    run.retention(30, 'b1', 50).reset(40, 'm1', 10, 50, 'earliest', 'out-of-range');
    run.election(0, 'initial', 'b1', 0, ALL, 0, null, '__consumer_offsets-0').election(50, 'clean', 'b2', 1, ['b2', 'b3'], 0, 'b1', '__consumer_offsets-0');
    const { analysis } = run.finish(100, [finalPartition('orders-0', 'b1', 0, ALL, [{ broker: 'b1', records: [] }])]);
    const situations = (analysis['kafka-coverage'] as { situations: string[] }).situations;
    for (const s of ['rebalance', 'fenced commit', 'offset reset', 'coordinator failover', 'retention deleted unread records']) expect(situations).toContain(s);
  });

  it('does not call a reset from above the log start, or a retriable commit failure, what they are not', () => {
    const run = new TestRun({ groups: [{ groupId: 'g', commits: ['after-processing'] }] }).election(0, 'initial', 'b1', 0, ALL, 0);
    run.event(20, 'c1', { type: 'commit-fail', member: 'm1', group: 'g', generation: 1, partitions: ['orders-0'], offsets: [3], error: 'COORDINATOR_NOT_AVAILABLE' });
    run.retention(30, 'b1', 5).reset(40, 'm1', 10, 0, 'earliest', 'out-of-range');
    const { analysis } = run.finish(100, [finalPartition('orders-0', 'b1', 0, ALL, [{ broker: 'b1', records: [] }])]);
    const situations = (analysis['kafka-coverage'] as { situations: string[] }).situations;
    expect(situations).not.toContain('fenced commit');
    expect(situations).not.toContain('retention deleted unread records');
    expect(situations).not.toContain('coordinator failover');
  });

  it('counts a crash of a producer or consumer as a client crash, of a broker as a broker one', () => {
    const crash = (node: string) =>
      (
        new TestRun({ groups: [{ groupId: 'g', commits: ['after-processing'] }], horizon: { lastDisruptionEndMs: 60, faults: [{ atMs: 50, kind: 'crash', node, durationMs: 10 }] } }).finish(100, [])
          .analysis['kafka-coverage'] as { situations: string[] }
      ).situations;
    expect(crash('m1')).toContain('client crash');
    expect(crash('m1')).not.toContain('broker or controller crash');
    expect(crash('p1')).toContain('client crash');
    expect(crash('b2')).toContain('broker or controller crash');
    expect(crash('b2')).not.toContain('client crash');
  });
});

describe('failed commits by cause', () => {
  it('counts a commit rejected after the member was removed, and names each cause in the group line', () => {
    const run = new TestRun({ groups: [{ groupId: 'g', commits: ['after-processing'] }] }).election(0, 'initial', 'b1', 0, ALL, 0);
    const fail = (atMs: number, error: string) =>
      run.event(atMs, 'c1', { type: 'commit-fail', member: 'm1', group: 'g', generation: -1, partitions: ['orders-0'], offsets: [3], error });
    fail(10, 'CommitFailedException');
    fail(20, 'CommitFailedException');
    fail(30, 'REBALANCE_IN_PROGRESS');
    const { summary, lines } = run.finish(100, [finalPartition('orders-0', 'b1', 0, ALL, [{ broker: 'b1', records: [] }])], false, [
      { group: 'g', offsetsPartition: '__consumer_offsets-0', coordinator: 'b1', committed: [{ partition: 'orders-0', offset: -1, lag: 0 }] },
    ]);
    expect(summary.consumerGroups[0]).toMatchObject({ commitsFailed: 3, commitsFailedByCause: { CommitFailedException: 2, REBALANCE_IN_PROGRESS: 1 } });
    expect(lines.find((l) => l.startsWith('group g:'))).toContain('commits 0 ok, 3 failed (member removed: CommitFailedException 2, REBALANCE_IN_PROGRESS 1)');
  });
});
