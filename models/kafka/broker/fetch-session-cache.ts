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

import { FETCH_SESSION_ID_NOT_FOUND, INVALID_FETCH_SESSION_EPOCH, type ConsumerFetchRequest, type FetchPartition, type FetchRequest } from '../messages.ts';
import { FetchSession } from './fetch-session.ts';

/** A fetch request with a session (a follower's, a consumer's). */
type SessionRequest = FetchRequest | ConsumerFetchRequest;

/**
 * req as the leader serves it: over the session's partitions, with its id. Literals in the
 * senders' key order rather than a spread (`{ ...req, parts }` is a runtime call on every fetch).
 */
function servedRequest<R extends SessionRequest>(req: R, parts: FetchPartition[], sessionId: number | undefined): R {
  const served: SessionRequest =
    req.type === 'fetch'
      ? { type: 'fetch', requestId: req.requestId, broker: req.broker, brokerEpoch: req.brokerEpoch, sessionId, sessionEpoch: req.sessionEpoch, parts, forgotten: req.forgotten }
      : { type: 'consumer-fetch', requestId: req.requestId, sessionId, sessionEpoch: req.sessionEpoch, parts, forgotten: req.forgotten, minBytes: req.minBytes, maxWaitUs: req.maxWaitUs, maxRecordsPerPartition: req.maxRecordsPerPartition };
  return served as R;
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
  newContext<R extends SessionRequest>(client: number, req: R): R | string {
    if (req.sessionEpoch === 0) {
      const previous = this.sessionOf.get(client);
      if (previous !== undefined) {
        this.sessions.get(previous)?.close();
        this.sessions.delete(previous);
      }
      const session = new FetchSession(++this.lastSessionId, req.type === 'fetch' ? req.broker : -1, this.partitionCount, req.parts.slice(), this.changeStamps);
      this.sessions.set(session.id, session);
      this.sessionOf.set(client, session.id);
      return servedRequest(req, session.parts, session.id);
    }
    const session = this.sessions.get(req.sessionId!);
    if (session === undefined) return FETCH_SESSION_ID_NOT_FOUND;
    if (session.epoch !== req.sessionEpoch) return INVALID_FETCH_SESSION_EPOCH;
    session.update(req.parts, req.forgotten ?? []);
    session.epoch++;
    return servedRequest(req, session.parts, req.sessionId);
  }

  /** The session the request to answer belongs to (null: sessionless, or closed since). */
  sessionFor(req: SessionRequest): FetchSession | null {
    return req.sessionId === undefined ? null : (this.sessions.get(req.sessionId) ?? null);
  }

  /** Writes the follower times quiet partitions keep into their leaders' state (FetchSession.syncFollowerTimes). */
  syncFollowerTimes(): void {
    for (const session of this.sessions.values()) session.syncFollowerTimes();
  }
}
