// Two brokers whose sessions expire in the same instant. ZooKeeper mode handles them in one
// BrokerChange event (KafkaController.onBrokerFailure(deadBrokers) -> onReplicasBecomeOffline):
// every election excludes all the dead brokers, so a partition led by one of them moves once, to
// a live replica. KRaft fences one stale broker per controller event
// (ReplicationControlManager.maybeFenceOneStaleBroker, rescheduled at once for the next), so the
// first fencing may elect the other stale broker, still unfenced, and the second moves it again.

import { describe, expect, it } from 'vitest';
import { runKafka } from '../testing/kafka-test-cluster.ts';

/** orders-0 on b1, b2, b3 (b1 leads); b1 and b2 crash together, b3 lives. */
function bothCrash(metadataMode: 'zookeeper' | 'kraft') {
  const r = runKafka({
    metadataMode,
    faults: [
      { atMs: 5000, kind: 'crash', node: 'b1' },
      { atMs: 5000, kind: 'crash', node: 'b2' },
    ],
    durationMs: 60_000,
  });
  return r.of('election').filter((e) => e.partition === 'orders-0' && e.kind !== 'initial');
}

describe('brokers whose sessions expire together', () => {
  it('ZooKeeper mode: one election, straight to the live replica', () => {
    const elections = bothCrash('zookeeper');
    expect(elections.map((e) => [e.previousLeader, e.leader, e.isr])).toEqual([['b1', 'b3', ['b3']]]);
  });

  it('KRaft: fenced one at a time, so the first fencing may elect the other stale broker', () => {
    const elections = bothCrash('kraft');
    expect(elections.at(-1)?.leader).toBe('b3');
    expect(elections.map((e) => e.previousLeader)).toEqual(['b1', 'b2']);
  });
});
