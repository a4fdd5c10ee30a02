// Durability behaviour of the Kafka model: which acknowledged records survive leader failure,
// unclean election, power loss and the pre-KIP-101 truncation, as Apache Kafka documents them.

import { describe, expect, it } from 'vitest';
import { runKafka } from './testing/kafka-test-cluster.ts';

const every = (fromMs: number, toMs: number, stepMs: number): [number, null][] => {
  const out: [number, null][] = [];
  for (let t = fromMs; t <= toMs; t += stepMs) out.push([t, null]);
  return out;
};

describe('kafka model: durability', () => {
  it('acks=all with min.insync.replicas=2 keeps every acknowledged record across a leader crash', () => {
    const r = runKafka({
      brokerConfig: { 'min.insync.replicas': 2 },
      producers: [{ name: 'p1', config: { acks: 'all', 'request.timeout.ms': 2000 }, sends: every(1000, 20000, 100) }],
      faults: [{ atMs: 5000, kind: 'crash', node: 'b1' }],
      durationMs: 40000,
    });
    const acked = r.acked();
    expect(acked.length).toBeGreaterThan(150);
    expect(r.of('election').some((e) => e.kind === 'clean' && e.previousLeader === 'b1')).toBe(true);
    expect(r.partition('orders-0').leader).not.toBe('b1');
    expect(r.lostAcked('orders-0')).toEqual([]);
    // Records acknowledged after the failover exist too (the cluster kept accepting writes).
    const electedAt = r.events.find((e) => e.event.type === 'election' && e.event.kind === 'clean')!.timeUs;
    expect(r.events.some((e) => e.event.type === 'send-ok' && e.timeUs > electedAt)).toBe(true);
  });

  it('acks=1 loses a record the crashed leader had not replicated', () => {
    const r = runKafka({
      producers: [{ name: 'p1', config: { acks: '1' }, sends: every(1000, 2000, 100) }],
      faults: [
        // The followers' fetches reach b1 but its responses are held back: nothing replicates.
        { atMs: 500, kind: 'hold', from: 'b1', to: 'b2' },
        { atMs: 500, kind: 'hold', from: 'b1', to: 'b3' },
        { atMs: 3000, kind: 'crash', node: 'b1' },
      ],
      durationMs: 20000,
    });
    expect(r.acked().length).toBe(11);
    const election = r.of('election').find((e) => e.previousLeader === 'b1')!;
    expect(election.kind).toBe('clean');
    expect(r.lostAcked('orders-0').length).toBe(11);
  });

  it('acks=all does not acknowledge records that were not replicated to the ISR', () => {
    const r = runKafka({
      producers: [{ name: 'p1', config: { acks: 'all' }, sends: every(1000, 2000, 100) }],
      faults: [
        { atMs: 500, kind: 'hold', from: 'b1', to: 'b2' },
        { atMs: 500, kind: 'hold', from: 'b1', to: 'b3' },
        { atMs: 3000, kind: 'crash', node: 'b1' },
      ],
      durationMs: 20000,
    });
    // b1 never acknowledges what its followers did not get; the crash resets the producer's
    // connection, and the records it retries are acknowledged by the next leader, in its epoch.
    expect(r.of('send-ok').every((e) => (e.leaderEpoch as number) >= 1)).toBe(true);
    expect(r.lostAcked('orders-0')).toEqual([]);
  });

  it('unclean election loses acknowledged records when the ISR had shrunk to the lost leader', () => {
    const run = (unclean: boolean) =>
      runKafka({
        brokerConfig: { 'replica.lag.time.max.ms': 3000, 'unclean.leader.election.enable': unclean },
        producers: [{ name: 'p1', config: { acks: 'all' }, sends: every(6000, 8000, 100) }],
        faults: [
          { atMs: 1000, kind: 'hold', from: 'b1', to: 'b2' },
          { atMs: 1000, kind: 'hold', from: 'b1', to: 'b3' },
          { atMs: 10000, kind: 'crash', node: 'b1' },
        ],
        durationMs: 30000,
      });
    const r = run(true);
    expect(r.of('isr-shrink').some((e) => (e.isr as string[]).join() === 'b1')).toBe(true);
    expect(r.acked().length).toBe(21);
    const unclean = r.of('election').find((e) => e.kind === 'unclean')!;
    expect(unclean).toBeDefined();
    expect(unclean.leader).toBe('b2');
    expect(unclean.leaderLogEndOffset).toBe(0);
    expect(r.lostAcked('orders-0').length).toBe(21);

    // Without it the partition stays offline instead: nothing acknowledged is served lost.
    const safe = run(false);
    expect(safe.of('election').some((e) => e.kind === 'unclean')).toBe(false);
    expect(safe.partition('orders-0').leader).toBeNull();
    expect(safe.of('election').some((e) => e.leader === null)).toBe(true);
  });

  it('power loss loses unflushed records, a process crash does not, flushing every message does not', () => {
    const run = (kind: 'crash' | 'power-loss', flushMessages?: number) =>
      runKafka({
        brokers: [{ name: 'b1', az: 'az1' }],
        brokerConfig: flushMessages ? { 'log.flush.interval.messages': flushMessages } : {},
        topics: [{ name: 'orders', replicas: [['b1']] }],
        producers: [{ name: 'p1', config: { acks: 'all', 'request.timeout.ms': 2000 }, sends: every(1000, 2000, 100) }],
        faults: [{ atMs: 3000, kind, node: 'b1', durationMs: 1000 }],
        durationMs: 15000,
      });
    const power = run('power-loss');
    expect(power.acked().length).toBe(11);
    expect(power.of('log-lost').length).toBe(1);
    expect((power.of('log-lost')[0].removed as number[]).length).toBe(11);
    expect(power.log('orders-0', 'b1').records).toEqual([]);
    expect(power.lostAcked('orders-0').length).toBe(11);

    const crash = run('crash');
    expect(crash.of('log-lost')).toEqual([]);
    expect(crash.lostAcked('orders-0')).toEqual([]);
    expect(crash.log('orders-0', 'b1').records.length).toBe(11);

    const flushed = run('power-loss', 1);
    expect(flushed.of('log-lost')).toEqual([]);
    expect(flushed.lostAcked('orders-0')).toEqual([]);
  });

  it('power loss with the default flush policy loses only the writes the kernel flusher had not written back', () => {
    const run = (kind: 'crash' | 'power-loss', storage: { dirtyWritebackMs?: number } = {}, flushMessages?: number) =>
      runKafka({
        brokers: [{ name: 'b1', az: 'az1', storage }],
        brokerConfig: flushMessages ? { 'log.flush.interval.messages': flushMessages } : {},
        topics: [{ name: 'orders', replicas: [['b1']] }],
        producers: [{ name: 'p1', config: { acks: 'all', 'request.timeout.ms': 2000 }, sends: every(1000, 59_900, 100) }],
        faults: [{ atMs: 60_000, kind, node: 'b1', durationMs: 1000 }],
        durationMs: 70_000,
      });
    const sentAtUs = (r: ReturnType<typeof run>) => new Map(r.events.filter((e) => e.event.type === 'send').map((e) => [e.event.record as number, e.timeUs]));

    const power = run('power-loss');
    const acked = power.acked();
    expect(acked.length).toBe(590);
    const lost = new Set(power.lostAcked('orders-0'));
    const sent = sentAtUs(power);
    const lostSentUs = acked.filter((id) => lost.has(id)).map((id) => sent.get(id)!);
    const keptSentUs = acked.filter((id) => !lost.has(id)).map((id) => sent.get(id)!);
    // Lost: a suffix of the log, all of it younger than dirtyExpireMs + dirtyWritebackMs (35 s); the
    // flusher's pass at 31.0xx s (30 s after the first write dirtied the file) kept everything before.
    expect(Math.min(...lostSentUs)).toBeGreaterThan(Math.max(...keptSentUs));
    expect(Math.min(...lostSentUs)).toBeGreaterThan(60_000_000 - 35_000_000);
    // Sent at 1.0 .. 30.9 s, and the one sent at 31.0 s if the network delivered it before the pass
    // (the pass comes 30 s after the first append, which came one network delay after 1.0 s).
    expect(keptSentUs.length).toBeGreaterThanOrEqual(300);
    expect(keptSentUs.length).toBeLessThanOrEqual(301);
    expect(Math.max(...keptSentUs)).toBeLessThanOrEqual(31_000_000);
    expect(lost.size + keptSentUs.length).toBe(590);

    // The same power loss with periodic writeback off loses every record, as before the page cache.
    expect(run('power-loss', { dirtyWritebackMs: 0 }).lostAcked('orders-0').length).toBe(590);
    // A process crash keeps the page cache; fsync of every record keeps everything.
    expect(run('crash').lostAcked('orders-0')).toEqual([]);
    expect(run('power-loss', {}, 1).lostAcked('orders-0')).toEqual([]);
  });

  it('an instance-store broker comes back empty after disk loss; an EBS broker keeps its flushed log', () => {
    const run = (storage: 'ebs' | 'instance-store') =>
      runKafka({
        brokers: [{ name: 'b1', az: 'az1', storage }],
        brokerConfig: { 'log.flush.interval.messages': 1 },
        topics: [{ name: 'orders', replicas: [['b1']] }],
        producers: [{ name: 'p1', config: { acks: '1' }, sends: every(1000, 1500, 100) }],
        faults: [{ atMs: 3000, kind: 'disk-loss', node: 'b1', durationMs: 1000 }],
        durationMs: 10000,
      });
    expect(run('ebs').log('orders-0', 'b1').records.length).toBe(6);
    const lost = run('instance-store');
    expect(lost.log('orders-0', 'b1').records).toEqual([]);
    expect(lost.of('log-lost')[0].cause).toBe('disk-loss');
  });

  // KIP-101's first scenario, as a leader change: b3 has the committed r1 but its HW (learnt a
  // fetch later) does not cover it yet when every broker is cut off from the others. b1 dies; b3
  // becomes b2's follower and, before KIP-101, truncates to its HW, dropping r1; b2 dies before
  // b3 can fetch r1 again, and b3 leads without a record that was committed and acknowledged.
  // (ZooKeeper mode: each death is noticed when the session of 6 s expires.)
  it('hw-truncation loses a committed record in a failover that leader epochs survive', () => {
    const run = (era: 'hw-truncation' | 'kip-101' | 'current') =>
      runKafka({
        era,
        metadataMode: 'zookeeper',
        brokerConfig: { 'zookeeper.session.timeout.ms': 6000 },
        producers: [{ name: 'p1', config: { acks: 'all' }, sends: [[1000, null], [6000, null]] }],
        faults: [
          { atMs: 6050, kind: 'partition', groups: [['b1'], ['b2'], ['b3']] },
          { atMs: 6100, kind: 'crash', node: 'b1' },
          { atMs: 13000, kind: 'crash', node: 'b2' },
        ],
        durationMs: 30000,
      });
    const old = run('hw-truncation');
    expect(old.acked()).toEqual([0, 1]);
    expect(old.of('truncate').some((e) => e.reason === 'high-watermark' && (e.removed as number[]).includes(1))).toBe(true);
    expect(old.partition('orders-0').leader).toBe('b3');
    expect(old.lostAcked('orders-0')).toEqual([1]);

    for (const era of ['kip-101', 'current'] as const) {
      const fixed = run(era);
      expect(fixed.acked()).toEqual([0, 1]);
      expect(fixed.partition('orders-0').leader).toBe('b3');
      expect(fixed.lostAcked('orders-0')).toEqual([]);
    }
  });

  it('is deterministic: the same seed gives the same trace', () => {
    const cluster = {
      producers: [{ name: 'p1', ratePerSec: 200, keys: 10 }],
      faults: [{ atMs: 2000, kind: 'crash' as const, node: 'b2', durationMs: 3000 }],
      durationMs: 10000,
    };
    expect(runKafka(cluster).traceHash).toBe(runKafka(cluster).traceHash);
    expect(runKafka({ ...cluster, seed: '2' }).traceHash).not.toBe(runKafka(cluster).traceHash);
  });
});
