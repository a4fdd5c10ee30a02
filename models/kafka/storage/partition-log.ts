// One replica's log of one partition (Kafka's UnifiedLog with its LeaderEpochFileCache): the
// records (records[offset]), the log end offset (LEO), the high watermark (HW), the log start
// offset, the leader-epoch cache (epoch -> start offset, what OffsetsForLeaderEpoch answers from),
// the flushed offset (what is on disk and survives a power loss), Kafka's recovery point (what
// Kafka itself fsynced, which log.flush.interval.messages counts from), when its active segment's
// pages went dirty in the OS page cache (storage/page-cache.ts), and the high-watermark checkpoint
// (replica.high.watermark.checkpoint.interval.ms: the HW as last written to disk, what a restarted
// broker starts from).
//
// Records reach the disk three ways: an fsync by the flush policy (log.flush.interval.*; Kafka's
// UnifiedLog.flush), the fsync of the closed segment when the log rolls a new one
// (UnifiedLog.roll schedules flushUptoOffsetExclusive(newSegment.baseOffset)), and the kernel
// flusher writing back the active segment once its dirty pages are old enough (the page cache's
// catch-up calls writeBackIfDirtiedBy). The active segment is one file, so the flusher writes it
// back whole, and a log with no dirty pages is wholly on disk (flushed offset = LEO).
//
// This class is the only writer of those fields; everything else reads them through getters and
// changes them through the methods below, each of which asserts the log's structural invariants
// as Kafka's UnifiedLog does: 0 <= log start <= HW <= LEO, recovery point <= flushed offset <= LEO,
// a log with no dirty pages flushed to its LEO, the checkpoint never past the LEO, epoch-cache
// entries increasing in epoch and never decreasing in start offset, appends contiguous at the LEO. A failed assertion is a ksim bug (ModelAssertionError).
// Replication properties (HW against the ISR, divergence between replicas) are the checkers'
// business, not asserted here: the bug zoo breaks them on purpose.
//
// Records live once, in the run's LogRecordStore (storage/log-record-store.ts); a log holds their
// refs (4 bytes a record) in a chunked column (src/sim/chunked-column.ts: it never copies as the
// log grows, and hands out views that keep what they were given), and a follower appends the very
// refs the leader's fetch response carried, so replication copies refs, not records.
//
// Retention and compaction (log-manager.ts, log-cleaner.ts) move the log start offset and replace
// cleaned records in place; records stay indexed by offset (deleted ones below the log start offset).
// A log started past its end (truncateFullyAndStartAt) holds gap entries below its new start.
// Simplification: an instance-store broker that lost its disk starts again from an empty log at 0.

import { ModelAssertionError } from '../../../src/sim/model-assertion-error.ts';
import type { ProtocolFeatures } from '../version/protocol-features.ts';
import type { DirtyInode, PageCache } from './page-cache.ts';
import { LogRecordStore, MemoryRecords, type LogRecord } from './log-record-store.ts';
import { SharedInt32Column } from '../../../src/sim/chunked-column.ts';
import { LogSegments } from './log-segments.ts';
import { keepAsDoubles } from '../../../src/sim/double-fields.ts';

/** OffsetsForLeaderEpoch's answer: the largest epoch <= the requested one and where it ends. */
interface EpochEndOffset {
  epoch: number;
  endOffset: number;
}

export const UNDEFINED_EPOCH = -1;
/** OffsetsForLeaderEpoch's "no such epoch" end offset (EpochEndOffset.UNDEFINED_EPOCH_OFFSET). */
export const UNDEFINED_EPOCH_OFFSET = -1;

/** The broker software's LeaderEpochFileCache rules (version/protocol-features.ts; the broker's own object, so an upgrade applies at once). */
type EpochCacheRules = Pick<ProtocolFeatures, 'epochCacheAnswersOlderEpochs'>;
const CURRENT_KAFKA_EPOCH_CACHE: EpochCacheRules = { epochCacheAnswersOlderEpochs: true };
/** Whether the broker writes message format v2 (version/message-format.ts; the broker's own object, so a rolling restart raising it applies at once). */
type RecordFormat = { readonly v2: boolean };
const FORMAT_V2: RecordFormat = { v2: true };

