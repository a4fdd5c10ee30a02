// A reorder a spliced log leaves (fresh-user trial: ksim check, check-small, Kafka 2.0, idempotent,
// acks=all). b2, a follower of orders-0, loses power at 1.533 s and the controller misses the
// bounce (KIP-380); after the rolling restart the replicas of orders-1 keep two histories spliced
// at offset 67: the final log holds p1's r337 at 66 (one history) before r153 at 67 (the other),
// out of send order. The replicas disagree at 66, where the record r153 is out of order with sits,
// not at 67 where r153 sits: nonmonotonic-send asked only about 67 and called it a breach while
// log-divergence and duplicate named the version's flaw. It now asks about both.
// Since ksim models a restart within the old ZooKeeper session as unable to register until that
// session expires (NODEEXISTS), b2 no longer leads orders-0 at the rolling restart (3.3 s) before it
// registered: it leads from its unnoticed registration at the expiry (7.6 s), and the histories
// the replicas keep no longer put a record out of send order (nor did 150 runs of `ksim check
// --set kafkaVersion=2.0 --property nonmonotonic-send --seed 1`). The run still splices the
// replicas' histories (KAFKA-7164's kept log, KIP-380's missed bounce): every finding stays the
// version's, a reorder included if one comes back. Since a 2.0 leader answers UNDEFINED_EPOCH_OFFSET
// about an epoch older than its first cached one (LeaderEpochFileCache.endOffsetFor before
// KAFKA-7415) the followers truncate to their high watermarks there and the histories no longer
// splice: what b2 lost is KIP-380's lost write, and nothing is a breach.
import { describe, expect, it } from 'vitest';
import { checkSmallViolationsByVersion } from '../models/kafka/testing/scenario-run.ts';

const drawn = {
  seed: '1785286427',
  faults: [{ atMs: 1533, kind: 'power-loss', node: '@follower:orders-0', durationMs: 1 }],
  operations: [{ atMs: 3333, kind: 'rolling-restart', durationMs: 1 }],
};
const settings = ['preset="apache"', 'acks="all"', 'min.insync.replicas=2', 'unclean.leader.election.enable=false', 'enable.idempotence=true', 'broker.rack="az"'];
const violations = checkSmallViolationsByVersion(drawn, settings);

describe('nonmonotonic-send: a reorder where a divergent history was spliced in', () => {
  it('Kafka 2.0: every finding is the version\'s (KIP-380\'s lost write); no breach', () => {
    const vs = violations('2.0');
    // With batch-granular logs orders-1's records 0..67 that b2 lost are a KIP-380 lost write too (no splice keeps them).
    const kip380 = { classification: 'permitted', permittedBy: 'version', flaws: ['KIP-380'] };
    expect(vs.filter((v) => v.property === 'lost-write')).toMatchObject([{ ...kip380, partition: 'orders-0' }, { ...kip380, partition: 'orders-1' }]);
    expect(vs.every((v) => v.classification === 'permitted' && v.permittedBy === 'version')).toBe(true);
  });

  it('Kafka 2.2: no reorder', () => {
    expect(violations('2.2').filter((v) => v.property === 'nonmonotonic-send' || v.property === 'log-divergence')).toEqual([]);
  });
});
