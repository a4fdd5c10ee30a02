// key-partition: a producer's records with the same key landed in more than one partition of a
// topic. With the default partitioner a keyed record goes to murmur2(key) mod the partition count,
// and the partition count of a topic never changes in a run, so every record of a key stays in one
// partition: the per-key order consumers rely on. Two ways to break it, both checked:
// - at send time (every `send` event): the partition a producer chose for a key differs from the one
//   it chose for that key before;
// - at the end, in the final logs of every replica: a record sits in a partition other than the one
//   it was sent to (a misrouted append).
// Always a breach, except where a create-partitions grew the topic: murmur2(key) mod the new count
// sends a key elsewhere once the producer's metadata shows the new partitions (Kafka's documented
// cost of adding partitions), so a key may move once for each time its topic grew, and gets a new
// home. Counted, not timed: the producer sees the growth at its next metadata refresh, which may
// come after the key's first send even when the topic grew before it (a create-partitions at the
// start of the run). Null keys (the sticky partitioner spreads them by design) are not checked.
//
// Cost: one map lookup per send; at the end, linear in the total length of the final logs.

import type { Checker, RunView } from '../../../src/check/checker.ts';
import type { ModelEvent, Violation } from '../../../src/sim/model.ts';
import { formatTimeUs, type TimeUs } from '../../../src/sim/time.ts';
import type { KafkaRunAnalysis } from '../analysis/kafka-run-analysis.ts';
import { parsePartitionName } from '../analysis/partition-name.ts';
import type { KafkaEvent, KafkaEventType } from '../kafka-events.ts';
import { groupFindings, groupViolation, RECORDS_NAMED_MAX, type ClassifiedFinding } from './grouped-violations.ts';
import { plural, recordName } from './kafka-terms.ts';

interface KeyPartitionFinding {
  /** The partition the finding is reported under: where the record went (or was found). */
  partition: string;
  record: number;
  producer: string;
  key: string | null;
  /** Where the key went first (send check) or where the record was sent (log check). */
  expected: string;
  timeUs: TimeUs;
  kind: 'key-moved' | 'misrouted';
  broker?: string;
}

interface KeyHome {
  partition: string;
  record: number;
  /** Times the key moved to a new home after its topic grew. */
  moves: number;
}

export class KeyPartitionChecker implements Checker {
  readonly name = 'key-partition';
  /** What onEvent reads (the kernel dispatches by type). */
  readonly eventTypes: readonly KafkaEventType[] = ['send', 'operation'];
  /**
   * Producer -> topic -> key -> its home. Nested rather than one map by a joined string: a key
   * built per send is a fresh string to hash for every lookup.
   */
  private readonly homes = new Map<string, Map<string, Map<string, KeyHome>>>();
  private readonly moved: KeyPartitionFinding[] = [];
  /** Partition name -> its topic (parsed once per partition, not per send). */
  private readonly topicOf = new Map<string, string>();
  /** Topic -> how many create-partitions grew it so far. */
  private readonly growths = new Map<string, number>();

  /** Reads the shared analysis for the log check; send events it watches itself. */
  constructor(private readonly analysis: KafkaRunAnalysis) {}

  onEvent(timeUs: TimeUs, _node: number, modelEvent: ModelEvent): void {
    const ev = modelEvent as unknown as KafkaEvent;
    if (ev.type === 'operation' && ev.operation === 'create-partitions' && ev.error === null && ev.topic !== null) this.growths.set(ev.topic, (this.growths.get(ev.topic) ?? 0) + 1);
    if (ev.type !== 'send' || ev.key === null) return;
    let topic = this.topicOf.get(ev.partition);
    if (topic === undefined) this.topicOf.set(ev.partition, (topic = parsePartitionName(ev.partition).topic));
    let byTopic = this.homes.get(ev.producer);
    if (byTopic === undefined) this.homes.set(ev.producer, (byTopic = new Map()));
    let homes = byTopic.get(topic);
    if (homes === undefined) byTopic.set(topic, (homes = new Map()));
    const home = homes.get(ev.key);
    if (home === undefined) {
      homes.set(ev.key, { partition: ev.partition, record: ev.record, moves: 0 });
      return;
    }
    if (home.partition !== ev.partition && home.moves < (this.growths.get(topic) ?? 0)) {
      homes.set(ev.key, { partition: ev.partition, record: ev.record, moves: home.moves + 1 });
      return;
    }
    if (home.partition === ev.partition) return;
    this.moved.push({
      partition: ev.partition,
      record: ev.record,
      producer: ev.producer,
      key: ev.key,
      expected: home.partition,
      timeUs,
      kind: 'key-moved',
    });
  }

  /** Why a move is a breach: the count never changed, or the key moved more often than the topic grew. */
  private growthReason(topic: string): string {
    const n = this.growths.get(topic) ?? 0;
    if (n === 0) return `the partition count of ${topic} never changed, so a key maps to one partition`;
    return `${topic} grew ${n === 1 ? 'once' : `${n} times`} (create-partitions), so a key may move to a new partition at most ${n === 1 ? 'once' : `${n} times`}`;
  }

  finish(run: RunView): Violation[] {
    const findings = this.analysis.conclude(run);
    const all = [...this.moved];
    if (findings.final) {
      for (const state of findings.final.partitions) {
        const seen = new Set<number>();
        const records = this.analysis.history.records;
        for (const log of state.logs)
          for (const id of log.records) {
            // the columns first: a snapshot (get) only for a misrouted record
            if (!records.has(id) || records.partition(id) === state.partition || seen.has(id)) continue;
            const r = records.get(id)!;
            seen.add(id);
            all.push({ partition: state.partition, record: id, producer: r.producer, key: null, expected: r.partition, timeUs: r.sendUs, kind: 'misrouted', broker: log.broker });
          }
      }
    }
    const classified = all.map(
      (f): ClassifiedFinding<KeyPartitionFinding> => ({
        partition: f.partition,
        classification: 'breach',
        reason: this.growthReason(parsePartitionName(f.partition).topic),
        item: f,
      }),
    );
    return groupFindings(classified).map((group) => {
      const items = group.items;
      const named = items.slice(0, RECORDS_NAMED_MAX).map((f) => recordName(f.record));
      const more = items.length > named.length ? `, and ${items.length - named.length} more` : '';
      const first = items[0];
      const why =
        first.kind === 'key-moved'
          ? `${first.producer} sent ${recordName(first.record)} with key "${first.key}" to ${first.partition} at ${formatTimeUs(first.timeUs)}, but that key went to ${first.expected} before`
          : `${recordName(first.record)} was sent by ${first.producer} to ${first.expected} but ${first.broker} holds it in ${first.partition}`;
      const body = `${plural(items.length, 'record')} in ${group.partition} away from their key's partition: ${named.join(', ')}${more}. ${why}`;
      return groupViolation(this.name, group, body, { records: items.slice(0, RECORDS_NAMED_MAX).map((f) => f.record) });
    });
  }
}