export class PartitionLog implements DirtyInode {
  /** Refs (rows of store) of the records by offset, [0, leo). */
  private readonly refs = new SharedInt32Column(16);
  private leo = 0;
  private startOffset = 0;
  private hw = 0;
  private hwCheckpoint = 0;
  private flushed = 0;
  private recoveryPointOffset = 0;
  private lastFlushAtUs = 0;
  /** When the fsync in progress completes (-1: none); until then a power loss keeps only flushedBeforeSync. */
  private syncDoneUs = -1;
  private flushedBeforeSync = 0;
  /** Linux's dirtied_when of the active segment's file; -1 while it has no dirty pages. */
  private dirtiedAt = -1;
  /** Leader-epoch cache: epochs strictly ascending, start offsets ascending. */
  private readonly epochs: number[] = [];
  private readonly epochStarts: number[] = [];
  /**
   * Counts changes to the records, LEO, HW and log start offset, in changeCounts[changeSlot]: a
   * broker's logs and partition leaders count in one array (ReplicaManager.changeStamps), which a
   * leader's fetch session reads to skip a partition where nothing changed (broker/fetch-session.ts).
   */
  private changeCounts: Float64Array = new Float64Array(1);
  private changeSlot = 0;

  /**
   * pageCache: the OS page cache of the broker's log disk, whose flusher writes this log back; null
   * for a log that is written back only by fsync (unit tests of other classes). store: the run's
   * record store, shared by every log of the run (a log of its own in unit tests).
   */
  constructor(
    private readonly pageCache: PageCache | null = null,
    readonly store: LogRecordStore = new LogRecordStore(),
    private readonly epochCache: EpochCacheRules = CURRENT_KAFKA_EPOCH_CACHE,
    /** Where the log is cut into segments (one endless segment unless LogManager sets its rules). */
    readonly segments: LogSegments = new LogSegments(),
    /** Without v2 the log caches no leader epochs (Log.initializeLeaderEpochCache from KAFKA-7897; Log.append assigns v2 batches only). */
    private readonly format: RecordFormat = FORMAT_V2,
  ) {
    pageCache?.register(this);
    keepAsDoubles(this, ['hw', 'hwCheckpoint', 'lastFlushAtUs', 'syncDoneUs', 'dirtiedAt']); // times and the HW arrive as doubles
  }

  get logEndOffset(): number { return this.leo; }

  /** From now on this log counts its changes in counts[slot] (see changeCounts), starting with one now. */
  countChangesIn(counts: Float64Array, slot: number): void {
    this.changeCounts = counts;
    this.changeSlot = slot;
    counts[slot]++;
  }

  /** The store row of the record at `offset` (< LEO; below logStartOffset: deleted, kept for the end-of-run analysis). */
  refAt(offset: number): number { return this.refs.get(offset); }

  /** Run-wide id of the record at `offset` (negative: compacted away, -1 - id). */
  idAt(offset: number): number { return this.store.id(this.refs.get(offset)); }

  /** Leader epoch of the record at `offset`. */
  epochAt(offset: number): number { return this.store.epoch(this.refs.get(offset)); }

  /** When the record at `offset` was appended by its leader. */
  appendUsAt(offset: number): number { return this.store.appendUs(this.refs.get(offset)); }

  /** The records at [from, to) as a fetch response carries them (a view: what they hold never changes). */
  read(from: number, to: number): MemoryRecords {
    if (to <= from) return MemoryRecords.EMPTY;
    return new MemoryRecords(this.store, this.refs.view(from, to));
  }

  /** Whether the log holds message format v2 batches (else each record is its own entry: record-batches.ts). */
  get batched(): boolean { return this.format.v2; }

  /** Every record from offset 0 as objects (tests and other rare whole-log readers). */
  readAll(): LogRecord[] {
    return this.read(0, this.leo).toArray();
  }

  private push(ref: number): void {
    this.refs.push(ref);
    this.leo++;
    this.changeCounts[this.changeSlot]++;
  }

  get logStartOffset(): number { return this.startOffset; }

  get highWatermark(): number { return this.hw; }

  /** The HW as last checkpointed to disk. */
  get highWatermarkCheckpoint(): number { return this.hwCheckpoint; }

  /** Records below this offset are on disk and survive a power loss. */
  get flushedOffset(): number { return this.flushed; }

