// A producer whose records DeleteRecords removed, by broker version (Kafka's ProducerStateManager
// and TransactionManager at 0.11.0, 1.0-2.3 and 2.4): orders-0's log start moves to its high
// watermark at 3 s while p1 keeps writing. Before KAFKA-7190 (2.4) the broker forgets a producer
// whose last batch falls below the new log start offset (ProducerStateManager.truncateHead), so
// p1's next batch there, at a sequence above 0, meets a partition with no state for it:
// - 0.11: OUT_OF_ORDER_SEQUENCE_NUMBER; the send fails and the producer id is reset (the flaw
//   KIP-360's entry names: "its next sends rejected");
// - 1.0-2.3: UNKNOWN_PRODUCER_ID with the log start offset (KAFKA-5793); p1's last acknowledged
//   offset is below it, so TransactionManager.canRetry restarts the partition's sequences at 0 and
//   retries: the record is written once, nothing fails;
// - 2.4: the state stays (KAFKA-7190), no error at all.
import { describe, expect, it } from 'vitest';
import checkSmall from '../models/kafka/presets/check-small.scenario.json' with { type: 'json' };
import { runScenario } from '../models/kafka/testing/scenario-run.ts';

function run(kafkaVersion: string) {
  const scenario = {
    ...structuredClone(checkSmall),
    seed: '1',
    durationMs: 8000,
    faults: [],
    operations: [{ atMs: 3000, kind: 'delete-records', topic: 'orders', partition: 0, offset: -1 }],
  };
  const { report, events } = runScenario(scenario, ['preset=apache', 'acks=all', 'enable.idempotence=true', 'linger.ms=0', `kafkaVersion=${kafkaVersion}`]);
  const of = (type: string) => events.filter(([, , e]) => e.type === type).map(([, , e]) => e);
  return { report, of };
}

describe('an idempotent producer whose records DeleteRecords removed', () => {
  it('Kafka 0.11: its next batch there is refused out of order and fails to the caller', () => {
    const { of } = run('0.11');
    expect(of('produce-error').map((e) => [e.partition, e.error])).toEqual([['orders-0', 'OUT_OF_ORDER_SEQUENCE_NUMBER']]);
    expect(of('send-fail').map((e) => [e.record, e.error])).toEqual([[300, 'OUT_OF_ORDER_SEQUENCE_NUMBER']]);
    expect(of('sequences-reset')).toEqual([]);
  });

  it('Kafka 2.3: UNKNOWN_PRODUCER_ID with the log start offset; the sequences restart at 0 and the record is written once', () => {
    const { of, report } = run('2.3');
    expect(of('produce-error').map((e) => [e.partition, e.error])).toEqual([['orders-0', 'UNKNOWN_PRODUCER_ID']]);
    expect(of('sequences-reset')).toEqual([{ type: 'sequences-reset', partition: 'orders-0', producer: 'p1', logStartOffset: 177, records: [300], mayBeInLog: [] }]);
    expect(of('send-fail')).toEqual([]);
    expect(of('send-ok').filter((e) => (e.records as number[]).includes(300))).toHaveLength(1);
    expect(report.violations).toEqual([]);
  });

  it('Kafka 2.4: the broker keeps the producer’s state (KAFKA-7190), no error', () => {
    const { of } = run('2.4');
    expect(of('produce-error')).toEqual([]);
    expect(of('sequences-reset')).toEqual([]);
  });
});
