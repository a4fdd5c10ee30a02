// The fetching side of a fetch session (KIP-227, Kafka 1.1+; Kafka's clients FetchSessionHandler),
// one per fetching node and partition leader: a follower's ReplicaFetcherThread and a consumer's
// Fetcher (AbstractFetch.sessionHandlers) keep one per leader broker. The first request of a session is full: it lists every partition
// and has session epoch 0; the leader answers with a session id. Later requests are incremental:
// they carry the session id and epoch and list only the partitions whose fetch offset or leader
// epoch changed since the last request (FetchSessionHandler.Builder.build), and those dropped
// (toForget). A failed request (timeout, closed connection: handleError) or a session error
// (FETCH_SESSION_ID_NOT_FOUND, INVALID_FETCH_SESSION_EPOCH: handleResponse) ends the session, so
// the next request is full again.
//
// A fetcher may also tell, per partition, a change count that moves whenever anything that decides
// how the partition is listed changes (a follower: LogManager.changeStamps, moved by its log and its
// fetch state): a partition whose count has not moved since its last add is kept as it was
// (keepIfUnchanged) without the fetcher reading its state, so an incremental request over many
// quiet partitions costs little more than one over the partitions that changed.

import type { FetchPartition } from '../messages.ts';

/** FetchMetadata.INITIAL_EPOCH: a full request that opens a session. */
const INITIAL_EPOCH = 0;

/** What the next fetch request carries. */
interface FetchSessionRequest {
  sessionId: number;
  sessionEpoch: number;
  parts: FetchPartition[];
  /** Partitions in the session the request no longer fetches. */
  forgotten: number[];
}

export class FetchSessionHandler {
  /** The session's id (0: none, the next request is full). */
  private sessionId = 0;
  private nextEpoch = INITIAL_EPOCH;
  /** The session's partitions, in the order the last request listed them. */
  private sessionPartitions: number[] = [];
  /**
   * Those of the request being built (begin/add), reused from one request to the next: written in
   * place and cut to nextCount at finish (emptied by length = 0, V8 frees an array's store, and
   * the pushes after grew a new one: every fetch of every follower and consumer).
   */
  private nextPartitions: number[] = [];
  private nextCount = 0;
  /** Per partition, what the session last sent (NaN: not in the session). */
  private readonly sentOffset: Float64Array;
  private readonly sentEpoch: Int32Array;
  /** Per partition, the build that listed it last (to find those to forget). */
  private readonly listedIn: Int32Array;
  /** Per partition, the change count the fetcher told at its last add (NaN: none). */
  private readonly addedAtStamp: Float64Array;
  private builds = 0;

  constructor(partitionCount: number) {
    this.sentOffset = new Float64Array(partitionCount).fill(Number.NaN);
    this.sentEpoch = new Int32Array(partitionCount);
    this.listedIn = new Int32Array(partitionCount);
    this.addedAtStamp = new Float64Array(partitionCount).fill(Number.NaN);
  }

  /** The request for `next`, every partition the fetcher fetches now (FetchSessionHandler.Builder.build). */
  build(next: FetchPartition[]): FetchSessionRequest {
    this.begin();
    const parts: FetchPartition[] = [];
    for (const part of next) if (this.add(part.partition, part.fetchOffset, part.currentLeaderEpoch)) parts.push(part);
    return this.finish(parts);
  }

  /**
   * FetchSessionHandler.Builder, a partition at a time, so a fetcher allocates nothing for the
   * partitions an incremental request leaves out: begin, add each partition it fetches now (in
   * order), then finish with the parts for which add returned true.
   */
  begin(): void {
    this.builds++;
    this.nextCount = 0;
  }

  /**
   * Adds partition p at fetchOffset and leader epoch; returns whether the request lists it (a full
   * one lists all). changeStamp: p's change count now (NaN: none, keepIfUnchanged will not keep it).
   */
  add(p: number, fetchOffset: number, leaderEpoch: number, changeStamp = Number.NaN): boolean {
    this.listedIn[p] = this.builds;
    this.nextPartitions[this.nextCount++] = p;
    this.addedAtStamp[p] = changeStamp;
    const full = this.sessionId === 0;
    if (this.sentOffset[p] === fetchOffset && this.sentEpoch[p] === leaderEpoch) return full;
    this.sentOffset[p] = fetchOffset;
    this.sentEpoch[p] = leaderEpoch;
    return true;
  }

  /**
   * Adds p as add would with what it was added with last, if its change count is what it was then
   * and the session still holds what was sent for it: an incremental request leaves it out. Returns
   * whether it did (else the fetcher adds p).
   */
  keepIfUnchanged(p: number, changeStamp: number): boolean {
    if (this.addedAtStamp[p] !== changeStamp || this.sessionId === 0 || Number.isNaN(this.sentOffset[p])) return false;
    this.listedIn[p] = this.builds;
    this.nextPartitions[this.nextCount++] = p;
    return true;
  }

  /** The request built since begin, listing `parts`; the session's partitions not added since are forgotten. */
  finish(parts: FetchPartition[]): FetchSessionRequest {
    const full = this.sessionId === 0;
    const forgotten: number[] = [];
    for (const p of this.sessionPartitions)
      if (this.listedIn[p] !== this.builds) {
        this.sentOffset[p] = Number.NaN;
        if (!full) forgotten.push(p);
      }
    const previous = this.sessionPartitions;
    // Cut only when it shrinks: setting an array's length is a runtime call even when it is unchanged.
    if (this.nextPartitions.length !== this.nextCount) this.nextPartitions.length = this.nextCount;
    this.sessionPartitions = this.nextPartitions;
    this.nextPartitions = previous;
    return { sessionId: this.sessionId, sessionEpoch: this.nextEpoch, parts, forgotten };
  }

  /**
   * The leader's answer to the request built last; false on a session error (the session ends).
   * A leader without sessions (before 1.1) answers without an id: every request stays full.
   */
  handleResponse(sessionId: number | undefined, error: string | undefined): boolean {
    if (error !== undefined) {
      this.handleError();
      return false;
    }
    if (this.nextEpoch === INITIAL_EPOCH) {
      if (sessionId === undefined || sessionId === 0) this.handleError();
      else {
        this.sessionId = sessionId;
        this.nextEpoch = INITIAL_EPOCH + 1;
      }
    } else this.nextEpoch++;
    return true;
  }

  /** The request failed (FetchSessionHandler.handleError): the next request is full. */
  handleError(): void {
    this.sessionId = 0;
    this.nextEpoch = INITIAL_EPOCH;
    for (const p of this.sessionPartitions) this.sentOffset[p] = Number.NaN;
    this.sessionPartitions.length = 0;
  }
}