  /** Kafka's recovery point: records below it were fsynced by Kafka (flush policy, segment roll). */
  get recoveryPoint(): number { return this.recoveryPointOffset; }

  /** When Kafka last fsynced this log (UnifiedLog.lastFlushTime; the OS writing back does not count). */
  get lastFlushUs(): number { return this.lastFlushAtUs; }

  /** When the active segment's pages went dirty (Linux's dirtied_when), or -1 while none is dirty. */
  get dirtiedAtUs(): number { return this.dirtiedAt; }

  latestEpoch(): number {
    const n = this.epochs.length;
    return n === 0 ? UNDEFINED_EPOCH : this.epochs[n - 1];
  }

  /**
   * Kafka's LeaderEpochFileCache.assign: epoch starts at startOffset.
   * - From Kafka 2.1 (KAFKA-7415, LeaderEpochFileCache.truncateAndAppend; maybeTruncateNonMonotonicEntries
   *   today) the cache stays monotonic: an entry is added unless it is the latest epoch again at the
   *   same or a later offset, and the entries it conflicts with (an epoch not older, or a start not
   *   earlier) are removed first. So a follower that led an epoch from an empty log, then fetched
   *   records of an older epoch at that offset, caches the older epoch only, as its log says.
   * - Before, an epoch not newer than the latest cached one (or starting before it) was ignored, so a
   *   log could hold records of an older epoch after a newer entry, as logs did before KIP-279.
   */
  maybeAssignEpochStartOffset(epoch: number, startOffset: number): void {
    if (!this.format.v2) return; // message format v0/v1: no epochs to cache
    if (epoch < 0 || startOffset < 0 || startOffset > this.leo)
      throw new ModelAssertionError(`epoch entry (${epoch}, ${startOffset}) invalid for a log ending at ${this.leo}`);
    const n = this.epochs.length;
    if (!this.epochCache.epochCacheAnswersOlderEpochs) {
      if (n > 0 && (epoch <= this.epochs[n - 1] || startOffset < this.epochStarts[n - 1])) return;
    } else {
      if (n > 0 && epoch === this.epochs[n - 1] && startOffset >= this.epochStarts[n - 1]) return;
      while (this.epochs.length > 0 && (this.epochs[this.epochs.length - 1] >= epoch || this.epochStarts[this.epochStarts.length - 1] >= startOffset)) {
        this.epochs.pop();
        this.epochStarts.pop();
      }
    }
    this.epochs.push(epoch);
    this.epochStarts.push(startOffset);
  }

  /** Appends one record at the LEO, as the leader does, at rec.appendUs (the leader's clock, now). */
  appendAsLeader(rec: LogRecord): void {
    this.pageCache?.catchUp(rec.appendUs);
    this.maybeAssignEpochStartOffset(rec.epoch, this.leo);
    this.push(this.store.add(rec));
    this.markDirty(rec.appendUs);
  }

  /**
   * Appends records[from, to) fetched from the leader at nowUs from baseOffset, the LEO (else Kafka's UnexpectedAppendOffsetException).
   * A gap entry caches no epoch: no batch is there (Kafka's leader serves the next one, whose base offset its epoch starts at).
   */
  appendAsFollower(baseOffset: number, records: MemoryRecords, from: number, to: number, nowUs: number): void {
    if (baseOffset !== this.leo) throw new ModelAssertionError(`follower append at offset ${baseOffset}, but the log ends at ${this.leo}`);
    if (to <= from) return;
    this.pageCache?.catchUp(nowUs);
    // Logs of one run share one store; a log of a unit test may have its own, then rows are copied.
    const shared = records.store === this.store;
    for (let i = from; i < to; i++) {
      const ref = records.ref(i);
      if (!records.store!.isGap(ref)) this.maybeAssignEpochStartOffset(records.store!.epoch(ref), this.leo);
      this.push(shared ? ref : this.store.add(records.store!.record(ref)));
    }
    // A replica in sync holds the leader's very refs: it keeps the leader's full chunks rather
    // than copies (copy-on-write, src/sim/chunked-column.ts), about 8 bytes a record of RF 3.
    if (shared) this.refs.adopt(records.refs, from, baseOffset, to - from);
    this.markDirty(nowUs);
  }

