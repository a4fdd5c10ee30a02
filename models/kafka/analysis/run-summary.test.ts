import { describe, expect, it } from 'vitest';
import { finalPartition, TestRun } from '../checkers/kafka-test-run.ts';

describe('Kafka run summary', () => {
  it('counts outcomes, latency per acks (nearest rank), elections, truncations and unavailability', () => {
    const run = new TestRun({ partitions: 2, producers: [{ name: 'p1', acks: 'all' }, { name: 'p2', acks: '1' }] })
      .election(0, 'initial', 'b1', 0, ['b1', 'b2', 'b3'], 0, null, 'orders-0')
      .election(0, 'initial', 'b2', 0, ['b2', 'b3', 'b1'], 0, null, 'orders-1')
      .becomeLeader(0, 'b1', 0, 'orders-0')
      .becomeLeader(0, 'b2', 0, 'orders-1');
    // p1: 10 acked records with latencies 1..10 ms; p2: 4 with 20, 30, 40, 50 ms.
    for (let i = 1; i <= 10; i++) run.send(100, 'p1', i).ok(100 + i, 'p1', i, i - 1, 0, i);
    [20, 30, 40, 50].forEach((latencyMs, i) => run.send(200, 'p2', 100 + i, 'orders-1').ok(200 + latencyMs, 'p2', 100 + i, i, 0, latencyMs, 'orders-1'));
    run
      .send(300, 'p1', 50)
      .fail(400, 'p1', 50, 'NOT_ENOUGH_REPLICAS', true)
      .send(300, 'p1', 51)
      .fail(400, 'p1', 51, 'DELIVERY_TIMEOUT', false)
      .send(300, 'p1', 52) // never answered
      .isr(1000, 'isr-shrink', ['b1'], 0, 'orders-0') // below min.insync.replicas=2 from 1 s
      .isr(2500, 'isr-expand', ['b1', 'b2'], 0, 'orders-0') // 1.5 s
      .election(3000, 'unclean', 'b3', 1, ['b3'], 3, 'b2', 'orders-1') // ISR [b3]: below min for acks=all from 3 s
      .resignLeader(3000, 'b2', 0, 'new-leader', 'orders-1')
      .becomeLeader(3000, 'b3', 1, 'orders-1')
      .truncate(3100, 'b2', 4, 3, [103], 'leader-epoch', 'orders-1')
      .logLost(3200, 'b1', 2, 4, [102, 103], 'power-loss', 'orders-1')
      .down(4000, 'b3') // orders-1 has no leader serving from 4 s to the end: 6 s
      .election(4000, 'clean', null, 2, ['b3'], 0, 'b3', 'orders-1');
    const { summary, lines } = run.finish(10_000, [
      finalPartition('orders-0', 'b1', 0, ['b1', 'b2'], [{ broker: 'b1', records: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10] }]),
      finalPartition('orders-1', null, 2, ['b3'], [{ broker: 'b3', records: [100, 101, 102], alive: false }]),
    ]);
    expect(summary).toMatchObject({
      recordsSent: 17,
      recordsAcked: 14,
      recordsFailed: 1,
      recordsUnknown: 2,
      recordsInFlightAtEnd: 1,
      recordsLost: 1, // r103: acked, on no replica of the offline orders-1
      recordsUnreachable: 3,
      partitions: 2,
      partitionsOfflineAtEnd: 1,
      latencyPercentileMethod: 'nearest-rank',
      latencyMsP50: 7, // 14 samples 1..10,20..50: rank 7
      latencyMsP99: 50,
      latencyMsMax: 50,
      electionsInitial: 2,
      electionsUnclean: 1,
      electionsOffline: 1,
      isrShrinks: 1,
      isrExpands: 1,
      recordsTruncated: 1,
      recordsLostToPowerLoss: 2,
    });
    expect(summary.produceLatency).toEqual([
      { acks: 'all', acked: 10, latencyMsP50: 5, latencyMsP99: 10, latencyMsMax: 10 },
      { acks: '1', acked: 4, latencyMsP50: 30, latencyMsP99: 50, latencyMsMax: 50 },
    ]);
    // acks=all: orders-0 1.5 s with the ISR below 2; orders-1 1 s with ISR [b3], then 6 s without a leader.
    // acks=1: only the 6 s without a leader.
    expect(summary.unavailabilityByClients).toEqual([
      { clients: 'acks=all', partitions: 2, unavailableMs: 8500, isrBelowMinMs: 2500, hwStalledMs: 0, headOfLineBlockedMs: 0, partitionsUnavailableAtEnd: 1 },
      { clients: 'acks=0/1', partitions: 2, unavailableMs: 6000, isrBelowMinMs: 0, hwStalledMs: 0, headOfLineBlockedMs: 0, partitionsUnavailableAtEnd: 1 },
    ]);
    expect(summary.unavailablePartitions).toEqual([
      { partition: 'orders-0', clients: 'acks=all', unavailableMs: 1500, isrBelowMinMs: 1500, hwStalledMs: 0, headOfLineBlockedMs: 0, spells: 1, unavailableAtEnd: false, minInsyncReplicas: 2 },
      { partition: 'orders-1', clients: 'acks=all', unavailableMs: 7000, isrBelowMinMs: 1000, hwStalledMs: 0, headOfLineBlockedMs: 0, spells: 1, unavailableAtEnd: true, minInsyncReplicas: 2 },
      { partition: 'orders-1', clients: 'acks=0/1', unavailableMs: 6000, isrBelowMinMs: 0, hwStalledMs: 0, headOfLineBlockedMs: 0, spells: 1, unavailableAtEnd: true, minInsyncReplicas: 2 },
    ]);
    expect(lines).toEqual([
      'records: 17 sent, 14 acked, 1 failed, 2 unknown; 1 lost, 0 duplicated, 0 reordered, 3 unreachable (partition offline)',
      'partition-side unavailability for acks=all writers: 8.5 s in all over 2 partitions (2.5 s of it with the ISR below min.insync.replicas); ' +
        'orders-0 1.5 s (all with the ISR below min.insync.replicas=2), orders-1 7.0 s (1.0 s of it with the ISR below min.insync.replicas=2, still at end)',
      'partition-side unavailability for acks=0/1 writers: 6.0 s in all over 2 partitions; orders-1 6.0 s (still at end)',
      // p1 waited on r52 from 0.3 s to the end, through orders-0's 1.5 s below min.insync.replicas;
      // p2's sends were all answered by 0.25 s, before orders-1 lost its leader.
      'client-felt unavailability for producers (a send waiting while no leader served it): p1 1.5 s on 1 partition (of 9.7 s with sends waiting), p2 none (of 50 ms with sends waiting)',
      'produce latency ms: acks=all p50 5.0, p99 10.0, max 10.0; acks=1 p50 30.0, p99 50.0, max 50.0',
      'elections: 0 clean, 1 unclean, 0 preferred, 0 controlled-shutdown, 1 left offline; ISR 1 shrinks, 1 expands; record copies truncated 1, lost to power loss 2',
    ]);
  });

  it("counts ISR shrinks and expansions as Kafka's IsrShrinksPerSec/IsrExpandsPerSec do (the leaders'); the controller's removal at a clean election apart", () => {
    const run = new TestRun()
      .election(0, 'initial', 'b1', 0, ['b1', 'b2', 'b3'], 0)
      .becomeLeader(0, 'b1', 0)
      // b1 fenced: the controller takes it out of the ISR as it elects b2
      .isr(1000, 'isr-shrink', ['b2', 'b3'], 1, 'orders-0', true)
      .election(1000, 'clean', 'b2', 1, ['b2', 'b3'], 0, 'b1')
      .becomeLeader(1002, 'b2', 1)
      // decoys: b2's own shrink of b3 and its taking b1 back (AlterPartition)
      .isr(3000, 'isr-shrink', ['b2'], 1)
      .isr(5000, 'isr-expand', ['b2', 'b1'], 1);
    const { summary, lines } = run.finish(10_000, undefined);
    expect(summary).toMatchObject({ isrShrinks: 1, isrExpands: 1, isrRemovalsByController: 1 });
    expect(lines.find((l) => l.startsWith('elections:'))).toContain("ISR 1 shrinks, 1 expands, 1 controller removals (IsrShrinksPerSec counts the leaders' shrinks only);");
    const leaderOnly = new TestRun().election(0, 'initial', 'b1', 0, ['b1', 'b2', 'b3'], 0).becomeLeader(0, 'b1', 0).isr(3000, 'isr-shrink', ['b1'], 0).finish(10_000, undefined);
    expect(leaderOnly.lines.find((l) => l.startsWith('elections:'))).toContain('ISR 1 shrinks, 0 expands; ');
  });

  it('prints one latency triple for a single acks setting and says when no final logs were reported', () => {
    const { summary, lines } = new TestRun()
      .election(0, 'initial', 'b1', 0, ['b1', 'b2', 'b3'], 0)
      .becomeLeader(0, 'b1', 0)
      .sendAndAck(10, 'p1', [1, 2, 3], 0, 0)
      .finish(100, undefined);
    expect(summary.finalStateAvailable).toBe(false);
    expect(lines[0]).toBe('records: 3 sent, 3 acked, 0 failed, 0 unknown; no final logs, loss not judged');
    expect(lines[1]).toBe('partition-side unavailability for acks=all writers: none');
    expect(lines[2]).toBe('partition-side unavailability for acks=0/1 writers: n/a (the scenario has none)');
    expect(lines[3]).toBe('client-felt unavailability for producers (a send waiting while no leader served it): p1 none (of 1 ms with sends waiting)');
    expect(lines[4]).toBe('produce latency ms: p50 1.0, p99 1.0, max 1.0');
  });

  it('names the producers\' errors by code, most first, as the group line names its failed commits; none, no line', () => {
    const errors = ['NOT_ENOUGH_REPLICAS', 'NOT_LEADER_OR_FOLLOWER', 'NOT_ENOUGH_REPLICAS', 'NOT_ENOUGH_REPLICAS', 'NOT_LEADER_OR_FOLLOWER', 'KAFKA_STORAGE_ERROR'];
    const run = new TestRun().election(0, 'initial', 'b1', 0, ['b1', 'b2', 'b3'], 0).becomeLeader(0, 'b1', 0);
    errors.forEach((error, i) => run.event(20 + i, 'p1', { type: 'produce-error', partition: 'orders-0', producer: 'p1', error }));
    const { summary, lines } = run.sendAndAck(10, 'p1', [1, 2, 3], 0, 0).finish(100, undefined);
    expect(summary.produceErrors).toBe(6);
    expect(summary.produceErrorsByCode).toEqual({ NOT_ENOUGH_REPLICAS: 3, NOT_LEADER_OR_FOLLOWER: 2, KAFKA_STORAGE_ERROR: 1 });
    expect(Object.keys(summary.produceErrorsByCode)).toEqual(['NOT_ENOUGH_REPLICAS', 'NOT_LEADER_OR_FOLLOWER', 'KAFKA_STORAGE_ERROR']);
    expect(lines[lines.findIndex((l) => l.startsWith('produce latency ms:')) + 1]).toBe('produce errors: 6 failed batch attempts, retried or not (NOT_ENOUGH_REPLICAS 3, NOT_LEADER_OR_FOLLOWER 2, KAFKA_STORAGE_ERROR 1)');

    const clean = new TestRun().election(0, 'initial', 'b1', 0, ['b1', 'b2', 'b3'], 0).becomeLeader(0, 'b1', 0).sendAndAck(10, 'p1', [1, 2, 3], 0, 0).finish(100, undefined);
    expect(clean.summary.produceErrorsByCode).toEqual({});
    expect(clean.lines.some((l) => l.startsWith('produce errors'))).toBe(false);
  });

  it('says when the lost records were sent with acks=0 (which promises no durability); the same loss under acks=1 is a decoy', () => {
    const lostOf = (acks: '0' | '1') =>
      new TestRun({ producers: [{ name: 'p1', acks }] })
        .election(0, 'initial', 'b1', 0, ['b1', 'b2', 'b3'], 0)
        .becomeLeader(0, 'b1', 0)
        .sendAndAck(10, 'p1', [1, 2, 3], acks === '0' ? -1 : 0, 0)
        .append(10, 'b1', [1], 0, 0, 'leader')
        .finish(100, [finalPartition('orders-0', 'b1', 0, ['b1', 'b2', 'b3'], [{ broker: 'b1', records: [1] }])]);
    const acksZero = lostOf('0');
    expect(acksZero.summary).toMatchObject({ recordsLost: 2, recordsLostAcksZero: 2 });
    expect(acksZero.lines[0]).toBe('records: 3 sent, 3 acked, 0 failed, 0 unknown; 2 lost (all sent with acks=0, which promises no durability), 0 duplicated, 0 reordered');
    const acksOne = lostOf('1');
    expect(acksOne.summary.recordsLost).toBe(2);
    expect(acksOne.summary).not.toHaveProperty('recordsLostAcksZero');
    expect(acksOne.lines[0]).toBe('records: 3 sent, 3 acked, 0 failed, 0 unknown; 2 lost, 0 duplicated, 0 reordered');
  });

  it("names an upgrade's steps, broker by broker, with when; a run without version changes has no such line", () => {
    const base = () =>
      new TestRun()
        .election(0, 'initial', 'b1', 0, ['b1', 'b2', 'b3'], 0)
        .becomeLeader(0, 'b1', 0)
        .sendAndAck(10, 'p1', [1], 0, 0)
        .append(10, 'b1', [1], 0, 0, 'leader');
    const final = () => [finalPartition('orders-0', 'b1', 0, ['b1', 'b2', 'b3'], [{ broker: 'b1', records: [1] }])];
    const upgraded = base()
      .event(2000, 'b2', { type: 'version-change', software: '3.8', protocolLevel: '3.7' })
      .finish(100_000, final());
    expect(upgraded.summary.upgradeSteps).toEqual(['2.000 s b2 Kafka 3.7 -> 3.8']);
    expect(upgraded.lines).toContain('upgrade steps: 2.000 s b2 Kafka 3.7 -> 3.8');
    const plain = base().finish(100_000, final());
    expect(plain.summary).not.toHaveProperty('upgradeSteps');
    expect(plain.lines.some((l) => l.startsWith('upgrade'))).toBe(false);
  });

  describe('a maximum from the cluster start-up', () => {
    /**
     * orders-0 has its first leader at 0 ms, orders-1 at 100 ms; r1 waits for it from 0 ms to
     * 105 ms. With `addedAtMs`, a third partition is created then (create-partitions).
     */
    function startup(laterLatencyMs: number, addedAtMs?: number) {
      const run = new TestRun({ partitions: 3 })
        .election(0, 'initial', 'b1', 0, ['b1', 'b2', 'b3'], 0, null, 'orders-0')
        .becomeLeader(0, 'b1', 0, 'orders-0')
        .send(0, 'p1', 1, 'orders-1')
        .election(100, 'initial', 'b2', 0, ['b2', 'b3', 'b1'], 0, null, 'orders-1')
        .becomeLeader(100, 'b2', 0, 'orders-1')
        .ok(105, 'p1', 1, 0, 0, 105, 'orders-1');
      [5, 6, laterLatencyMs].forEach((latencyMs, i) => run.send(200, 'p1', 10 + i).ok(200 + latencyMs, 'p1', 10 + i, i, 0, latencyMs));
      if (addedAtMs !== undefined) run.election(addedAtMs, 'initial', 'b3', 0, ['b3', 'b1', 'b2'], 0, null, 'orders-2').send(addedAtMs + 100, 'p1', 20).ok(addedAtMs + 104, 'p1', 20, 3, 0, 4);
      return run.finish(1000, undefined);
    }

    it('says the maximum was a record sent before the first leaders, and the maximum after them', () => {
      const { summary, lines } = startup(7);
      expect(summary.produceLatency).toEqual([{ acks: 'all', acked: 4, latencyMsP50: 6, latencyMsP99: 105, latencyMsMax: 105, latencyMsMaxAfterStartup: 7, startupMs: 100 }]);
      expect(lines[4]).toBe('produce latency ms: p50 6.0, p99 105.0, max 105.0 (a record sent before the first leader elections, done at 0.100 s; 7.0 after them)');
    });

    it('decoy: a partition added later (its initial election after the first acknowledgement) is not the start-up', () => {
      const { summary, lines } = startup(300, 600);
      expect(summary.produceLatency[0]).not.toHaveProperty('latencyMsMaxAfterStartup');
      expect(lines[4]).toBe('produce latency ms: p50 6.0, p99 300.0, max 300.0');
      expect(summary.produceLatency[0].acked).toBe(5);
    });

    it('decoy: a later record slower than the start-up wait is the maximum as it is, with nothing added', () => {
      const { summary, lines } = startup(300);
      expect(summary.produceLatency[0]).not.toHaveProperty('latencyMsMaxAfterStartup');
      expect(lines[4]).toBe('produce latency ms: p50 6.0, p99 300.0, max 300.0');
    });
  });
});
