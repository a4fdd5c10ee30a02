// Availability behaviour of the Kafka model: min.insync.replicas rejecting writes, a leader cut
// off from the controller (zombie leader), AZ outages against replica placement, controlled
// shutdown.

import { describe, expect, it } from 'vitest';
import { runKafka } from './testing/kafka-test-cluster.ts';

const every = (fromMs: number, toMs: number, stepMs: number): [number, null][] => {
  const out: [number, null][] = [];
  for (let t = fromMs; t <= toMs; t += stepMs) out.push([t, null]);
  return out;
};

describe('kafka model: availability', () => {
  it('min.insync.replicas=2 with one replica left in the ISR rejects acks=all writes with NOT_ENOUGH_REPLICAS', () => {
    const r = runKafka({
      brokerConfig: { 'min.insync.replicas': 2 },
      producers: [{ name: 'p1', config: { acks: 'all', 'delivery.timeout.ms': 5000, 'request.timeout.ms': 2000 }, sends: every(15000, 16000, 100) }],
      faults: [
        { atMs: 1000, kind: 'crash', node: 'b2' },
        { atMs: 1000, kind: 'crash', node: 'b3' },
      ],
      durationMs: 30000,
    });
    expect(r.partition('orders-0').isr).toEqual(['b1']);
    expect(r.acked()).toEqual([]);
    expect(r.of('produce-error').some((e) => e.error === 'NOT_ENOUGH_REPLICAS')).toBe(true);
    const fails = r.failed();
    expect(fails.length).toBe(11);
    // Rejected before appending: a definite failure, and nothing reached the log.
    expect(fails.every((e) => e.definite === true)).toBe(true);
    expect(r.log('orders-0', 'b1').records).toEqual([]);
  });

  it('acks=1 still succeeds with one replica in the ISR', () => {
    const r = runKafka({
      brokerConfig: { 'min.insync.replicas': 2 },
      producers: [{ name: 'p1', config: { acks: '1' }, sends: every(15000, 16000, 100) }],
      faults: [
        { atMs: 1000, kind: 'crash', node: 'b2' },
        { atMs: 1000, kind: 'crash', node: 'b3' },
      ],
      durationMs: 30000,
    });
    expect(r.acked().length).toBe(11);
  });

  it('a leader partitioned from the controller cannot shrink its ISR: acks=all stalls, its writes are truncated', () => {
    const r = runKafka({
      brokerConfig: { 'replica.lag.time.max.ms': 3000, 'min.insync.replicas': 2 },
      producers: [{ name: 'p1', config: { acks: 'all', 'request.timeout.ms': 5000, 'delivery.timeout.ms': 12000 }, sends: every(3000, 5000, 500) }],
      faults: [{ atMs: 2000, kind: 'partition', groups: [['b1', 'p1'], ['b2', 'b3', 'c1', 'c2', 'c3']], durationMs: 20000 }],
      durationMs: 40000,
    });
    // b1 wanted to drop its followers but could not reach the controller: while b1 led, the
    // committed ISR never lost b2 or b3; the only shrink removes b1 itself (fenced).
    const shrinks = r.of('isr-shrink');
    expect(shrinks.length).toBeGreaterThan(0);
    for (const s of shrinks) expect(s.isr).toEqual(['b2', 'b3']);
    expect(r.of('election').find((e) => e.previousLeader === 'b1')?.leader).toBe('b2');
    // The zombie leader appended the writes but never committed them; none was acknowledged,
    // and after the partition healed b1 truncated them as a follower.
    expect(r.acked()).toEqual([]);
    expect(r.of('append').some((e) => e.role === 'leader' && e.partition === 'orders-0')).toBe(true);
    // (Each record several times over: the producer's retries appended duplicates on b1.)
    const truncated = new Set(r.of('truncate').flatMap((e) => e.removed as number[]));
    expect([...truncated].sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4]);
    expect(r.log('orders-0', 'b1').records).toEqual(r.log('orders-0', 'b2').records);
  });

  it('a zombie leader acknowledges acks=1 writes that are lost once a new leader is elected', () => {
    const r = runKafka({
      producers: [{ name: 'p1', config: { acks: '1' }, sends: every(3000, 5000, 500) }],
      faults: [{ atMs: 2000, kind: 'partition', groups: [['b1', 'p1'], ['b2', 'b3', 'c1', 'c2', 'c3']], durationMs: 20000 }],
      durationMs: 40000,
    });
    expect(r.acked().length).toBe(5);
    expect(r.lostAcked('orders-0').length).toBe(5);
  });

  it('an AZ outage takes a partition placed in one AZ offline; rack-aware placement stays available', () => {
    const brokers = [
      { name: 'b1', az: 'az1' },
      { name: 'b2', az: 'az1' },
      { name: 'b3', az: 'az1' },
      { name: 'b4', az: 'az2' },
      { name: 'b5', az: 'az3' },
    ];
    const run = (replicas: string[]) =>
      runKafka({
        brokers,
        brokerConfig: { 'min.insync.replicas': 2 },
        topics: [{ name: 'orders', replicas: [replicas] }],
        producers: [{ name: 'p1', az: 'az2', config: { acks: 'all', 'request.timeout.ms': 2000, 'delivery.timeout.ms': 10000 }, sends: every(20000, 22000, 100) }],
        faults: [{ atMs: 5000, kind: 'az-outage', az: 'az1' }],
        durationMs: 40000,
      });
    const naive = run(['b1', 'b2', 'b3']);
    expect(naive.partition('orders-0').leader).toBeNull();
    expect(naive.of('election').some((e) => e.leader === null)).toBe(true);
    expect(naive.acked()).toEqual([]);

    const rackAware = run(['b1', 'b4', 'b5']);
    expect(rackAware.partition('orders-0').leader).toBe('b4');
    expect(rackAware.partition('orders-0').isr).toEqual(['b4', 'b5']);
    expect(rackAware.acked().length).toBe(21);
  });

  it('controlled shutdown moves leadership first, then the broker rejoins the ISR once caught up', () => {
    const r = runKafka({
      producers: [{ name: 'p1', config: { acks: 'all' }, sends: every(1000, 12000, 100) }],
      operations: [{ atMs: 3000, kind: 'controlled-shutdown', broker: 'b1', durationMs: 3000 }],
      durationMs: 20000,
    });
    const moved = r.of('election').find((e) => e.kind === 'controlled-shutdown')!;
    expect(moved.previousLeader).toBe('b1');
    expect(moved.leader).toBe('b2');
    expect(r.of('isr-shrink')[0].isr).toEqual(['b2', 'b3']);
    expect(r.of('isr-expand').some((e) => (e.isr as string[]).includes('b1'))).toBe(true);
    expect(r.acked().length).toBe(111);
    expect(r.lostAcked('orders-0')).toEqual([]);
    expect(r.log('orders-0', 'b1').records).toEqual(r.log('orders-0', 'b2').records);
  });
});