  /** Writing to a clean file stamps its dirtied_when and may wake the flusher (__mark_inode_dirty). */
  private markDirty(nowUs: number): void {
    if (this.dirtiedAt >= 0) return;
    this.dirtiedAt = nowUs;
    this.pageCache?.inodeDirtied(nowUs);
  }

  /**
   * Kafka's UnifiedLog.updateHighWatermark: sets the HW, bounded below by the log start offset
   * and above by the LEO (a restarted broker starting from its checkpoint).
   */
  updateHighWatermark(hw: number): number {
    this.hw = hw < this.startOffset ? this.startOffset : hw > this.leo ? this.leo : hw;
    this.changeCounts[this.changeSlot]++;
    this.checkOffsets('updateHighWatermark');
    return this.hw;
  }

  /**
   * Kafka's UnifiedLog.maybeIncrementHighWatermark: moves the HW forward only. An HW past the LEO
   * is a bug in the caller. Returns whether the HW moved.
   */
  maybeIncrementHighWatermark(hw: number): boolean {
    if (hw > this.leo) throw new ModelAssertionError(`high watermark ${hw} past the log end offset ${this.leo}`);
    if (hw <= this.hw) return false;
    this.hw = hw;
    this.changeCounts[this.changeSlot]++;
    return true;
  }

  /** Retention: deletes records below offset, which may not pass the HW. Returns whether it moved. */
  maybeIncrementLogStartOffset(offset: number): boolean {
    if (offset > this.hw) throw new ModelAssertionError(`log start offset ${offset} past the high watermark ${this.hw}`);
    if (offset <= this.startOffset) return false;
    this.startOffset = offset;
    this.segments.deleteBelow(offset);
    this.changeCounts[this.changeSlot]++;
    return true;
  }

  /**
   * The log cleaner replaces a record below the HW by its cleaned copy: same offset, same epoch
   * (compaction never moves offsets or rewrites history above what is committed).
   */
  replaceWithCleanedRecord(offset: number): void {
    if (offset < this.startOffset || offset >= this.hw)
      throw new ModelAssertionError(`cleaning offset ${offset} outside [${this.startOffset}, ${this.hw})`);
    if (this.idAt(offset) < 0) throw new ModelAssertionError(`cleaning offset ${offset} again`);
    // A view handed out before keeps the original (the column copies the chunk first).
    this.refs.set(offset, LogRecordStore.cleanedCopy(this.refs.get(offset)));
    this.changeCounts[this.changeSlot]++;
  }

  /**
   * Removes records at offsets >= offset; returns their ids. Epoch entries starting there go too. cutOffset < offset: offset is
   * inside a batch starting at cutOffset (record-batches.ts); Kafka cuts the segment at the batch's start (LogSegment.truncateTo)
   * yet sets the LEO to offset (Log.truncateTo: updateLogEndOffset), so [cutOffset, offset) holds gaps (LogRecordStore.addGap).
   */
  truncateTo(offset: number, cutOffset = offset): number[] {
    const leo = this.leo;
    if (offset < 0 || cutOffset > offset || (cutOffset < offset && cutOffset < this.startOffset)) throw new ModelAssertionError(`truncate to ${offset} cut at ${cutOffset}`);
    if (offset >= leo) return [];
    this.changeCounts[this.changeSlot]++;
    const removed = new Array<number>(leo - cutOffset);
    for (let i = cutOffset; i < leo; i++) removed[i - cutOffset] = this.idAt(i);
    const gap = Array.from({ length: offset - cutOffset }, (_, i) => this.store.addGap(this.refs.get(cutOffset + i)));
    this.refs.truncate(cutOffset); // the slots will be written again; views handed out keep what they hold
    for (const ref of gap) this.refs.push(ref);
    this.segments.truncateTo(offset);
    this.leo = offset;
    this.truncateEpochsFrom(offset);
    if (this.hw > offset) this.hw = offset;
    if (this.flushed > offset) this.flushed = offset;
    if (this.recoveryPointOffset > offset) this.recoveryPointOffset = offset;
    if (this.hwCheckpoint > offset) this.hwCheckpoint = offset;
    // Truncating below the log start (truncateFullyAndStartAt) starts the log there.
    if (this.startOffset > offset) this.startOffset = offset;
    this.checkOffsets('truncateTo');
    return removed;
  }

