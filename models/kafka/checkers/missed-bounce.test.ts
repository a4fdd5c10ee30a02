// MissedBounces (missed-bounce.ts) through hw-above-isr-leo: a leader whose restart the ZooKeeper
// controller missed leads on from what its disk kept, and its followers truncate against that log,
// also after an election that elected the broker while its old session lived, or a follower that
// had truncated to the rewritten log. Hand-built from ksim check on check-small, MSK 2.1 ZooKeeper,
// seed 11, run 183: b2 loses power for 1 ms during a rolling restart and keeps leading orders-0 in
// epoch 1; b1 truncates to b2's emptied log, is elected by b2's controlled shutdown, and b3, still
// holding the old records, truncates to it below the committed HW.
import { describe, expect, it } from 'vitest';
import type { Violation } from '../../../src/sim/model.ts';
import { finalPartition, TestRun } from './kafka-test-run.ts';

const ids = (n: number) => Array.from({ length: n }, (_, i) => i + 1);
const ALL = ['b1', 'b2', 'b3'];

function run(kafkaVersion: '2.1' | '2.2'): Violation[] {
  const r = new TestRun({ kafkaVersion, metadataMode: 'zookeeper' }).election(0, 'initial', 'b2', 0, ALL, 0);
  r.append(10, 'b2', ids(71), 0, 0, 'leader').append(11, 'b1', ids(71), 0, 0).append(11, 'b3', ids(71), 0, 0).hw(12, 'b2', 71, 0);
  r.logLost(1006, 'b2', 71, 0, ids(71), 'power-loss');
  r.isr(1007, 'isr-shrink', ['b2', 'b3'], 1);
  r.event(7110, 'b2', { type: 'become-leader', partition: 'orders-0', leaderEpoch: 1, leaderEpochStartOffset: 0 });
  r.truncate(8026, 'b1', 71, 0, ids(71), 'leader-epoch');
  r.isr(8528, 'isr-expand', ALL, 1);
  r.election(9008, 'controlled-shutdown', 'b1', 2, ['b1', 'b3'], 0, 'b2');
  r.truncate(9012, 'b3', 71, 0, ids(71), 'leader-epoch');
  const final = finalPartition('orders-0', 'b1', 2, ['b1', 'b3'], [{ broker: 'b1', records: [] }, { broker: 'b3', records: [] }]);
  return r.finish(10000, [final]).violations.filter((v) => v.property === 'hw-above-isr-leo');
}

describe('missed bounce: the rewritten log carried on by a follower that truncated to it', () => {
  it('Kafka 2.1: b3 truncating below the committed HW to b1, elected after following the retaken leader, is KIP-380', () => {
    const v = run('2.1');
    expect(v.length).toBeGreaterThan(0);
    expect(v.every((x) => x.classification === 'permitted' && x.permittedBy === 'version')).toBe(true);
    expect(v.map((x) => x.reason).join(' ')).toContain('b2 restarted and took leadership of orders-0 back');
  });

  it('Kafka 2.2 (decoy): the controller sees the bounce, so the same shape is a breach', () => {
    expect(run('2.2').some((x) => x.classification === 'breach')).toBe(true);
  });
});

// The same carrier through group-metadata-loss (missedBounceAtElection): ksim check on check-small,
// ZooKeeper, auto-commit group, seed 11, run 183, on Apache 0.11 and on MSK 2.1 alike: b2, leading
// __consumer_offsets-42, lost power at 3.19 s during a rolling restart, retook it in epoch 1 at 9.0 s
// from its emptied log (the controller missed its bounce), b1 truncated to it, and b2's controlled
// shutdown elected b1 with LEO 0 below the HW: group g1 started over at generation 1 (double-assignment).
const OFFSETS = '__consumer_offsets-42';

function groupRun(kafkaVersion: '0.11' | '2.1' | '2.2', b1TruncatedAtMs = 9406): Violation[] {
  const r = new TestRun({ kafkaVersion, metadataMode: 'zookeeper', partitions: 2 });
  r.election(0, 'initial', 'b2', 0, ['b2', 'b1', 'b3'], 0, null, OFFSETS).hw(5, 'b2', 1, 0, OFFSETS);
  r.assignment(10, 'm1', 1, ['orders-0']);
  r.logLost(3191, 'b2', 1, 0, [101], 'power-loss', OFFSETS);
  r.isr(3394, 'isr-shrink', ['b2', 'b3'], 1, OFFSETS);
  r.becomeLeader(9008, 'b2', 1, OFFSETS);
  r.truncate(b1TruncatedAtMs, 'b1', 1, 0, [101], 'leader-epoch', OFFSETS);
  r.isr(9908, 'isr-expand', ['b2', 'b1', 'b3'], 1, OFFSETS);
  r.isr(10908, 'isr-shrink', ['b1', 'b3'], 2, OFFSETS).election(10908, 'controlled-shutdown', 'b1', 2, ['b1', 'b3'], 0, 'b2', OFFSETS);
  r.becomeLeader(10909, 'b1', 2, OFFSETS);
  r.assignment(15234, 'm2', 1, ['orders-0']);
  return r.finish(16000, [], false, [{ group: 'g', offsetsPartition: OFFSETS, coordinator: 'b1', committed: [] }]).violations.filter((v) => v.property === 'double-assignment');
}

describe("missed bounce: an offsets partition's follower that truncated to the retaken leader's log, then elected below the HW", () => {
  it('Kafka 0.11 and 2.1: the group restarting from scratch is KIP-380, not a breach', () => {
    for (const version of ['0.11', '2.1'] as const) {
      const v = groupRun(version);
      expect(v).toHaveLength(1);
      expect(v[0]).toMatchObject({ classification: 'permitted', permittedBy: 'version' });
      expect(v[0].reason).toContain(`Kafka ${version}: KIP-380`);
      expect(v[0].reason).toContain(`b2 restarted and took leadership of ${OFFSETS} back in epoch 1 at 9.008s with no election`);
      expect(v[0].reason).toContain(`b1 had truncated to its log, then b1 was elected leader of ${OFFSETS} at 10.908s with LEO 0 (its log end when it took over at 10.909s)`);
    }
  });

  it('decoys: on 2.2 the controller sees the bounce (a breach); a follower that truncated before the leader retook the partition carries nothing (a breach)', () => {
    expect(groupRun('2.2')[0]).toMatchObject({ classification: 'breach' });
    expect(groupRun('2.1', 3300)[0]).toMatchObject({ classification: 'breach' });
  });
});
