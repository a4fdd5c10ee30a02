// MissedBounces' carriers through hw-above-isr-leo: a follower that truncated to the log of a
// leader whose restart the ZooKeeper controller missed holds that rewritten log, not the committed
// one; when a replica that kept the committed records is elected, the follower truncates to it
// below the committed offset. That is the missed bounce still, until the follower has reached the
// committed offset again. Hand-built from ksim check on check-small-like MSK 2.1 ZooKeeper with a
// rolling upgrade to 2.2 at 4 s (trace upg21-hw-above-isr-leo-97685d74dad1ecbc, one fault: a disk
// loss at 0.142 s): b2 led orders-1 with records 0..2 committed (HW 3), lost its log, retook the
// partition in epoch 1 (an ISR shrink's bump) at 6.246 s from its empty log; b1 truncated to it and
// copied b2's new log (129 records, uncommitted: b3 stayed at 3); b2's controlled shutdown elected
// b3, which still held epoch 0's records 0..2, and b1 truncated from 129 to 0, below the HW 3.
// lost-write and inconsistent-offsets blamed KIP-380 for the same run; hw-above-isr-leo gave a breach.
import { describe, expect, it } from 'vitest';
import type { Violation } from '../../../src/sim/model.ts';
import { finalPartition, TestRun } from './kafka-test-run.ts';

const ids = (from: number, n: number) => Array.from({ length: n }, (_, i) => from + i);
const ALL = ['b2', 'b3', 'b1'];

/** The run's shape; `after` adds what happens once b1 truncated to b3 (ms from 9006). */
function run(kafkaVersion: '2.1' | '2.2', after?: (r: TestRun) => void): Violation[] {
  const r = new TestRun({ kafkaVersion, metadataMode: 'zookeeper' }).election(100, 'initial', 'b2', 0, ALL, 0);
  r.append(110, 'b2', ids(1, 3), 0, 0, 'leader').append(111, 'b3', ids(1, 3), 0, 0).append(111, 'b1', ids(1, 3), 0, 0).hw(112, 'b2', 3, 0);
  r.logLost(142, 'b2', 3, 0, ids(1, 3), 'disk-loss');
  r.isr(4000, 'isr-shrink', ['b2', 'b3'], 1);
  r.becomeLeader(6246, 'b2', 1);
  r.append(6300, 'b2', ids(101, 129), 0, 1, 'leader');
  r.truncate(7010, 'b1', 3, 0, ids(1, 3), 'leader-epoch');
  r.append(7100, 'b1', ids(101, 129), 0, 1);
  r.isr(7512, 'isr-expand', ALL, 1);
  r.isr(8001, 'isr-shrink', ['b3', 'b1'], 2).election(8001, 'controlled-shutdown', 'b3', 2, ['b3', 'b1'], 3, 'b2');
  r.becomeLeader(8003, 'b3', 2);
  r.truncate(9006, 'b1', 129, 0, ids(101, 129), 'leader-epoch');
  after?.(r);
  const final = finalPartition('orders-0', 'b3', 2, ['b3', 'b1'], [{ broker: 'b3', records: ids(1, 3) }, { broker: 'b1', records: ids(1, 3) }]);
  return r.finish(20000, [final]).violations.filter((v) => v.property === 'hw-above-isr-leo');
}

describe("missed bounce: a carrier of the retaken leader's log truncating to a leader that kept the committed records", () => {
  it('Kafka 2.1: b1 falling below the committed HW as it truncates to b3 is KIP-380, not a breach', () => {
    const v = run('2.1');
    expect(v).toHaveLength(1);
    expect(v[0]).toMatchObject({ classification: 'permitted', permittedBy: 'version' });
    expect(v[0].reason).toContain('Kafka 2.1: KIP-380');
    expect(v[0].reason).toContain('b2 restarted and took leadership of orders-0 back in epoch 1 at 6.246s with no election');
    expect(v[0].reason).toContain('b1 had truncated to its log');
    expect(v[0].message).toContain('at 9.006s b1 truncated from 129 (leader-epoch truncation): ISR member b1 has LEO 0, below the committed HW 3');
  });

  it('Kafka 2.2 (decoy): the controller sees the bounce, so the same shortfall is a breach', () => {
    const v = run('2.2');
    expect(v).toHaveLength(1);
    expect(v[0].classification).toBe('breach');
  });

  it('decoy: once b1 has the committed records again it carries nothing, and a later cut below the HW is a breach', () => {
    const v = run('2.1', (r) => {
      // b1 copies b3's log back up to the HW, b3 advances it to 5 with b1 in sync; then b1 is cut to 1 under the same leader.
      r.append(9010, 'b1', ids(1, 3), 0, 0).append(9100, 'b3', [11, 12], 3, 2, 'leader').append(9101, 'b1', [11, 12], 3, 2).hw(9102, 'b3', 5, 2);
      r.truncate(9500, 'b1', 5, 1, [2, 3, 11, 12], 'leader-epoch');
    });
    expect(v).toHaveLength(2);
    const [permittedOne, breached] = [v.find((x) => x.firstAtUs === 9006000), v.find((x) => x.firstAtUs === 9500000)];
    expect(permittedOne).toMatchObject({ classification: 'permitted', permittedBy: 'version' });
    expect(breached?.classification).toBe('breach');
    expect(breached?.reason).not.toContain('KIP-380');
  });
});

