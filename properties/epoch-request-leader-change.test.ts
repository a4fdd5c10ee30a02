// An OffsetsForLeaderEpoch request in flight when the partition's leader changes belongs to the
// fetcher thread of the old leader (ReplicaFetcherManager runs one thread per source broker): its
// answer or timeout no longer concerns the partition. Found by `ksim check` on check-small at
// Kafka 2.2 and 1.1 (--fail-on breach, seed 21): the timeout of such a request, after the
// partition had been left without a leader by controlled shutdowns, closed the connection to
// "leader -1" and the run died with an internal error.
import { describe, expect, it } from 'vitest';
import checkSmall from '../models/kafka/presets/check-small.scenario.json' with { type: 'json' };
import { runScenario } from '../models/kafka/testing/scenario-run.ts';

const leaderless = {
  ...structuredClone(checkSmall),
  seed: '811662125',
  faults: [
    { atMs: 102, kind: 'partition', groups: [['@follower:orders-1'], ['c1', 'c2', 'c3']], durationMs: 4099 },
    { atMs: 4356, kind: 'partition', groups: [['@leader:orders-1'], ['@followers:orders-1']], durationMs: 601 },
  ],
  operations: [
    { atMs: 548, kind: 'controlled-shutdown', broker: '@leader:orders-1', durationMs: 1800 },
    { atMs: 730, kind: 'controlled-shutdown', broker: '@leader:orders-1', durationMs: 1 },
    { atMs: 6156, kind: 'controlled-shutdown', broker: '@leader:orders-1', durationMs: 1800 },
    { atMs: 6157, kind: 'controlled-shutdown', broker: '@leader:orders-1', durationMs: 1800 },
  ],
};

describe('an OffsetsForLeaderEpoch request in flight across a leader change', () => {
  it('is dropped with the old leader: the run completes and loses nothing', () => {
    const { report, events } = runScenario(leaderless, ['preset=apache', 'kafkaVersion=2.2', 'request.timeout.ms=2000']);
    expect(report.violations.filter((v) => v.classification === 'breach')).toEqual([]);
    expect(report.violations.filter((v) => v.property === 'lost-write')).toEqual([]);
    // the situation: orders-1's leadership moved by the controlled shutdowns
    expect(events.some((e) => e[2].type === 'election' && e[2].partition === 'orders-1')).toBe(true);
  });
});
