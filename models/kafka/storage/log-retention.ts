// A broker's log retention and log cleaner: every log.retention.check.interval.ms, for each of
// its replicas, delete-policy topics drop closed segments older than retention.ms or beyond
// retention.bytes (moving the log start offset, so a consumer behind it gets OFFSET_OUT_OF_RANGE
// and resets per auto.offset.reset), and compact-policy topics keep only the last record per key
// in the closed segments below the high watermark (as Kafka's LogCleaner does for
// __consumer_offsets). Each replica cleans its own log, as each broker runs its own cleaner.
//
// Segments: records carry no bytes, so a segment holds floor(segment.bytes / record size)
// records (the largest producer record size, or OFFSETS_RECORD_BYTES for __consumer_offsets);
// segment k spans offsets [k*n, (k+1)*n); the last one is the active segment and is never
// deleted or cleaned. Only segments wholly below the high watermark are deleted (Kafka's
// deletable-segment upper bound).
//
// Simplifications: a deleted record stays in memory (PartitionLog.records is indexed by offset)
// but is unreadable below logStartOffset; followers do not adopt the leader's log start offset
// from fetch responses, they apply the same rules to the same record timestamps; a compacted
// record stays in place as a copy with a negative id (-1 - id) and its batch metadata, so offsets
// and leader epochs are unchanged; min.cleanable.dirty.ratio is ignored (any dirty closed segment
// is cleaned) and tombstones are not modelled (commits never delete).

import type { NodeContext } from '../../../src/sim/model.ts';
import type { Broker } from '../broker/broker.ts';
import type { KafkaMessage } from '../messages.ts';
import { OFFSETS_RECORD_BYTES } from '../group/offsets-topic.ts';
import type { LogRecord } from './partition-log.ts';
import { LOG_RETENTION_CHECK, type KafkaTimer } from '../timers.ts';

type Ctx = NodeContext<KafkaMessage, KafkaTimer>;

interface RetentionRule {
  partition: number;
  compact: boolean;
  retentionUs: number;
  retentionBytes: number;
  recordBytes: number;
  segmentRecords: number;
}

export class LogCleaner {
  private readonly rules: RetentionRule[] = [];
  private readonly intervalUs: number;

  constructor(private readonly broker: Broker) {
    const world = broker.world;
    this.intervalUs = (world.scenario.brokerConfig['log.retention.check.interval.ms'] ?? 300000) * 1000;
    for (const p of world.layout.partitionsOfBroker[broker.index]) {
      const info = world.layout.partitions[p];
      const c = info.topic.config;
      const compact = c['log.cleanup.policy'] === 'compact';
      const retentionMs = c['log.retention.ms'] ?? 604800000;
      const retentionBytes = c['log.retention.bytes'] ?? -1;
      // Nothing to do within the run: keep the partition off the list.
      if (!compact && (retentionMs < 0 || retentionMs * 1000 > world.durationUs) && retentionBytes < 0) continue;
      const recordBytes = info.internal ? OFFSETS_RECORD_BYTES : world.maxRecordBytes;
      this.rules.push({
        partition: p,
        compact,
        retentionUs: retentionMs < 0 ? -1 : retentionMs * 1000,
        retentionBytes,
        recordBytes,
        segmentRecords: Math.max(1, Math.floor((c['log.segment.bytes'] ?? 1073741824) / recordBytes)),
      });
    }
  }

  /** Whether this broker has any partition to clean within the run. */
  get active(): boolean {
    return this.rules.length > 0;
  }

  onStart(ctx: Ctx): void {
    if (this.rules.length > 0) ctx.setTimer(this.intervalUs, LOG_RETENTION_CHECK);
  }

  onCheck(ctx: Ctx): void {
    ctx.setTimer(this.intervalUs, LOG_RETENTION_CHECK);
    for (const rule of this.rules) {
      if (rule.compact) this.compact(ctx, rule);
      else this.deleteOldSegments(ctx, rule);
    }
  }

  private activeSegmentBase(rule: RetentionRule, logEndOffset: number): number {
    return logEndOffset === 0 ? 0 : Math.floor((logEndOffset - 1) / rule.segmentRecords) * rule.segmentRecords;
  }

  private deleteOldSegments(ctx: Ctx, rule: RetentionRule): void {
    const log = this.broker.logs[rule.partition]!;
    const leo = log.logEndOffset;
    const activeBase = this.activeSegmentBase(rule, leo);
    let start = log.logStartOffset;
    while (start < activeBase) {
      const segmentEnd = (Math.floor(start / rule.segmentRecords) + 1) * rule.segmentRecords;
      if (segmentEnd > log.highWatermark) break;
      const byTime = rule.retentionUs >= 0 && ctx.nowUs - log.records[segmentEnd - 1].appendUs > rule.retentionUs;
      const byBytes = rule.retentionBytes >= 0 && (leo - segmentEnd) * rule.recordBytes >= rule.retentionBytes;
      if (!byTime && !byBytes) break;
      start = segmentEnd;
    }
    if (start === log.logStartOffset) return;
    log.logStartOffset = start;
    this.broker.world.stats.retentionDeletes++;
    ctx.emit({ type: 'retention', partition: this.broker.world.layout.partitions[rule.partition].name, logStartOffset: start });
  }

  private keyOf(rule: RetentionRule, id: number): string | null {
    const world = this.broker.world;
    if (world.layout.partitions[rule.partition].internal) {
      const rec = world.offsetsRecords.get(id);
      if (rec === undefined) throw new Error(`__consumer_offsets record ${id} has no payload`);
      return rec.key;
    }
    return world.recordKeys?.get(id) ?? null;
  }

  private compact(ctx: Ctx, rule: RetentionRule): void {
    const log = this.broker.logs[rule.partition]!;
    const cleanableEnd = Math.min(this.activeSegmentBase(rule, log.logEndOffset), log.highWatermark);
    if (cleanableEnd <= log.logStartOffset) return;
    const records = log.records;
    const lastOffsetOfKey = new Map<string, number>();
    for (let o = log.logStartOffset; o < cleanableEnd; o++) {
      const id = records[o].id;
      if (id < 0) continue;
      const key = this.keyOf(rule, id);
      if (key !== null) lastOffsetOfKey.set(key, o);
    }
    let removed = 0;
    for (let o = log.logStartOffset; o < cleanableEnd; o++) {
      const rec = records[o];
      if (rec.id < 0) continue;
      const key = this.keyOf(rule, rec.id);
      if (key === null || lastOffsetOfKey.get(key)! <= o) continue;
      records[o] = compactedCopy(rec);
      removed++;
    }
    if (removed === 0) return;
    this.broker.world.stats.recordsCompacted += removed;
    ctx.emit({ type: 'compaction', partition: this.broker.world.layout.partitions[rule.partition].name, cleanedTo: cleanableEnd, removed });
  }
}

/** A record the cleaner removed: same offset, epoch and batch metadata, id -1 - original id. */
function compactedCopy(rec: LogRecord): LogRecord {
  return {
    id: -1 - rec.id,
    epoch: rec.epoch,
    producerId: rec.producerId,
    producerEpoch: rec.producerEpoch,
    sequence: rec.sequence,
    batchSize: rec.batchSize,
    appendUs: rec.appendUs,
  };
}
