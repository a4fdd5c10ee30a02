// How a Kafka producer picks a partition: records with a key go to
// toPositive(murmur2(keyBytes)) % numPartitions, exactly as Kafka's built-in partitioner does, so
// a key lands on the same partition as it would from a Java producer; records without a key use
// the rule of the client's version (below), drawing from a Choice so runs stay deterministic.
//
// Records without a key are placed by the client version's rule (NullKeyRule): round-robin before
// 2.4, KIP-480's sticky-per-batch in 2.4-3.2, KIP-794's uniform sticky from 3.3, each over the
// partitions with a known leader. Not modelled: KIP-794's adaptive weighing of those partitions by
// their brokers' queue sizes (partitioner.adaptive.partitioning.enable): the draw is uniform, as
// Kafka's is without load statistics.

import type { Choice } from '../../../src/sim/choice.ts';
import { isOlderVersion, type KafkaVersion } from '../version/kafka-versions.ts';

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
 * How a producer of a Kafka version places records without a key (DefaultPartitioner,
 * UniformStickyPartitioner's StickyPartitionCache, BuiltInPartitioner):
 * - `round-robin` (before 2.4): each record goes to the next of the partitions with a leader, from a
 *   per-topic counter that starts at a random int (all partitions when none has a leader).
 * - `sticky-per-batch` (2.4-3.2, KIP-480): records stay on one partition until a record would start
 *   a new batch there (the accumulator aborts the append, onNewBatch moves on: a drained batch
 *   counts too), then move to a random other partition with a leader.
 * - `uniform-sticky` (3.3+, KIP-794): records stay on one partition until batch.size bytes went
 *   to it, then move to a random partition with a leader (possibly the same one).
 */
type NullKeyRule = 'round-robin' | 'sticky-per-batch' | 'uniform-sticky';

/** The rule of a client of `version` (see NullKeyRule). */
export function nullKeyRuleOf(version: KafkaVersion): NullKeyRule {
  if (isOlderVersion(version, '2.4')) return 'round-robin';
  return isOlderVersion(version, '3.3') ? 'sticky-per-batch' : 'uniform-sticky';
}

/** Java's int range, for the round-robin counter's random start (ThreadLocalRandom.nextInt()). */
const INT_RANGE = 2 ** 32;

/** What the partitioner reads of the producer at a record: its metadata and its accumulator. */
export interface NullKeyView {
  /** The partitions with a known leader, ascending (Cluster.availablePartitionsForTopic). */
  available(): readonly number[];
  /** Whether a record for tp would start a new batch there (no open batch with room). */
  needsNewBatch(tp: number): boolean;
}

/** The partitioner of one producer's topic for records without a key (see NullKeyRule). */
export class NullKeyPartitioner {
  private sticky = -1;
  /** Records produced to the sticky partition since it was chosen (KIP-794). */
  private produced = 0;
  /** round-robin: the next counter value (a Java int, wrapping), null until first used. */
  private counter: number | null = null;

  /** @param recordsPerSwitch batch.size over the record size: KIP-794's sticky batch size, in records. */
  constructor(
    readonly rule: NullKeyRule,
    private readonly choice: Choice,
    private readonly recordsPerSwitch: number,
  ) {}

  /** The partition of the next record without a key. */
  partition(numPartitions: number, view: NullKeyView): number {
    if (this.rule === 'round-robin') return this.nextRoundRobin(numPartitions, view.available());
    if (this.sticky < 0 || this.sticky >= numPartitions) this.switchTo(this.draw(numPartitions, view.available(), -1));
    // KIP-480: a record that would start a new batch moves the topic on first (onNewBatch).
    if (this.rule === 'sticky-per-batch' && view.needsNewBatch(this.sticky)) this.switchTo(this.draw(numPartitions, view.available(), this.sticky));
    return this.sticky;
  }

  /** A record without a key was appended to tp: after batch.size bytes KIP-794 moves on. */
  recordAppended(tp: number, numPartitions: number, view: NullKeyView): void {
    if (this.rule !== 'uniform-sticky' || tp !== this.sticky) return;
    this.produced++;
    if (this.produced >= this.recordsPerSwitch) this.switchTo(this.draw(numPartitions, view.available(), -1));
  }

  /** The sticky partition without choosing one: -1 when the next record may draw (always, round-robin). */
  current(numPartitions: number): number {
    return this.rule !== 'round-robin' && this.sticky >= 0 && this.sticky < numPartitions ? this.sticky : -1;
  }

  /** uniform-sticky: how many more records go to the sticky partition before it moves on (else Infinity). */
  recordsBeforeSwitch(): number {
    return this.rule === 'uniform-sticky' ? this.recordsPerSwitch - this.produced : Infinity;
  }

  /** A new producer process: no sticky partition, the counter starts afresh. */
  clear(): void {
    this.sticky = -1;
    this.produced = 0;
    this.counter = null;
  }

  private switchTo(tp: number): void {
    this.sticky = tp;
    this.produced = 0;
  }

  /** DefaultPartitioner.partition for a null key: counter, then toPositive(value) % the partitions with a leader. */
  private nextRoundRobin(numPartitions: number, available: readonly number[]): number {
    if (this.counter === null) this.counter = this.choice.below(INT_RANGE) | 0;
    const value = this.counter;
    this.counter = (this.counter + 1) | 0;
    return available.length > 0 ? available[toPositive(value) % available.length] : toPositive(value) % numPartitions;
  }

  /**
   * A random partition among those with a leader (all when none has one); KIP-480 draws again
   * until it differs from `old` (one draw over the others here: the same distribution).
   */
  private draw(numPartitions: number, available: readonly number[], old: number): number {
    if (numPartitions === 1) return 0;
    if (available.length === 0) return this.choice.below(numPartitions);
    if (available.length === 1) return available[0];
    const avoid = this.rule === 'sticky-per-batch' ? available.indexOf(old) : -1;
    if (avoid < 0) return available[this.choice.below(available.length)];
    const i = this.choice.below(available.length - 1);
    return available[i >= avoid ? i + 1 : i];
  }
}