  /**
   * Kafka's UnifiedLog.truncateFullyAndStartAt: every segment and epoch entry deleted, an empty log
   * starting at `offset` (HW and log start there), below its end or past it ([LEO, offset) then
   * reads as gap entries, below the log start). Returns the ids of the records it held from its start.
   */
  truncateFullyAndStartAt(offset: number, nowUs: number): number[] {
    if (offset < 0) throw new ModelAssertionError(`log started again at ${offset}`);
    const removed: number[] = [];
    for (let i = this.startOffset; i < this.leo; i++) if (this.idAt(i) >= 0) removed.push(this.idAt(i));
    if (offset < this.leo) this.refs.truncate(offset);
    const gap = offset > this.leo ? this.store.addEmpty(nowUs) : 0;
    for (let i = this.refs.length; i < offset; i++) this.refs.push(gap);
    this.leo = this.startOffset = this.hw = this.flushed = offset;
    this.recoveryPointOffset = Math.min(this.recoveryPointOffset, offset);
    this.hwCheckpoint = Math.min(this.hwCheckpoint, offset);
    this.syncDoneUs = this.dirtiedAt = -1; // an empty new segment: nothing to write back
    this.epochs.length = this.epochStarts.length = 0;
    this.segments.startAt(offset);
    this.changeCounts[this.changeSlot]++;
    this.checkOffsets('truncateFullyAndStartAt');
    return removed;
  }

  /** KAFKA-10706 (2.8, Log.truncateTo at or past the LEO): an epoch entry at the LEO (an epoch led without an append) goes. */
  truncateEpochsAtEnd(): void { this.truncateEpochsFrom(this.leo); }

  private truncateEpochsFrom(offset: number): void {
    let n = this.epochs.length;
    while (n > 0 && this.epochStarts[n - 1] >= offset) n--;
    this.epochs.length = n;
    this.epochStarts.length = n;
  }

  /**
   * The largest cached epoch <= requested and the offset where it ends (the next epoch's start, or
   * the LEO for the latest epoch): Kafka's LeaderEpochFileCache.endOffsetFor. From Kafka 2.1
   * (`olderEpochsAnswered`, KAFKA-7415) a requested epoch older than every cached one ends at the
   * first cached epoch's start offset, named as the epoch asked about. Before it (0.11.0.0 to
   * 2.0.0: `subsequentEpochs.isEmpty || requestedEpoch < epochs.head.epoch`) every epoch but the
   * latest one that is not between two cached ones is answered UNDEFINED_EPOCH_OFFSET: an empty
   * cache, an epoch older than the first entry, one newer than the latest. UNDEFINED_EPOCH asked of
   * an empty cache (`undefinedAskedOfNoEpochsIsLatest`, 0.11-1.1: `requestedEpoch == latestEpoch`,
   * both undefined, answers the LEO; 2.0 answers an undefined request UNDEFINED_EPOCH_OFFSET first).
   */
  endOffsetForEpoch(requested: number, olderEpochsAnswered = true, undefinedAskedOfNoEpochsIsLatest = false): EpochEndOffset {
    const n = this.epochs.length;
    if (undefinedAskedOfNoEpochsIsLatest && n === 0 && requested === UNDEFINED_EPOCH) return { epoch: UNDEFINED_EPOCH, endOffset: this.logEndOffset };
    if (!olderEpochsAnswered && (n === 0 || requested < this.epochs[0] || requested > this.epochs[n - 1])) return { epoch: UNDEFINED_EPOCH, endOffset: UNDEFINED_EPOCH_OFFSET };
    if (n === 0 || requested === UNDEFINED_EPOCH) return { epoch: UNDEFINED_EPOCH, endOffset: this.logEndOffset };
    if (requested >= this.epochs[n - 1]) return { epoch: this.epochs[n - 1], endOffset: this.logEndOffset };
    let i = n - 1;
    while (i >= 0 && this.epochs[i] > requested) i--;
    if (i < 0) return { epoch: requested, endOffset: this.epochStarts[0] };
    return { epoch: this.epochs[i], endOffset: this.epochStarts[i + 1] };
  }