// hw-decreased follows the carriers too (fed the followers' truncations): the retaken leader's log
// leads on through the elections of its carriers. A carrier that restarts again in its epoch is a
// bounce of its own, judged by what the cluster ran then: after a rolling upgrade to 2.2 the
// controller sees it, so a HW moving back from it is a breach, not the 2.1-era retake's flaw.
function bouncedTwice(upgradeAtMs: number | null): Violation[] {
  const r = new TestRun({ kafkaVersion: '2.1', metadataMode: 'zookeeper' }).election(100, 'initial', 'b2', 0, ALL, 0);
  r.append(110, 'b2', ids(1, 3), 0, 0, 'leader').append(111, 'b3', ids(1, 3), 0, 0).append(111, 'b1', ids(1, 3), 0, 0).hw(112, 'b2', 3, 0);
  r.logLost(142, 'b2', 3, 0, ids(1, 3), 'disk-loss');
  r.isr(4000, 'isr-shrink', ['b2', 'b3'], 1).becomeLeader(6246, 'b2', 1);
  r.append(6300, 'b2', ids(101, 60), 0, 1, 'leader');
  r.truncate(7010, 'b1', 3, 0, ids(1, 3), 'leader-epoch').append(7100, 'b1', ids(101, 60), 0, 1);
  r.isr(7512, 'isr-expand', ALL, 1);
  // b1, which carries b2's log, is elected; then b2, which never had to truncate under it.
  r.isr(8001, 'isr-shrink', ['b1', 'b3'], 2).election(8001, 'controlled-shutdown', 'b1', 2, ['b1', 'b3'], 60, 'b2').becomeLeader(8003, 'b1', 2);
  if (upgradeAtMs !== null) for (const b of ['b1', 'b2', 'b3']) r.event(upgradeAtMs, b, { type: 'version-change', software: '2.2', protocolLevel: '2.1' });
  r.isr(10001, 'isr-shrink', ['b2', 'b3'], 3).election(10001, 'controlled-shutdown', 'b2', 3, ['b2', 'b3'], 60, 'b1').becomeLeader(10003, 'b2', 3);
  r.append(10100, 'b2', ids(201, 20), 60, 3, 'leader').hw(10200, 'b2', 80, 3);
  // b2 restarts in epoch 3 (a crash: its log kept, its HW checkpoint older) and leads it again.
  r.becomeLeader(12000, 'b2', 3).hw(12100, 'b2', 70, 3);
  const final = finalPartition('orders-0', 'b2', 3, ['b2', 'b3'], [{ broker: 'b2', records: [] }, { broker: 'b3', records: [] }]);
  return r.finish(20000, [final]).violations.filter((v) => v.property === 'hw-decreased');
}

describe('missed bounce: a carrier that bounces again is a bounce of its own', () => {
  it('all on 2.1: the HW b2 moves back after restarting in epoch 3 is KIP-380, naming that restart', () => {
    const v = bouncedTwice(null);
    expect(v).toHaveLength(1);
    expect(v[0]).toMatchObject({ classification: 'permitted', permittedBy: 'version' });
    expect(v[0].reason).toContain('b2 restarted and took leadership of orders-0 back in epoch 3 at 12.000s');
  });

  it('upgraded to 2.2 before that restart: the controller sees it, so the HW moving back is a breach (not the 2.1-era retake of epoch 1)', () => {
    const v = bouncedTwice(9000);
    expect(v).toHaveLength(1);
    expect(v[0].classification).toBe('breach');
    expect(v[0].reason).toContain('b2 restarted and took leadership of orders-0 back in epoch 3 at 12.000s');
  });
});

// A carrier elected while the rewritten log leads, then bumped to a newer epoch with no election
// (the ZooKeeper controller's ISR removal), leads that log on: a follower truncating to it there
// carries it too. Shape of missed-bounce.test.ts (check-small, MSK 2.1, seed 11, run 183), with
// b3 dropped from the ISR before it truncates, and taken back in short of the committed HW.
function carrierBumped(kafkaVersion: '2.1' | '2.2'): Violation[] {
  const all = ['b1', 'b2', 'b3'];
  const r = new TestRun({ kafkaVersion, metadataMode: 'zookeeper' }).election(0, 'initial', 'b2', 0, all, 0);
  r.append(10, 'b2', ids(1, 71), 0, 0, 'leader').append(11, 'b1', ids(1, 71), 0, 0).append(11, 'b3', ids(1, 71), 0, 0).hw(12, 'b2', 71, 0);
  r.logLost(1006, 'b2', 71, 0, ids(1, 71), 'power-loss');
  r.isr(1007, 'isr-shrink', ['b2', 'b3'], 1).becomeLeader(7110, 'b2', 1);
  r.truncate(8026, 'b1', 71, 0, ids(1, 71), 'leader-epoch');
  r.isr(8528, 'isr-expand', all, 1);
  r.isr(9008, 'isr-shrink', ['b1', 'b3'], 2).election(9008, 'controlled-shutdown', 'b1', 2, ['b1', 'b3'], 0, 'b2').becomeLeader(9009, 'b1', 2);
  r.isr(9010, 'isr-shrink', ['b1'], 3).becomeLeader(9011, 'b1', 3);
  r.truncate(9100, 'b3', 71, 0, ids(1, 71), 'leader-epoch');
  r.isr(9200, 'isr-expand', ['b1', 'b3'], 3);
  const final = finalPartition('orders-0', 'b1', 3, ['b1', 'b3'], [{ broker: 'b1', records: [] }, { broker: 'b3', records: [] }]);
  return r.finish(10000, [final]).violations.filter((v) => v.property === 'hw-above-isr-leo');
}

