// The partitioner must agree with Kafka byte for byte: a key's partition is a cross-client
// contract. Vectors are Kafka's own.

import { describe, expect, it } from 'vitest';
import type { Choice } from '../../../src/sim/choice.ts';
import { SeededChoices } from '../../../src/sim/seeded-choices.ts';
import { murmur2, partitionForKey, StickyPartitioner, toPositive } from './partitioner.ts';

const utf8 = (s: string) => new TextEncoder().encode(s);

describe('murmur2', () => {
  // apache/kafka clients/src/test/java/org/apache/kafka/common/utils/UtilsTest.java, testMurmur2
  // (commit f55581dc73953c3509a4702433aeeeddc2970779).
  it.each([
    ['21', -973932308],
    ['foobar', -790332482],
    ['a-little-bit-long-string', -985981536],
    ['a-little-bit-longer-string', -1486304829],
    ['lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8', -58897971],
    ['abc', 479470107],
  ])('matches Kafka UtilsTest for %j', (key, hash) => {
    expect(murmur2(utf8(key))).toBe(hash);
  });

  // Every tail length (0..3 trailing bytes) against values Akka's Murmur2Spec took from Kafka's
  // Utils.murmur2 (akka/akka akka-cluster-sharding-typed .../Murmur2Spec.scala).
  it.each([
    ['1', -1993445489],
    ['12', 126087238],
    ['123', -267702483],
    ['1234', -1614185708],
    ['12345', -1188365604],
  ])('matches Kafka for %j (tail lengths)', (key, hash) => {
    expect(murmur2(utf8(key))).toBe(hash);
  });

  it('hashes bytes, so non-ASCII keys use their UTF-8 encoding', () => {
    expect(murmur2(new Uint8Array([0x61, 0x62, 0x63]))).toBe(479470107);
    expect(murmur2(utf8('éèê'))).toBe(murmur2(new Uint8Array([0xc3, 0xa9, 0xc3, 0xa8, 0xc3, 0xaa])));
  });
});

describe('toPositive and partitionForKey', () => {
  it('clears the sign bit like Utils.toPositive (not Math.abs)', () => {
    expect(toPositive(-2147483648)).toBe(0);
    expect(toPositive(-1)).toBe(2147483647);
    expect(toPositive(5)).toBe(5);
  });

  it('is toPositive(murmur2(utf8 key)) % numPartitions', () => {
    // UtilsTest's "21" hashes to -973932308; toPositive gives 1173551340.
    expect(partitionForKey('21', 6)).toBe(1173551340 % 6);
    expect(partitionForKey('foobar', 7)).toBe(toPositive(-790332482) % 7);
    expect(partitionForKey('abc', 1)).toBe(0);
  });

  it('is stable and within range', () => {
    for (let i = 0; i < 200; i++) {
      const p = partitionForKey(`k${i}`, 6);
      expect(p).toBeGreaterThanOrEqual(0);
      expect(p).toBeLessThan(6);
      expect(partitionForKey(`k${i}`, 6)).toBe(p);
    }
  });

  it('rejects a non-positive partition count', () => {
    expect(() => partitionForKey('k', 0)).toThrow(/numPartitions/);
  });
});

describe('StickyPartitioner', () => {
  const choice = (seed: string): Choice => new SeededChoices(seed).stream('kafka.producer.p1');

  it('stays on one partition until a new batch starts, then moves to a different one', () => {
    const sticky = new StickyPartitioner(choice('1'));
    const first = sticky.partition('t', 6);
    for (let i = 0; i < 10; i++) expect(sticky.partition('t', 6)).toBe(first);
    let prev = first;
    for (let i = 0; i < 50; i++) {
      sticky.onNewBatch('t', prev, 6);
      const next = sticky.partition('t', 6);
      expect(next).not.toBe(prev);
      expect(next).toBeGreaterThanOrEqual(0);
      expect(next).toBeLessThan(6);
      prev = next;
    }
  });

  it('ignores a new batch on a partition that is no longer the sticky one', () => {
    const sticky = new StickyPartitioner(choice('2'));
    const current = sticky.partition('t', 4);
    sticky.onNewBatch('t', (current + 1) % 4, 4);
    expect(sticky.partition('t', 4)).toBe(current);
  });

  it('keeps topics apart and is deterministic for a seed', () => {
    const run = () => {
      const sticky = new StickyPartitioner(choice('3'));
      const seen: number[] = [];
      for (let i = 0; i < 20; i++) {
        const topic = i % 2 === 0 ? 'a' : 'b';
        const p = sticky.partition(topic, 5);
        seen.push(p);
        sticky.onNewBatch(topic, p, 5);
      }
      return seen;
    };
    expect(run()).toEqual(run());
  });

  it('visits every partition over many batches', () => {
    const sticky = new StickyPartitioner(choice('4'));
    const seen = new Set<number>();
    for (let i = 0; i < 200; i++) {
      const p = sticky.partition('t', 6);
      seen.add(p);
      sticky.onNewBatch('t', p, 6);
    }
    expect([...seen].sort()).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it('uses partition 0 of a single-partition topic without drawing', () => {
    const draws: number[] = [];
    const counting: Choice = { below: (n) => (draws.push(n), 0), unit: () => 0 };
    const sticky = new StickyPartitioner(counting);
    expect(sticky.partition('t', 1)).toBe(0);
    sticky.onNewBatch('t', 0, 1);
    expect(sticky.partition('t', 1)).toBe(0);
    expect(draws).toEqual([]);
  });

  it('KIP-794: moves on once batch.size worth of records went to the sticky partition, however linger batched them', () => {
    const sticky = new StickyPartitioner(choice('5'), 4);
    const seen: number[] = [];
    for (let i = 0; i < 12; i++) {
      const tp = sticky.partition('t', 3);
      seen.push(tp);
      sticky.recordAppended('t', tp, 3);
    }
    // Three runs of four records, each on a partition other than the one before.
    for (const run of [0, 4, 8]) expect(new Set(seen.slice(run, run + 4)).size).toBe(1);
    expect(seen[4]).not.toBe(seen[3]);
    expect(seen[8]).not.toBe(seen[7]);
    // Without a switch size it never moves on its own (only onNewBatch moves it).
    const forever = new StickyPartitioner(choice('5'));
    const first = forever.partition('t', 3);
    for (let i = 0; i < 100; i++) forever.recordAppended('t', forever.partition('t', 3), 3);
    expect(forever.partition('t', 3)).toBe(first);
  });
});
