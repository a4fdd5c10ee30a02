// One replica's log of one partition: the records (offset = logStartOffset + position), the log
// end offset (LEO), the high watermark (HW), the leader-epoch cache (epoch -> start offset, what
// OffsetsForLeaderEpoch answers from), the flushed offset (what survives a power loss) and the
// high-watermark checkpoint (replica.high.watermark.checkpoint.interval.ms: the HW as last written
// to disk, what a restarted broker starts from).
//
// Records are immutable objects shared between replicas (a follower appends the very objects the
// leader's fetch response carried), so replication copies references, not data.
//
// Retention and compaction (log-retention.ts) move logStartOffset and replace compacted records in
// place; records stay indexed by offset (records[offset]), deleted ones unreadable below
// logStartOffset. Simplification: an instance-store broker that lost its disk starts again from an
// empty log at offset 0.

/** A record as stored: its run-wide id and the batch metadata idempotence needs. */
export interface LogRecord {
  readonly id: number;
  /** Leader epoch of the leader that appended it. */
  readonly epoch: number;
  /** -1: not from an idempotent producer. */
  readonly producerId: number;
  readonly producerEpoch: number;
  readonly sequence: number;
  /** Records of one producer batch are contiguous; the first carries the batch size. */
  readonly batchSize: number;
  readonly appendUs: number;
}

/** OffsetsForLeaderEpoch's answer: the largest epoch <= the requested one and where it ends. */
export interface EpochEndOffset {
  epoch: number;
  endOffset: number;
}

export const UNDEFINED_EPOCH = -1;

export class PartitionLog {
  records: LogRecord[] = [];
  logStartOffset = 0;
  highWatermark = 0;
  hwCheckpoint = 0;
  flushedOffset = 0;
  lastFlushUs = 0;
  /** Leader-epoch cache, ascending in both epoch and start offset. */
  epochs: number[] = [];
  epochStarts: number[] = [];

  get logEndOffset(): number {
    return this.records.length;
  }

  latestEpoch(): number {
    const n = this.epochs.length;
    return n === 0 ? UNDEFINED_EPOCH : this.epochs[n - 1];
  }

  /** Kafka's LeaderEpochFileCache.assign: a new epoch starts at startOffset (ignored if not newer). */
  assignEpoch(epoch: number, startOffset: number): void {
    const n = this.epochs.length;
    if (n > 0 && epoch <= this.epochs[n - 1]) return;
    this.epochs.push(epoch);
    this.epochStarts.push(startOffset);
  }

  append(rec: LogRecord): void {
    this.assignEpoch(rec.epoch, this.records.length);
    this.records.push(rec);
  }

  /** Removes records at offsets >= offset; returns their ids. Epoch entries starting there go too. */
  truncateTo(offset: number): number[] {
    const leo = this.records.length;
    if (offset < 0) throw new Error(`truncate to negative offset ${offset}`);
    if (offset >= leo) return [];
    const removed = new Array<number>(leo - offset);
    for (let i = offset; i < leo; i++) removed[i - offset] = this.records[i].id;
    this.records.length = offset;
    this.truncateEpochsFrom(offset);
    if (this.highWatermark > offset) this.highWatermark = offset;
    if (this.flushedOffset > offset) this.flushedOffset = offset;
    if (this.hwCheckpoint > offset) this.hwCheckpoint = offset;
    // Truncating below the log start (truncateFullyAndStartAt) starts the log there.
    if (this.logStartOffset > offset) this.logStartOffset = offset;
    return removed;
  }

  private truncateEpochsFrom(offset: number): void {
    let n = this.epochs.length;
    while (n > 0 && this.epochStarts[n - 1] >= offset) n--;
    this.epochs.length = n;
    this.epochStarts.length = n;
  }

  /**
   * The largest cached epoch <= requested and the offset where it ends (the next epoch's start, or
   * the LEO for the latest epoch): Kafka's LeaderEpochFileCache.endOffsetFor. A requested epoch
   * older than every cached one ends at the first cached epoch's start offset.
   */
  endOffsetForEpoch(requested: number): EpochEndOffset {
    const n = this.epochs.length;
    if (n === 0 || requested === UNDEFINED_EPOCH) return { epoch: UNDEFINED_EPOCH, endOffset: this.logEndOffset };
    if (requested >= this.epochs[n - 1]) return { epoch: this.epochs[n - 1], endOffset: this.logEndOffset };
    let i = n - 1;
    while (i >= 0 && this.epochs[i] > requested) i--;
    if (i < 0) return { epoch: UNDEFINED_EPOCH, endOffset: this.epochStarts[0] };
    return { epoch: this.epochs[i], endOffset: this.epochStarts[i + 1] };
  }

  flush(nowUs: number): void {
    this.flushedOffset = this.records.length;
    this.lastFlushUs = nowUs;
  }

  /** Power loss: the page cache is gone, records after the flushed offset with it. */
  loseUnflushed(): number[] {
    const removed = this.truncateTo(this.flushedOffset);
    return removed;
  }

  /** Instance-store disk loss: nothing of the log or its checkpoints remains. */
  loseAll(): number[] {
    const removed = this.truncateTo(0);
    this.epochs.length = 0;
    this.epochStarts.length = 0;
    this.highWatermark = 0;
    this.hwCheckpoint = 0;
    this.flushedOffset = 0;
    this.logStartOffset = 0;
    return removed;
  }
}
