// The leader side of fetch sessions (KIP-227, Kafka 1.1+; Kafka's FetchSession.scala: FetchSession,
// FetchSessionCache, FullFetchContext, IncrementalFetchContext, SessionErrorContext), for follower
// fetches. A full request (session epoch 0) closes the follower's previous session and opens one
// caching its partitions; an incremental request names the session and its epoch, updates the
// cached partitions it lists, drops those it forgets, and is served over every cached partition
// (IncrementalFetchContext.foreachPartition), as a full request would be. The response to it lists
// only the partitions with records, an error, or a high watermark or log start offset other than
// the session last sent (CachedPartition.maybeUpdateResponseData). An unknown session id is
// FETCH_SESSION_ID_NOT_FOUND, another epoch INVALID_FETCH_SESSION_EPOCH: the follower then starts
// over with a full request. The cache lives in the broker's memory: a restart loses it.
//
// Simplifications: session ids count up from 1 rather than being random; the cache is never full
// (max.incremental.fetch.session.cache.slots is 1,000 and a run has a few follower sessions per
// broker, so no session is evicted); cached partitions stay in partition order, the order a full
// request lists them in (Kafka keeps insertion order).

import { FETCH_SESSION_ID_NOT_FOUND, INVALID_FETCH_SESSION_EPOCH, type FetchPartition, type FetchRequest } from '../messages.ts';

/** A follower's session: its cached partitions and what the leader last sent of each. */
class FetchSession {
  /** The session's partitions in partition order: the request the leader serves. */
  parts: FetchPartition[];
  /** The epoch the next request must carry. */
  epoch = 1;
  /** Per partition, the HW and log start offset last sent (NaN: send it). */
  private readonly sentHighWatermark: Float64Array;
  private readonly sentLogStart: Float64Array;

  constructor(
    readonly id: number,
    partitionCount: number,
    parts: FetchPartition[],
  ) {
    this.parts = parts;
    this.sentHighWatermark = new Float64Array(partitionCount).fill(Number.NaN);
    this.sentLogStart = new Float64Array(partitionCount).fill(Number.NaN);
  }

  /** FetchSession.update: the request's partitions replace or join the cached ones; forgotten ones leave. */
  update(changed: readonly FetchPartition[], forgotten: readonly number[]): void {
    if (forgotten.length > 0) {
      this.parts = this.parts.filter((part) => !forgotten.includes(part.partition));
      for (const p of forgotten) this.sentHighWatermark[p] = Number.NaN;
    }
    for (const part of changed) {
      let i = this.parts.length;
      while (i > 0 && this.parts[i - 1].partition > part.partition) i--;
      if (i > 0 && this.parts[i - 1].partition === part.partition) this.parts[i - 1] = part;
      else this.parts.splice(i, 0, part);
    }
  }

  /** CachedPartition.maybeUpdateResponseData: whether the response lists partition p, remembering what it sends. */
  mustRespond(p: number, records: number, error: string | null, highWatermark: number, logStart: number): boolean {
    let must = records > 0;
    if (this.sentHighWatermark[p] !== highWatermark) {
      must = true;
      this.sentHighWatermark[p] = highWatermark;
    }
    if (this.sentLogStart[p] !== logStart) {
      must = true;
      this.sentLogStart[p] = logStart;
    }
    if (error !== null) {
      // An error is always sent, and the HW is sent again once it is gone.
      this.sentHighWatermark[p] = -1;
      must = true;
    }
    return must;
  }
}

export class FetchSessionCache {
  private readonly sessions = new Map<number, FetchSession>();
  /** Each follower broker's session id (0: none). */
  private readonly sessionOf: Int32Array;
  private lastSessionId = 0;

  constructor(
    brokerCount: number,
    private readonly partitionCount: number,
  ) {
    this.sessionOf = new Int32Array(brokerCount);
  }

  /** Forgets every session (process start). */
  reset(): void {
    this.sessions.clear();
    this.sessionOf.fill(0);
  }

  /**
   * FetchSessionCache.newContext: the request to serve (every partition of the session, with its
   * id), or the session error to answer with.
   */
  newContext(req: FetchRequest): FetchRequest | string {
    if (req.sessionEpoch === 0) {
      this.close(req.broker);
      const session = new FetchSession(++this.lastSessionId, this.partitionCount, req.parts.slice());
      this.sessions.set(session.id, session);
      this.sessionOf[req.broker] = session.id;
      return { ...req, parts: session.parts, sessionId: session.id };
    }
    const session = this.sessions.get(req.sessionId!);
    if (session === undefined) return FETCH_SESSION_ID_NOT_FOUND;
    if (session.epoch !== req.sessionEpoch) return INVALID_FETCH_SESSION_EPOCH;
    session.update(req.parts, req.forgotten ?? []);
    session.epoch++;
    return { ...req, parts: session.parts };
  }

  /** The session the request to answer belongs to (null: sessionless, or closed since). */
  sessionFor(req: FetchRequest): { mustRespond: FetchSession['mustRespond'] } | null {
    return req.sessionId === undefined ? null : (this.sessions.get(req.sessionId) ?? null);
  }

  private close(follower: number): void {
    if (this.sessionOf[follower] !== 0) this.sessions.delete(this.sessionOf[follower]);
    this.sessionOf[follower] = 0;
  }
}
