// One rule for "every in-sync copy lost" (in-sync-copies.ts): the same election judged for a record
// of orders-0 (lost-write) and for a group's commit in __consumer_offsets-0 (double-assignment, through
// group-metadata-loss) gets the same verdict. group-metadata-loss counted the new ISR only, so a
// crashed leader still holding the group's records made no difference there, while lost-write
// counted it; lost-write counted a replica standing with the data on KRaft (one KIP-966 distrusts,
// back from an unclean shutdown, or one only ELR would elect), which group-metadata-loss judged by
// the last-replica-standing rule.
import { describe, expect, it } from 'vitest';
import type { Violation } from '../../../src/sim/model.ts';
import { finalPartition, TestRun } from './kafka-test-run.ts';
import type { KafkaVersion } from '../version/kafka-versions.ts';

const OFFSETS = '__consumer_offsets-0';

interface Shape {
  kafkaVersion: KafkaVersion;
  metadataMode: 'zookeeper' | 'kraft';
  /** Builds the partition's history from its first election to the election that lost the data (record: the id it holds). */
  history: (run: TestRun, partition: string, record: number) => TestRun;
}

/** The verdict on the loss: the record's lost-write, or the group's double assignment after its commits were lost. */
function verdicts(shape: Shape): { record: Violation; group: Violation } {
  const options = { kafkaVersion: shape.kafkaVersion, metadataMode: shape.metadataMode, partitions: 2 };
  const data = shape.history(new TestRun(options).sendAndAck(1, 'p1', [1], 0, 0), 'orders-0', 1);
  const [record] = data.finish(20_000, [finalPartition('orders-0', 'b1', 1, ['b1'], [{ broker: 'b1', records: [] }])]).violations.filter((v) => v.property === 'lost-write');
  const offsets = new TestRun(options).assignment(10, 'm1', 1, ['orders-0']);
  shape.history(offsets, OFFSETS, 101).assignment(19_000, 'm2', 1, ['orders-0']);
  const final = [finalPartition('orders-0', 'b1', 0, ['b1', 'b2', 'b3'], [{ broker: 'b1', records: [] }])];
  const [group] = offsets.finish(20_000, final, false, [{ group: 'g', offsetsPartition: OFFSETS, coordinator: 'b1', committed: [] }]).violations.filter((v) => v.property === 'double-assignment');
  return { record, group };
}

const verdictOf = (v: Violation) => [v.classification, v.permittedBy];

describe('every in-sync copy lost: one rule for a record and for a group commit', () => {
  // ksim check seed 5 (0.11 ZooKeeper): b1 and b2 lost their copies to a power loss inside the ISR
  // (the controller missed both bounces), then the leader b3 crashed and b1 was elected from
  // [b1, b2]: b3, the replaced leader, still held the data.
  const replacedLeaderHeld = (kafkaVersion: KafkaVersion, b3Burned = false): Shape => ({
    kafkaVersion,
    metadataMode: 'zookeeper',
    history: (run, p, record) => {
      run.election(0, 'initial', 'b3', 0, ['b3', 'b1', 'b2'], 0, null, p);
      for (const b of ['b3', 'b1', 'b2']) run.append(2, b, [record], 0, 0, b === 'b3' ? 'leader' : 'follower', p);
      run.hw(5, 'b3', 1, 0, p);
      for (const b of b3Burned ? ['b1', 'b2', 'b3'] : ['b1', 'b2']) run.logLost(3112, b, 1, 0, [record], 'power-loss', p);
      return run.isr(8300, 'isr-shrink', ['b1', 'b2'], 0, p).election(8300, 'clean', 'b1', 1, ['b1', 'b2'], 0, 'b3', p);
    },
  });

  it("counts the replaced leader's copy: the whole new ISR burned while b3 held it is the missed bounce before KIP-380 for both, a breach from 2.2", () => {
    const old = verdicts(replacedLeaderHeld('0.11'));
    expect(verdictOf(old.record)).toEqual(['permitted', 'version']);
    expect(verdictOf(old.group)).toEqual(verdictOf(old.record));
    for (const v of [old.record, old.group]) expect(v.reason).toContain('KIP-380');
    const fixed = verdicts(replacedLeaderHeld('2.2'));
    expect([fixed.record.classification, fixed.group.classification]).toEqual(['breach', 'breach']);
  });

  it('decoy: b3 burned too: every in-sync copy was lost, the fault load for both', () => {
    const { record, group } = verdicts(replacedLeaderHeld('0.11', true));
    expect([verdictOf(record), verdictOf(group)]).toEqual([
      ['permitted', 'fault-load'],
      ['permitted', 'fault-load'],
    ]);
  });

  // The shared case group-metadata-lost-with-offsets (11 s variant, KRaft): the ISR is [b2, b1] with
  // min.insync.replicas=2; b1 loses its log to power loss, the leader b2 crashes; both come back,
  // b2 is fenced out of the ISR and the empty b1 is elected. b2 came back from an unclean shutdown:
  // KIP-966 distrusts it, so no copy Kafka could trust was left.
  const lastStanding = (b2: 'crashed' | 'isolated'): Shape => ({
    kafkaVersion: '3.9',
    metadataMode: 'kraft',
    history: (run, p, record) => {
      run.election(0, 'initial', 'b2', 0, ['b2', 'b3', 'b1'], 0, null, p);
      for (const b of ['b2', 'b3', 'b1']) run.append(2, b, [record], 0, 0, b === 'b2' ? 'leader' : 'follower', p);
      run.hw(5, 'b2', 1, 0, p).isr(100, 'isr-shrink', ['b2', 'b1'], 0, p);
      run.logLost(12_007, 'b1', 1, 0, [record], 'power-loss', p);
      if (b2 === 'crashed') run.down(12_557, 'b2').up(17_995, 'b2');
      return run.isr(17_996, 'isr-shrink', ['b1'], 0, p).election(17_996, 'clean', 'b1', 1, ['b1'], 0, 'b2', p);
    },
  });

  it('does not count a copy KIP-966 distrusts (b2 back from an unclean shutdown): the fault load for both', () => {
    const { record, group } = verdicts(lastStanding('crashed'));
    expect(verdictOf(record)).toEqual(['permitted', 'fault-load']);
    expect(verdictOf(group)).toEqual(verdictOf(record));
    for (const v of [record, group]) expect(v.reason).toContain('b2 came back from an unclean shutdown at 17.995s');
  });

  it("decoy: b2 fenced without a restart still held a copy KIP-966 trusts: the last replica standing, the version's weakness without ELR for both, not the fault load", () => {
    const { record, group } = verdicts(lastStanding('isolated'));
    expect(verdictOf(record)).toEqual(['permitted', 'version']);
    expect(verdictOf(group)).toEqual(verdictOf(record));
    for (const v of [record, group]) expect(v.flaws).toEqual(['KIP-966']);
  });
});
