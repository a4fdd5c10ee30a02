// How a Kafka producer picks a partition: records with a key go to
// toPositive(murmur2(keyBytes)) % numPartitions, exactly as Kafka's built-in partitioner does, so
// a key lands on the same partition as it would from a Java producer; records without a key use
// the sticky partitioner: they stay on one partition, then move to another, drawn from a Choice so
// runs stay deterministic. When they move is KIP-794's rule (Kafka 3.3+, BuiltInPartitioner):
// once batch.size bytes were produced to the sticky partition (recordAppended), whether or not
// linger sent them in smaller batches.
//
// Simplifications: KIP-480's rule of 2.4-3.2 (move at every new batch) is not modelled, nor
// KIP-794's adaptive weighing of partitions by broker queue sizes
// (partitioner.adaptive.partitioning.enable), nor its wait for the batch to close before moving.

import type { Choice } from '../../../src/sim/choice.ts';

const utf8 = new TextEncoder();

/** Kafka's Utils.murmur2: 32-bit MurmurHash2, seed 0x9747b28c, with Java int arithmetic. */
export function murmur2(data: Uint8Array): number {
  const length = data.length;
  const m = 0x5bd1e995;
  const r = 24;
  let h = (0x9747b28c ^ length) | 0;
  const length4 = length >>> 2;
  for (let i = 0; i < length4; i++) {
    const i4 = i * 4;
    let k = (data[i4] & 0xff) | ((data[i4 + 1] & 0xff) << 8) | ((data[i4 + 2] & 0xff) << 16) | ((data[i4 + 3] & 0xff) << 24);
    k = Math.imul(k, m);
    k ^= k >>> r;
    k = Math.imul(k, m);
    h = Math.imul(h, m);
    h ^= k;
  }
  // Java's switch falls through from case 3 to case 1; written as ifs for the same effect.
  const tail = length & ~3;
  const rest = length % 4;
  if (rest === 3) h ^= (data[tail + 2] & 0xff) << 16;
  if (rest >= 2) h ^= (data[tail + 1] & 0xff) << 8;
  if (rest >= 1) {
    h ^= data[tail] & 0xff;
    h = Math.imul(h, m);
  }
  h ^= h >>> 13;
  h = Math.imul(h, m);
  h ^= h >>> 15;
  return h | 0;
}

/** Kafka's Utils.toPositive: clears the sign bit (not Math.abs, which fails at Integer.MIN_VALUE). */
export function toPositive(n: number): number {
  return n & 0x7fffffff;
}

/** The partition Kafka's default partitioner picks for a record with this (UTF-8 string) key. */
export function partitionForKey(key: string, numPartitions: number): number {
  if (!Number.isInteger(numPartitions) || numPartitions < 1) throw new Error(`numPartitions must be a positive integer, got ${numPartitions}`);
  return toPositive(murmur2(utf8.encode(key))) % numPartitions;
}

/**
 * KIP-480's sticky partitioner for records without a key, per topic: `partition` returns the
 * current sticky partition (choosing one on first use); `onNewBatch` is called when the batch
 * on `prevPartition` is complete and moves the topic to a different partition.
 */
export class StickyPartitioner {
  private readonly stickyByTopic = new Map<string, number>();
  /** Records produced to each topic's sticky partition since it was chosen. */
  private readonly producedByTopic = new Map<string, number>();

  /** @param recordsPerSwitch batch.size over the record size: KIP-794's sticky batch size, in records. */
  constructor(
    private readonly choice: Choice,
    private readonly recordsPerSwitch = Infinity,
  ) {}

  /** A record went to the topic's sticky partition `tp`: after batch.size bytes the topic moves on (KIP-794). */
  recordAppended(topic: string, tp: number, numPartitions: number): void {
    if (this.stickyByTopic.get(topic) !== tp) return;
    const produced = (this.producedByTopic.get(topic) ?? 0) + 1;
    if (produced < this.recordsPerSwitch) this.producedByTopic.set(topic, produced);
    else this.next(topic, numPartitions, tp);
  }

  /** The topic's sticky partition without choosing one: -1 when partition() would draw. */
  current(topic: string, numPartitions: number): number {
    const current = this.stickyByTopic.get(topic);
    return current !== undefined && current < numPartitions ? current : -1;
  }

  /** How many more records recordAppended takes on the current sticky partition before the topic moves on. */
  recordsBeforeSwitch(topic: string): number {
    return this.recordsPerSwitch - (this.producedByTopic.get(topic) ?? 0);
  }

  partition(topic: string, numPartitions: number): number {
    const current = this.stickyByTopic.get(topic);
    if (current !== undefined && current < numPartitions) return current;
    return this.next(topic, numPartitions, undefined);
  }

  onNewBatch(topic: string, prevPartition: number, numPartitions: number): void {
    const current = this.stickyByTopic.get(topic);
    // Like Kafka's StickyPartitionCache: only the batch on the current sticky partition moves
    // the topic on; a late callback for an older partition changes nothing.
    if (current === undefined || current === prevPartition) this.next(topic, numPartitions, current);
  }

  private next(topic: string, numPartitions: number, old: number | undefined): number {
    let chosen: number;
    if (numPartitions === 1) chosen = 0;
    else if (old === undefined || old >= numPartitions) chosen = this.choice.below(numPartitions);
    else {
      // One draw over the other partitions rather than Kafka's redraw-until-different loop:
      // the same distribution, and a fixed number of draws per switch.
      const draw = this.choice.below(numPartitions - 1);
      chosen = draw >= old ? draw + 1 : draw;
    }
    this.stickyByTopic.set(topic, chosen);
    this.producedByTopic.set(topic, 0);
    return chosen;
  }
}
