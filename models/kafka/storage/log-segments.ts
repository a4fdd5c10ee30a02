// A replica's log cut into segments (Kafka's LogSegments): their base offsets, ascending; the last
// is the active segment, which appends go to and which retention and the cleaner never touch.
// Rolling (UnifiedLog.maybeRoll -> LogSegment.shouldRoll): before an append, a non-empty active
// segment rolls when the append's newest record is more than segment.ms younger than the segment's
// first batch (its rollingBasedTimestamp), so a log written slowly still gets closed segments that
// retention can delete; and every segment.bytes worth of records starts a new segment. ksim's
// records have no bytes: a segment holds floor(segment.bytes / record size) records and an append
// that reaches that count is split there (Kafka rolls before the batch that would not fit).
// Timestamps are the leader's append time (what message.timestamp.type=LogAppendTime stamps; with
// CreateTime Kafka reads the producer's clock, earlier by the produce latency), the same on every
// replica, so followers roll where their leader did unless a fetch brings several batches at once.

export class LogSegments {
  private readonly bases: number[] = [0];

  constructor(
    /** Records a segment holds before the size rule rolls it. */
    readonly segmentRecords = Number.MAX_SAFE_INTEGER,
    /** segment.ms, in us. */
    readonly rollUs = Number.MAX_SAFE_INTEGER,
  ) {}

  /** Base offset of the active segment. */
  get activeBase(): number {
    return this.bases[this.bases.length - 1];
  }

  /** How many segments the log has (the active one included). */
  get count(): number {
    return this.bases.length;
  }

  /** The base offset of the segment holding `offset` (the first segment's for an offset below it). */
  segmentBase(offset: number): number {
    const bases = this.bases;
    let i = bases.length - 1;
    while (i > 0 && bases[i] > offset) i--;
    return bases[i];
  }

  /** The first offset past the segment holding `offset`: the next segment's base, or +Infinity in the active one. */
  segmentEnd(offset: number): number {
    const bases = this.bases;
    let i = bases.length - 1;
    while (i > 0 && bases[i] > offset) i--;
    return i + 1 < bases.length ? bases[i + 1] : Infinity;
  }

  /**
   * LogSegment.shouldRoll's time rule, before an append at logEndOffset whose newest record is
   * stamped newestUs: a non-empty active segment whose first batch is stamped firstUs rolls when
   * newestUs - firstUs > segment.ms. Returns whether it rolled (the new segment starts at logEndOffset).
   */
  maybeRollByTime(logEndOffset: number, firstUs: number, newestUs: number): boolean {
    if (logEndOffset <= this.activeBase || newestUs - firstUs <= this.rollUs) return false;
    this.bases.push(logEndOffset);
    return true;
  }

  /** The size rule, after an append that brought the log to logEndOffset. */
  rollBySize(logEndOffset: number): void {
    while (logEndOffset > this.activeBase + this.segmentRecords) this.bases.push(this.activeBase + this.segmentRecords);
  }

  /**
   * The log was truncated to `offset` (LocalLog.truncateTo deletes the segments based above it;
   * below the first base, truncateFullyAndStartAt leaves one empty segment there).
   */
  truncateTo(offset: number): void {
    const bases = this.bases;
    while (bases.length > 1 && bases[bases.length - 1] > offset) bases.pop();
    if (bases[0] > offset) bases[0] = offset;
  }

  /** Every segment deleted, one empty segment at `offset` (UnifiedLog.truncateFullyAndStartAt). */
  startAt(offset: number): void {
    this.bases.length = 1;
    this.bases[0] = offset;
  }

  /** Segments wholly below the log start offset are deleted (UnifiedLog.deleteLogStartOffsetBreachedSegments). */
  deleteBelow(logStartOffset: number): void {
    let drop = 0;
    while (drop + 1 < this.bases.length && this.bases[drop + 1] <= logStartOffset) drop++;
    if (drop > 0) this.bases.splice(0, drop);
  }
}
