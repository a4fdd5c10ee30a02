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
// The cache lives in the broker's memory: a restart loses it. One session: fetch-session.ts.
//
// Simplifications: session ids count up from 1 rather than being random; the cache is never full
// (max.incremental.fetch.session.cache.slots is 1,000 and a run has a few sessions per broker, so
// no session is evicted); a node's full request closes the session it had even when it no longer
// names it (Kafka's client names it after a failed request, nextCloseExisting, but not after a
// restart: that session would idle until evicted).

import { FETCH_SESSION_ID_NOT_FOUND, INVALID_FETCH_SESSION_EPOCH, type FetchPartition } from '../messages.ts';
import { FetchSession } from './fetch-session.ts';

/** What a fetch request carries of its session (FetchRequest, ConsumerFetchRequest). */
interface SessionFields {
  sessionId?: number;
  sessionEpoch?: number;
  forgotten?: number[];
  parts: FetchPartition[];
  /** A follower's fetch: its broker index. */
  broker?: number;
}

export class FetchSessionCache {
  private readonly sessions = new Map<number, FetchSession>();
  /** Each fetching node's session id. */
  private readonly sessionOf = new Map<number, number>();
  private lastSessionId = 0;

  constructor(
    private readonly partitionCount: number,
    /** The broker's change count per partition (LogManager.changeStamps), for its follower sessions' quiet partitions (null: none goes quiet). */
    private readonly changeStamps: Float64Array | null,
  ) {}

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
      if (previous !== undefined) {
        this.sessions.get(previous)?.close();
        this.sessions.delete(previous);
      }
      const session = new FetchSession(++this.lastSessionId, req.broker ?? -1, this.partitionCount, req.parts.slice(), this.changeStamps);
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
  sessionFor(req: SessionFields): FetchSession | null {
    return req.sessionId === undefined ? null : (this.sessions.get(req.sessionId) ?? null);
  }

  /** Writes the follower times quiet partitions keep into their leaders' state (FetchSession.syncFollowerTimes). */
  syncFollowerTimes(): void {
    for (const session of this.sessions.values()) session.syncFollowerTimes();
  }
}
