// The leader side of fetch sessions (KIP-227, Kafka 1.1+; Kafka's FetchSession.scala: FetchSession,
// FetchSessionCache, FullFetchContext, IncrementalFetchContext, SessionErrorContext), for follower
// and consumer fetches. A full request (session epoch 0) closes the fetching node's previous
// session and opens one caching its partitions; an incremental request names the session and its
// epoch, updates the cached partitions it lists (a new one joins at the end), drops those it
// forgets, and is served over every cached partition (IncrementalFetchContext.foreachPartition),
// as a full request would be. The response to it lists only the partitions with records, an
// error, or a high watermark or log start offset other than the session last sent
// (CachedPartition.maybeUpdateResponseData). An unknown session id is FETCH_SESSION_ID_NOT_FOUND,
// another epoch INVALID_FETCH_SESSION_EPOCH: the fetcher then starts over with a full request.
// The cache lives in the broker's memory: a restart loses it.
//
// Simplifications: session ids count up from 1 rather than being random; the cache is never full
// (max.incremental.fetch.session.cache.slots is 1,000 and a run has a few sessions per broker, so
// no session is evicted); a node's full request closes the session it had even when it no longer
// names it (Kafka's client names it after a failed request, nextCloseExisting, but not after a
// restart: that session would idle until evicted).

import { FETCH_SESSION_ID_NOT_FOUND, INVALID_FETCH_SESSION_EPOCH, type FetchPartition } from '../messages.ts';

/** What a fetch request carries of its session (FetchRequest, ConsumerFetchRequest). */
interface SessionFields {
  sessionId?: number;
  sessionEpoch?: number;
  forgotten?: number[];
  parts: FetchPartition[];
}

/** A fetching node's session: its cached partitions and what the leader last sent of each. */
class FetchSession {
  /** The session's partitions in Kafka's order (a new one joins at the end): the request the leader serves. */
  parts: FetchPartition[];
  /** The epoch the next request must carry. */
  epoch = 1;
  /** Per partition, its index in parts (-1: not in the session). */
  private readonly indexOf: Int32Array;
  /** Per partition, the HW and log start offset last sent (NaN: send it). */
  private readonly sentHighWatermark: Float64Array;
  private readonly sentLogStart: Float64Array;

  constructor(
    readonly id: number,
    partitionCount: number,
    parts: FetchPartition[],
  ) {
    this.parts = parts;
    this.indexOf = new Int32Array(partitionCount).fill(-1);
    parts.forEach((part, i) => (this.indexOf[part.partition] = i));
    this.sentHighWatermark = new Float64Array(partitionCount).fill(Number.NaN);
    this.sentLogStart = new Float64Array(partitionCount).fill(Number.NaN);
  }

  /** FetchSession.update: the request's partitions replace or join the cached ones; forgotten ones leave. */
  update(changed: readonly FetchPartition[], forgotten: readonly number[]): void {
    if (forgotten.length > 0) {
      for (const p of forgotten) {
        this.indexOf[p] = -1;
        this.sentHighWatermark[p] = Number.NaN;
        this.sentLogStart[p] = Number.NaN;
      }
      this.parts = this.parts.filter((part) => this.indexOf[part.partition] >= 0);
      this.parts.forEach((part, i) => (this.indexOf[part.partition] = i));
    }
    for (const part of changed) {
      const i = this.indexOf[part.partition];
      if (i >= 0) this.parts[i] = part;
      else this.indexOf[part.partition] = this.parts.push(part) - 1;
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
  /** Each fetching node's session id. */
  private readonly sessionOf = new Map<number, number>();
  private lastSessionId = 0;

  constructor(private readonly partitionCount: number) {}

  /** Forgets every session (process start). */
  reset(): void {
    this.sessions.clear();
    this.sessionOf.clear();
  }

  /**
   * FetchSessionCache.newContext for a request from node `client`: the request to serve (every
   * partition of the session, with its id), or the session error to answer with.
   */
  newContext<R extends SessionFields>(client: number, req: R): R | string {
    if (req.sessionEpoch === 0) {
      const previous = this.sessionOf.get(client);
      if (previous !== undefined) this.sessions.delete(previous);
      const session = new FetchSession(++this.lastSessionId, this.partitionCount, req.parts.slice());
      this.sessions.set(session.id, session);
      this.sessionOf.set(client, session.id);
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
  sessionFor(req: SessionFields): { mustRespond: FetchSession['mustRespond'] } | null {
    return req.sessionId === undefined ? null : (this.sessions.get(req.sessionId) ?? null);
  }
}
