// The partitioner must agree with Kafka byte for byte: a key's partition is a cross-client
// contract. Vectors are Kafka's own.

import { describe, expect, it } from 'vitest';
import type { Choice } from '../../../src/sim/choice.ts';
import { SeededChoices } from '../../../src/sim/seeded-choices.ts';
import { murmur2, NullKeyPartitioner, nullKeyRuleOf, partitionForKey, toPositive, type NullKeyView } from './partitioner.ts';

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

describe('NullKeyPartitioner: records without a key, by client version', () => {
  const choice = (seed: string): Choice => new SeededChoices(seed).stream('kafka.producer.p1');
  /** A producer whose partitions in `available` have a leader; newBatch(tp): a record for tp would start a new batch. */
  const view = (available: number[], newBatch: (tp: number) => boolean = () => false): NullKeyView => ({ available: () => available, needsNewBatch: newBatch });
  const ALL6 = [0, 1, 2, 3, 4, 5];

  it('picks the rule by version: round-robin before 2.4, KIP-480 in 2.4-3.2, KIP-794 from 3.3', () => {
    expect(nullKeyRuleOf('2.3')).toBe('round-robin');
    expect(nullKeyRuleOf('0.10')).toBe('round-robin');
    expect(nullKeyRuleOf('2.4')).toBe('sticky-per-batch');
    expect(nullKeyRuleOf('3.2')).toBe('sticky-per-batch');
    expect(nullKeyRuleOf('3.3')).toBe('uniform-sticky');
    expect(nullKeyRuleOf('4.1')).toBe('uniform-sticky');
  });

  it('round-robin (DefaultPartitioner): each record to the next partition with a leader, from a random start', () => {
    const p = new NullKeyPartitioner('round-robin', choice('1'), 4);
    const seen = Array.from({ length: 12 }, () => p.partition(6, view(ALL6)));
    for (let i = 1; i < seen.length; i++) expect(seen[i]).toBe((seen[i - 1] + 1) % 6);
    // Partitions 1 and 4 without a leader are skipped; the counter goes on.
    const some = Array.from({ length: 8 }, () => p.partition(6, view([0, 2, 3, 5])));
    expect(new Set(some)).toEqual(new Set([0, 2, 3, 5]));
    for (let i = 1; i < some.length; i++) expect([0, 2, 3, 5].indexOf(some[i])).toBe(([0, 2, 3, 5].indexOf(some[i - 1]) + 1) % 4);
    // No partition has a leader: over all of them.
    expect(p.partition(6, view([]))).toBeLessThan(6);
    expect(p.current(6)).toBe(-1);
  });

  it('sticky-per-batch (KIP-480): stays until a record would start a new batch, then moves to another partition with a leader', () => {
    const p = new NullKeyPartitioner('sticky-per-batch', choice('2'), 4);
    let open = true;
    const v = view([0, 2, 3, 5], () => !open);
    const first = p.partition(6, view([0, 2, 3, 5], () => false));
    for (let i = 0; i < 10; i++) expect(p.partition(6, v)).toBe(first);
    let prev = first;
    for (let i = 0; i < 40; i++) {
      open = false; // the batch was drained or filled: the next record would start a new one
      const next = p.partition(6, v);
      open = true;
      expect(next).not.toBe(prev);
      expect([0, 2, 3, 5]).toContain(next);
      prev = next;
    }
    // batch.size does not move it (that is KIP-794's rule).
    for (let i = 0; i < 10; i++) p.recordAppended(prev, 6, v);
    expect(p.partition(6, v)).toBe(prev);
  });

  it('uniform-sticky (KIP-794): moves on once batch.size worth of records went to the sticky partition, to any partition with a leader', () => {
    const p = new NullKeyPartitioner('uniform-sticky', choice('5'), 4);
    const v = view([1, 3, 4], () => true); // a new batch does not move it
    const seen: number[] = [];
    for (let i = 0; i < 400; i++) {
      const tp = p.partition(6, v);
      seen.push(tp);
      p.recordAppended(tp, 6, v);
    }
    for (let run = 0; run < 400; run += 4) expect(new Set(seen.slice(run, run + 4)).size).toBe(1);
    expect(new Set(seen)).toEqual(new Set([1, 3, 4]));
    // Kafka's BuiltInPartitioner draws among all of them, the old one included.
    const stays = seen.filter((tp, i) => i % 4 === 0 && i > 0 && tp === seen[i - 1]).length;
    expect(stays).toBeGreaterThan(0);
  });

  it('uses partition 0 of a single-partition topic without drawing, and starts afresh after clear()', () => {
    const draws: number[] = [];
    const counting: Choice = { below: (n) => (draws.push(n), 0), unit: () => 0 };
    const p = new NullKeyPartitioner('sticky-per-batch', counting, 4);
    expect(p.partition(1, view([0], () => true))).toBe(0);
    expect(p.partition(1, view([0], () => true))).toBe(0);
    expect(draws).toEqual([]);
    p.clear();
    expect(p.current(1)).toBe(-1);
  });

  it('is deterministic for a seed', () => {
    const run = () => {
      const p = new NullKeyPartitioner('uniform-sticky', choice('3'), 2);
      return Array.from({ length: 30 }, () => {
        const tp = p.partition(5, view([0, 1, 2, 3, 4]));
        p.recordAppended(tp, 5, view([0, 1, 2, 3, 4]));
        return tp;
      });
    };
    expect(run()).toEqual(run());
  });
});