describe('missed bounce: a carrier bumped to a newer epoch leads the rewritten log on', () => {
  it('Kafka 2.1: b3, taken back in after truncating to b1 in the bumped epoch, short of the committed HW, is KIP-380', () => {
    const v = carrierBumped('2.1');
    expect(v).toHaveLength(1);
    expect(v[0]).toMatchObject({ classification: 'permitted', permittedBy: 'version' });
    expect(v[0].message).toContain('the ISR expanded to [b1, b3] in epoch 3: ISR member b3 has LEO 0, below the committed HW 71');
    expect(v[0].reason).toContain('b2 restarted and took leadership of orders-0 back in epoch 1');
  });

  it('Kafka 2.2 (decoy): a breach', () => {
    expect(carrierBumped('2.2').map((x) => x.classification)).toEqual(['breach']);
  });
});

// The same carrier through group-metadata-loss (missedBounceAtElection): the upg21 shape on
// __consumer_offsets, where b1, having shed b2's rewritten log for b3's, is elected by b3's
// controlled shutdown before it has the committed records again: the group restarts from scratch
// (double-assignment). hw-above-isr-leo exempts b1 then (carrierCause); so must this election.
const OFFSETS = '__consumer_offsets-42';

function groupRun(kafkaVersion: '2.1' | '2.2'): Violation[] {
  const r = new TestRun({ kafkaVersion, metadataMode: 'zookeeper', partitions: 2 });
  r.election(0, 'initial', 'b2', 0, ALL, 0, null, OFFSETS).hw(5, 'b2', 3, 0, OFFSETS);
  r.assignment(10, 'm1', 1, ['orders-0']);
  r.logLost(142, 'b2', 3, 0, ids(101, 3), 'disk-loss', OFFSETS);
  r.isr(4000, 'isr-shrink', ['b2', 'b3'], 1, OFFSETS).becomeLeader(6246, 'b2', 1, OFFSETS);
  r.truncate(7010, 'b1', 3, 0, ids(101, 3), 'leader-epoch', OFFSETS);
  r.isr(7512, 'isr-expand', ALL, 1, OFFSETS);
  r.isr(8001, 'isr-shrink', ['b3', 'b1'], 2, OFFSETS).election(8001, 'controlled-shutdown', 'b3', 2, ['b3', 'b1'], 3, 'b2', OFFSETS).becomeLeader(8003, 'b3', 2, OFFSETS);
  r.truncate(9006, 'b1', 129, 0, ids(201, 129), 'leader-epoch', OFFSETS);
  r.isr(9010, 'isr-shrink', ['b1'], 3, OFFSETS).election(9010, 'controlled-shutdown', 'b1', 3, ['b1'], 0, 'b3', OFFSETS).becomeLeader(9011, 'b1', 3, OFFSETS);
  r.assignment(12000, 'm2', 1, ['orders-0']);
  return r.finish(16000, [], false, [{ group: 'g', offsetsPartition: OFFSETS, coordinator: 'b1', committed: [] }]).violations.filter((v) => v.property === 'double-assignment');
}

describe("missed bounce: an offsets partition's carrier that shed the rewritten log, elected short of the HW", () => {
  it('Kafka 2.1: the group restarting from scratch is KIP-380, as hw-above-isr-leo exempts that replica, not a breach', () => {
    const v = groupRun('2.1');
    expect(v).toHaveLength(1);
    expect(v[0]).toMatchObject({ classification: 'permitted', permittedBy: 'version' });
    expect(v[0].reason).toContain(`b2 restarted and took leadership of ${OFFSETS} back in epoch 1 at 6.246s with no election`);
    expect(v[0].reason).toContain(`b1 had truncated to its log, then b1 was elected leader of ${OFFSETS} at 9.010s with LEO 0 (its log end when it took over at 9.011s)`);
  });

  it('Kafka 2.2 (decoy): the controller sees the bounce: a breach', () => {
    expect(groupRun('2.2').map((x) => x.classification)).toEqual(['breach']);
  });
});
