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
  r.event(7110, 'b2', { type: 'become-leader', partition: 'orders-0', leaderEpoch: 1 });
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