  /**
   * fsync: everything appended so far survives a power loss. The file keeps its dirtied_when: an
   * fsync writes the pages but leaves the inode on the flusher's dirty list (ext4 in its default
   * journalled mode and XFS do not clean the inode's list entry on fsync), so the flusher still
   * writes the file back whole when that time expires. An fsync taking fsyncUs makes the records
   * durable only when it completes: a power loss before then keeps what was durable before it.
   */
  flush(nowUs: number, fsyncUs = 0): void {
    if (fsyncUs > 0) {
      // a second fsync begun before the first completed: durable is still what preceded the first
      if (this.syncDoneUs <= nowUs) this.flushedBeforeSync = this.flushed;
      this.syncDoneUs = nowUs + fsyncUs;
    } else this.syncDoneUs = -1;
    this.flushed = this.leo;
    this.recoveryPointOffset = this.flushed;
    this.lastFlushAtUs = nowUs;
  }

  /** The process loaded this log at nowUs (a start or restart): Kafka's LocalLog starts its lastFlushedTime then. */
  loaded(nowUs: number): void {
    this.lastFlushAtUs = nowUs;
  }

  /**
   * The log rolled at nowUs to a new active segment starting at baseOffset, written by the append
   * that rolled it: Kafka fsyncs everything below baseOffset (UnifiedLog.roll), and the new segment
   * is a new file, dirty since this append.
   */
  rollSegment(baseOffset: number, nowUs: number): void {
    if (baseOffset > this.leo || baseOffset < this.recoveryPointOffset)
      throw new ModelAssertionError(`segment roll at ${baseOffset} outside [recovery point ${this.recoveryPointOffset}, LEO ${this.leo}]`);
    this.recoveryPointOffset = baseOffset;
    if (this.flushed < baseOffset) this.flushed = baseOffset;
    this.lastFlushAtUs = nowUs;
    if (baseOffset === this.leo) {
      this.dirtiedAt = -1;
      return;
    }
    this.dirtiedAt = nowUs;
    this.pageCache?.inodeDirtied(nowUs);
  }

  /** The flusher's pass: an active segment dirtied at or before dirtiedBeforeUs is written back whole. */
  writeBackIfDirtiedBy(dirtiedBeforeUs: number): void {
    if (this.dirtiedAt < 0 || this.dirtiedAt > dirtiedBeforeUs) return;
    this.flushed = this.leo;
    this.syncDoneUs = -1; // written back: durable whether the fsync in progress completes or not
    this.dirtiedAt = -1;
  }

  /** Writes the current HW to the checkpoint file. */
  checkpointHighWatermark(): void {
    this.hwCheckpoint = this.hw;
  }

  /** Power loss: the page cache is gone, records after the flushed offset with it. */
  loseUnflushed(nowUs: number): number[] {
    // an fsync still in progress made nothing durable
    if (this.syncDoneUs > nowUs) this.flushed = Math.min(this.flushed, this.flushedBeforeSync);
    this.syncDoneUs = -1;
    this.dirtiedAt = -1;
    return this.truncateTo(this.flushed);
  }

  /** Instance-store disk loss: nothing of the log or its checkpoints remains. */
  loseAll(): number[] {
    this.dirtiedAt = -1;
    const removed = this.truncateTo(0);
    this.changeCounts[this.changeSlot]++;
    this.epochs.length = 0;
    this.epochStarts.length = 0;
    this.hw = 0;
    this.hwCheckpoint = 0;
    this.flushed = 0;
    this.recoveryPointOffset = 0;
    this.startOffset = 0;
    return removed;
  }

  private checkOffsets(operation: string): void {
    const leo = this.leo;
    const flushedOk = this.recoveryPointOffset <= this.flushed && this.flushed <= leo && (this.dirtiedAt >= 0 || this.flushed === leo);
    if (this.startOffset < 0 || this.startOffset > this.hw || this.hw > leo || this.hwCheckpoint > leo || !flushedOk)
      throw new ModelAssertionError(
        `after ${operation}: log start ${this.startOffset}, HW ${this.hw}, LEO ${leo}, recovery point ${this.recoveryPointOffset}, flushed ${this.flushed}, HW checkpoint ${this.hwCheckpoint}, dirtied at ${this.dirtiedAt} us`,
      );
  }
}
