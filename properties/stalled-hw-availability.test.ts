// The unavailability figure on the run a `ksim check` hunt shrank for KIP-380 (Kafka 2.1, ZooKeeper):
// orders-0's leader b3 loses power for 1 ms at 0.108 s. The controller misses the bounce, b3 leads
// orders-0 again at 6.2 s with an empty log, and its follower b1 waits out the connection to the
// b3 that lost power (replica.socket.timeout.ms, 30 s), so orders-0's high watermark never moves
// again: nothing acks=all writes to it is acknowledged after 0.107 s. orders-1, led by b1
// throughout, waits for its ISR member b3 until b3 fetches again at 6.2 s. The figure used to say
// orders-0 6.1 s (only the leaderless time) and orders-1 nothing.

import { describe, expect, it } from 'vitest';
import checkSmall from '../models/kafka/presets/check-small.scenario.json' with { type: 'json' };
import { readKafkaRunSummary } from '../models/kafka/checkers/run-summary-checker.ts';
import { runScenario } from '../models/kafka/testing/scenario-run.ts';

const SETTINGS = [
  'preset=apache',
  'kafkaVersion=2.1',
  'acks=all',
  'min.insync.replicas=2',
  'unclean.leader.election.enable=false',
  'enable.idempotence=true',
  'faults=[{"atMs":103,"kind":"partition","groups":[["@follower:orders-0"],["c1","c2","c3"]],"durationMs":9600},{"atMs":108,"kind":"power-loss","node":"@leader:orders-0","durationMs":1}]',
];

describe('unavailability when the leader cannot commit', () => {
  it('a leader whose ISR member does not fetch is unavailable to acks=all writers until the run ends; the acknowledgements agree', () => {
    const { report, events } = runScenario(checkSmall, SETTINGS);
    const summary = readKafkaRunSummary(report)!;
    const acked = (partition: string) => events.filter(([, , ev]) => ev.type === 'send-ok' && ev.partition === partition).map(([t]) => t / 1000);
    const row = (partition: string) => summary.unavailablePartitions.find((r) => r.partition === partition && r.clients === 'acks=all')!;

    // orders-0: its last acknowledgement is before the power loss; unavailable from then to the end.
    const lastAckMs = Math.max(...acked('orders-0'));
    expect(lastAckMs).toBeLessThan(108);
    expect(row('orders-0').unavailableAtEnd).toBe(true);
    expect(row('orders-0').unavailableMs).toBeGreaterThan(20_000 - 108 - 200);
    expect(row('orders-0').hwStalledMs).toBeGreaterThan(13_000);

    // orders-1: no acknowledgement between the power loss and b3's return; all of it stalled.
    const acks1 = acked('orders-1');
    const resumedMs = Math.min(...acks1.filter((t) => t > 108));
    expect(resumedMs).toBeGreaterThan(6000);
    expect(row('orders-1').hwStalledMs).toBe(row('orders-1').unavailableMs);
    expect(row('orders-1').unavailableMs).toBeGreaterThan(resumedMs - 108 - 100);
    expect(row('orders-1').unavailableMs).toBeLessThanOrEqual(resumedMs - 108);
  });
});
