// Before KIP-360 (Kafka 0.11-2.4 clients) an idempotent producer does not retry a batch the broker
// answers OUT_OF_ORDER_SEQUENCE_NUMBER when it is the partition's next sequence: 1.0's
// TransactionManager.canRetry refuses it, Sender.failBatch fails it to the caller and resets the
// producer id. Found by `ksim check` on Kafka 1.0 as a duplicate breach: the follower b1 loses its
// whole log of orders-0 to a power loss while still in the ISR, and is elected from it at 10.3 s
// (leader b3 crashed); r195, written at offset 120 in epoch 0 on b3 and b2 but never acknowledged,
// is retried to b1, which has no state for the producer: Kafka 1.0-2.4 answer UNKNOWN_PRODUCER_ID
// (ProducerStateManager.checkSequence, KAFKA-5793), 0.11 OUT_OF_ORDER_SEQUENCE_NUMBER. The model's
// producer once did what 2.5+ does (bump the epoch, retry at sequence 0), so b2, leader of epoch
// 2 with r195 still at offset 120, took it as new and wrote it again at 121. In Kafka 1.0 the
// refusal b1 answers first (r193 of orders-1: the producer had acknowledged offsets there, none
// below b1's log start offset 0, so TransactionManager.canRetry refuses it) fails that batch and
// resets the producer id (a new id from InitProducerId), and r195's batch, of the old id, is then
// dropped when b1 answers it (Sender.completeBatch: "the producer id changed"): it fails with an
// unknown outcome and stays in the log once. (Since main's later changes the run without the fix
// no longer writes r195 twice, its retry reaching b2 unchanged; the test still fails there
// without the fix, r195 being retried rather than failed.)
import { describe, expect, it } from 'vitest';
import checkSmall from '../models/kafka/presets/check-small.scenario.json' with { type: 'json' };
import { runScenario } from '../models/kafka/testing/scenario-run.ts';

const SETTINGS = (
  'preset=apache acks=all min.insync.replicas=2 unclean.leader.election.enable=false enable.idempotence=true linger.ms=0 ' +
  'auto.leader.rebalance.enable=false leader.imbalance.check.interval.seconds=5 broker.rack=az'
).split(' ');

function run(kafkaVersion: string) {
  const scenario = {
    ...structuredClone(checkSmall),
    seed: '606657025',
    faults: [
      { atMs: 1928, kind: 'power-loss', node: '@follower:orders-0', durationMs: 2484 },
      { atMs: 4974, kind: 'crash', node: '@leader:orders-0', durationMs: 6000 },
      { atMs: 5998, kind: 'partition', groups: [['@follower:orders-0'], ['@leader:orders-0', '@followers:orders-0']], durationMs: 6000 },
    ],
    operations: [
      { atMs: 7162, kind: 'controlled-shutdown', broker: '@leader:orders-0', durationMs: 2790 },
      { atMs: 11495, kind: 'controlled-shutdown', broker: '@leader:orders-0', durationMs: 505 },
    ],
  };
  return runScenario(scenario, [...SETTINGS, `kafkaVersion=${kafkaVersion}`]);
}

describe('idempotent producer before KIP-360: a sequence gap fails the batch', () => {
  it('Kafka 1.0: r195 is failed (outcome unknown), not retried under a new epoch, and is in the log once', () => {
    const { report, events } = run('1.0');
    // the situation: b1 leads epoch 1 from an empty log and answers r195's retry out of order
    const elected = events.find(([, , e]) => e.type === 'election' && e.partition === 'orders-0' && e.leaderEpoch === 1);
    expect([elected?.[2].leader, elected?.[2].leaderLogEndOffset]).toEqual(['b1', 0]);
    const failed = events.find(([, , e]) => e.type === 'send-fail' && e.record === 195);
    expect(failed?.[2]).toMatchObject({ error: 'OUT_OF_ORDER_SEQUENCE_NUMBER', definite: false });
    // b1 answers the old id's five batches in flight to it on orders-1 UNKNOWN_PRODUCER_ID: the
    // first (r193) resets the id, the other four, of the old id, fail with it too
    const unknown = events.filter(([, , e]) => e.type === 'send-fail' && e.error === 'UNKNOWN_PRODUCER_ID').map(([, , e]) => e.record);
    expect(unknown).toEqual([193, 194, 199, 200, 206]);
    const written = events.filter(([, , e]) => e.type === 'append' && e.role === 'leader' && (e.records as number[]).includes(195));
    expect(written.map(([, node, e]) => [node, e.baseOffset])).toEqual([['b3', 120]]);
    expect(report.violations.filter((v) => v.property === 'duplicate')).toEqual([]);
  });

  it('Kafka 0.11: the broker answers the unknown producer OUT_OF_ORDER_SEQUENCE_NUMBER (no UNKNOWN_PRODUCER_ID before 1.0)', () => {
    const { events } = run('0.11');
    const errors = new Set(events.filter(([, , e]) => e.type === 'produce-error').map(([, , e]) => e.error));
    expect(errors.has('UNKNOWN_PRODUCER_ID')).toBe(false);
    const failed = events.find(([, , e]) => e.type === 'send-fail' && e.record === 193);
    expect(failed?.[2]).toMatchObject({ partition: 'orders-1', error: 'OUT_OF_ORDER_SEQUENCE_NUMBER' });
  });
});
