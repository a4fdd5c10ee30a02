// Quiet partitions of a leader's fetch session (fetch-session.ts): skipping a partition where
// nothing happened must leave the follower's state exactly as serving it in full would
// (Replica.updateFetchState on every fetch), whatever interleaving of fetches, appends, catch-ups,
// ISR changes and reads of the follower times (the ISR shrink task) happens.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { FetchPartition } from '../messages.ts';
import { PartitionLog } from '../storage/partition-log.ts';
import { FetchSession } from './fetch-session.ts';
import { Partition } from './partition.ts';

const FOLLOWER = 1;
const record = (id: number) => ({ id, epoch: 0, producerId: -1, producerEpoch: -1, sequence: -1, batchSize: 1, appendUs: 0 });
const at = (fetchOffset: number): FetchPartition => ({ partition: 0, fetchOffset, currentLeaderEpoch: 0 });

/** Broker 0 leads partition 0 (replicas 0 and 1, both in the ISR) with a log of 2 records, HW 2; both count their changes in `stamps`. */
function replica() {
  const stamps = new Float64Array(1);
  const log = new PartitionLog();
  log.countChangesIn(stamps, 0);
  log.appendAsLeader(record(0));
  log.appendAsLeader(record(1));
  log.maybeIncrementHighWatermark(2);
  return { log, leader: new Partition(0, 0, [0, 1], 0, 0, [0, 1], 0, 2, 0, stamps), stamps };
}

/** What ReplicaManager.fetchMessages does for a cached partition without error, in full; returns whether it would expand the ISR. */
function serveInFull(leader: Partition, log: PartitionLog, part: FetchPartition, nowUs: number): boolean {
  leader.updateFollowerFetchState(FOLLOWER, part.fetchOffset, log.logEndOffset, nowUs);
  log.maybeIncrementHighWatermark(leader.computeHighWatermark(log.logEndOffset));
  return leader.needsExpandIsr(FOLLOWER, log.highWatermark, false);
}

type Op = { kind: 'fetch' | 'append' | 'catch-up' | 'isr-change' | 'read-times'; dtUs: number };

const followerState = (p: Partition) => [p.lastCaughtUpUs[FOLLOWER], p.lastFetchUs[FOLLOWER], p.lastFetchLeaderLeo[FOLLOWER], p.followerLeo[FOLLOWER]];

describe('quiet partitions of a fetch session', () => {
  it('leave the follower state as serving every partition on every fetch would', () => {
    const op = fc.record({ kind: fc.constantFrom('fetch', 'fetch', 'fetch', 'fetch', 'fetch', 'fetch', 'append', 'catch-up', 'isr-change', 'read-times'), dtUs: fc.integer({ min: 1, max: 1000 }) }) as fc.Arbitrary<Op>;
    let quietServes = 0;
    fc.assert(
      fc.property(fc.array(op, { minLength: 20, maxLength: 60 }), (ops) => {
        const full = replica();
        const lazy = replica();
        let fullPart = at(2);
        const session = new FetchSession(1, FOLLOWER, 1, [at(2)], lazy.stamps);
        let nowUs = 0;
        // When each side would propose the follower back into the ISR.
        const expansions = { full: [] as number[], lazy: [] as number[] };
        for (const { kind, dtUs } of ops) {
          nowUs += dtUs;
          if (kind === 'fetch') {
            if (serveInFull(full.leader, full.log, fullPart, nowUs)) expansions.full.push(nowUs);
            session.beginServe(nowUs, -1);
            if (session.isQuietAt(0)) quietServes++;
            else if (serveInFull(lazy.leader, lazy.log, session.parts[0], nowUs)) expansions.lazy.push(nowUs);
            session.endServe();
            // The response: what the session sends, then whether the partition goes quiet.
            session.mustRespond(0, lazy.log.logEndOffset - session.parts[0].fetchOffset, null, lazy.log.highWatermark, lazy.log.logStartOffset);
            session.maybeGoQuiet(0, lazy.leader, lazy.log);
          } else if (kind === 'append') {
            for (const r of [full, lazy]) r.log.appendAsLeader(record(r.log.logEndOffset));
          } else if (kind === 'catch-up') {
            // The follower appended what it fetched: its next request names the partition at its new offset.
            fullPart = at(full.log.logEndOffset);
            session.update([at(lazy.log.logEndOffset)], []);
          } else if (kind === 'isr-change') {
            // The follower leaves the ISR, or comes back.
            const isr = full.leader.isr.length === 2 ? [0] : [0, 1];
            for (const r of [full, lazy]) r.leader.applyCommittedIsr({ leader: 0, leaderEpoch: 0, isr, replicas: [0, 1], partitionEpoch: r.leader.partitionEpoch + 1 });
          } else {
            session.syncFollowerTimes();
            expect(followerState(lazy.leader)).toEqual(followerState(full.leader));
          }
        }
        session.close();
        expect(followerState(lazy.leader)).toEqual(followerState(full.leader));
        expect(lazy.log.highWatermark).toBe(full.log.highWatermark);
        expect(expansions.lazy).toEqual(expansions.full);
      }),
      { seed: 15, numRuns: 300 },
    );
    // The runs did skip: most fetches found the partition quiet.
    expect(quietServes).toBeGreaterThan(1000);
  });

  it('skips a caught-up partition until its log changes, then serves it in full', () => {
    const { log, leader, stamps } = replica();
    const session = new FetchSession(1, FOLLOWER, 1, [at(2)], stamps);
    session.beginServe(100, -1);
    expect(session.isQuietAt(0)).toBe(false);
    serveInFull(leader, log, session.parts[0], 100);
    session.endServe();
    session.mustRespond(0, 0, null, log.highWatermark, log.logStartOffset);
    session.maybeGoQuiet(0, leader, log);
    for (const t of [200, 300]) {
      session.beginServe(t, -1);
      expect(session.isQuietAt(0)).toBe(true);
      session.endServe();
    }
    log.appendAsLeader(record(2));
    session.beginServe(400, -1);
    expect(session.isQuietAt(0)).toBe(false);
    // Woken as the walk reaches it: its times are those of the fetch at 300, the last one it was skipped in.
    expect([leader.lastFetchUs[FOLLOWER], leader.lastCaughtUpUs[FOLLOWER]]).toEqual([300, 300]);
    session.endServe();
  });
});
