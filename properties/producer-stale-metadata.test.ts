// A producer does not go back to a zombie leader on its stale metadata: since Kafka 2.2
// (KAFKA-7738, KIP-320's metadata part) a client ignores a partition's metadata from a response
// with an older leader epoch than it has seen (Metadata.updateLatestMetadata). Found by `ksim check` on check-small (seed 1, run 496): b1,
// orders-0's leader, cut from the controllers and then from its followers, still answered the
// producer's metadata requests as leader of epoch 0; the producer sent its retry there, b1
// answered OUT_OF_ORDER_SEQUENCE_NUMBER, the producer bumped its epoch and re-sent the batch, and
// the new leader wrote it a second time: a false duplicate breach.
import { describe, expect, it } from 'vitest';
import checkSmall from '../models/kafka/presets/check-small.scenario.json' with { type: 'json' };
import { runScenario } from '../models/kafka/testing/scenario-run.ts';

const SETTINGS = (
  'acks=all min.insync.replicas=2 unclean.leader.election.enable=false enable.idempotence=true replica.lag.time.max.ms=30000 replica.fetch.wait.max.ms=500 ' +
  'log.flush.interval.messages=9007199254740991 linger.ms=0 max.in.flight.requests.per.connection=5 request.timeout.ms=2000 auto.leader.rebalance.enable=true ' +
  'leader.imbalance.check.interval.seconds=300 broker.rack=az'
).split(' ');

const zombie = {
  ...structuredClone(checkSmall),
  seed: '249436745',
  faults: [
    { atMs: 860, kind: 'partition', groups: [['@leader:orders-0'], ['c1', 'c2', 'c3']], durationMs: 9600 },
    { atMs: 1286, kind: 'partition', groups: [['@leader:orders-0'], ['@followers:orders-0']], durationMs: 8100 },
  ],
  operations: [10412, 10414].map((atMs) => ({ atMs, kind: 'controlled-shutdown', broker: '@leader:orders-0', durationMs: 1 })),
};

describe('a producer and a zombie leader', () => {
  it('keeps the newer leader it knows over a zombie that still names itself leader of an older epoch: nothing written twice', () => {
    const { report, events } = runScenario(zombie, SETTINGS);
    expect(report.violations.filter((v) => v.property === 'duplicate')).toEqual([]);
    expect(report.violations.filter((v) => v.classification === 'breach')).toEqual([]);
    // b1 (node 0) was elected away in epoch 1 at ~9.3 s; no produce reaches it after the next metadata the producer took
    const fenced = events.find((e) => e[2].type === 'become-leader' && e[2].partition === 'orders-0' && e[2].leaderEpoch === 1)![0];
    const toZombie = events.filter((e) => e[0] > fenced + 1_000_000 && e[2].type === 'produce-error' && e[2].error === 'OUT_OF_ORDER_SEQUENCE_NUMBER');
    expect(toZombie).toEqual([]);
  });
});
