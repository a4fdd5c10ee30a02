import { describe, expect, it } from 'vitest';
import type { Violation } from '../../../src/sim/model.ts';
import type { FinalConsumerGroup } from '../kafka-events.ts';
import { finalPartition, TestRun } from './kafka-test-run.ts';

const of = (violations: Violation[]) => violations.filter((v) => v.property === 'consumer-liveness');
const ALL = ['b1', 'b2', 'b3'];
const END_MS = 120_000;

/** 20 records a second acknowledged for the whole run; the group committed `committed` at the end. */
function run(committed: number, options: ConstructorParameters<typeof TestRun>[0] = {}, extra?: (r: TestRun) => void) {
  const r = new TestRun({ groups: [{ groupId: 'g', commits: ['after-processing'] }], ...options }).election(0, 'initial', 'b1', 0, ALL, 0);
  r.event(3_000, 'c1', { type: 'rebalance-end', group: 'g', generation: 1, members: 1, assignment: ['id1=orders-0'] });
  const ids: number[] = [];
  for (let i = 0; i < END_MS / 50; i++) {
    ids.push(i + 1);
    r.sendAndAck(i * 50, 'p1', [i + 1], i, 0);
  }
  extra?.(r);
  const group: FinalConsumerGroup = { group: 'g', offsetsPartition: '__consumer_offsets-0', coordinator: 'b1', committed: [{ partition: 'orders-0', offset: committed, lag: ids.length - committed }] };
  return r.finish(END_MS, [finalPartition('orders-0', 'b1', 0, ALL, [{ broker: 'b1', records: ids }])], false, [group]);
}

describe('consumer-liveness', () => {
  it('passes a settled group that keeps up with the producers', () => {
    const result = run(2395);
    expect(of(result.violations)).toEqual([]);
    expect(result.analysis['consumer-liveness']).toMatchObject({ judged: true });
  });

  it('is a breach for a group that never committed, though the cluster was whole', () => {
    const v = of(run(-1).violations);
    expect(v).toHaveLength(1);
    expect(v[0]).toMatchObject({ classification: 'breach', partition: 'g' });
    expect(v[0].message).toContain('orders-0 committed nothing, though offsets up to');
  });

  it('is permitted by max.poll.interval.ms when batches outlast it and members keep timing out', () => {
    const storm = run(-1, { groups: [{ groupId: 'g', commits: ['after-processing'], processingMs: 50, config: { 'max.poll.interval.ms': 10_000, 'session.timeout.ms': 10_000 } }] }, (r) => {
      for (const t of [70_000, 90_000, 110_000]) {
        r.event(t, 'c1', { type: 'poll-timeout', member: 'm1', group: 'g', generation: 2 });
        r.event(t + 100, 'c1', { type: 'rebalance-start', group: 'g', generation: 2, reason: 'member left' });
      }
    });
    const v = of(storm.violations);
    expect(v[0]).toMatchObject({ classification: 'permitted', permittedBy: 'configuration' });
    expect(v[0].reason).toBe('max.poll.interval.ms=10000 is shorter than a batch, max.poll.records=500 x 50 ms: members are removed mid-batch and rebalance again (3 poll timeouts, KIP-62)');
    expect(v[0].message).toContain('3 rebalance(s) after');
  });

  it('is not judged while a fault is in force, or before the group was due to settle', () => {
    const r = new TestRun({ groups: [{ groupId: 'g', commits: ['after-processing'] }] }).election(0, 'initial', 'b1', 0, ALL, 0).sendAndAck(10, 'p1', [1], 0, 0);
    const early = r.finish(20_000, [finalPartition('orders-0', 'b1', 0, ALL, [{ broker: 'b1', records: [1] }])], false, [
      { group: 'g', offsetsPartition: '__consumer_offsets-0', coordinator: 'b1', committed: [{ partition: 'orders-0', offset: -1, lag: 1 }] },
    ]);
    expect(of(early.violations)).toEqual([]);
    expect(early.analysis['consumer-liveness']).toMatchObject({ judged: false });
    // No fault to recover from: too short to settle is not reported as not judged.
    expect(early.notJudged.filter((n) => n.property === 'consumer-liveness')).toEqual([]);
  });

  it('says it did not judge a group after a fault when the run ended before the group was due to settle, and why', () => {
    const r = new TestRun({ groups: [{ groupId: 'g', commits: ['after-processing'] }], horizon: { lastDisruptionEndMs: 5000, lastDisruption: 'the crash at 1.0 s heals' } })
      .election(0, 'initial', 'b1', 0, ALL, 0)
      .sendAndAck(10, 'p1', [1], 0, 0);
    const late = r.finish(20_000, [finalPartition('orders-0', 'b1', 0, ALL, [{ broker: 'b1', records: [1] }])], false, [
      { group: 'g', offsetsPartition: '__consumer_offsets-0', coordinator: 'b1', committed: [{ partition: 'orders-0', offset: -1, lag: 1 }] },
    ]);
    expect(of(late.violations)).toEqual([]);
    const note = late.notJudged.find((n) => n.property === 'consumer-liveness');
    const m = /^group g: the run ended before (\d+\.\d+)s, when it was due to have settled; durationMs (\d+) or more judges it$/.exec(String(note?.reason));
    expect(m).not.toBeNull();
    expect(Number(m![2])).toBe(Math.ceil(Number(m![1]) * 1000));
    // That duration does judge it.
    const judged = new TestRun({ groups: [{ groupId: 'g', commits: ['after-processing'] }], horizon: { lastDisruptionEndMs: 5000, lastDisruption: 'the crash at 1.0 s heals' } })
      .election(0, 'initial', 'b1', 0, ALL, 0)
      .sendAndAck(10, 'p1', [1], 0, 0)
      .finish(Number(m![2]), [finalPartition('orders-0', 'b1', 0, ALL, [{ broker: 'b1', records: [1] }])], false, [
        { group: 'g', offsetsPartition: '__consumer_offsets-0', coordinator: 'b1', committed: [{ partition: 'orders-0', offset: -1, lag: 1 }] },
      ]);
    expect(judged.notJudged.map((n) => n.property)).not.toContain('consumer-liveness');
    expect(new TestRun({ groups: [{ groupId: 'g', commits: ['after-processing'] }], horizon: { lastDisruptionEndMs: null } }).finish(20_000, [], false, []).notJudged.map((n) => n.property)).toContain('consumer-liveness');
  });
});
