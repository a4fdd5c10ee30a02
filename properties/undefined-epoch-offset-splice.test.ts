// A log spliced after an UNDEFINED_EPOCH_OFFSET answer (ksim check --scenario check-small --set
// kafkaVersion=1.1 --fail-on breach --seed 7, run 14, shrunk; idempotent, acks=all). b1, a follower
// of orders-1, loses power at 2.199 s and restarts at once; the controller misses the bounce
// (KIP-380), so b1 stays in the ISR and is elected at 10.3 s, when b3 crashes, with an empty log
// (epoch 1). b3 restarts at 11 s and asks b1 where its epoch 0 ends: b1's epoch cache holds epoch 1
// only, and a 1.1 leader answers UNDEFINED_EPOCH_OFFSET (LeaderEpochFileCache.endOffsetFor before
// KAFKA-7415, 2.1), so b3 truncates only to its high watermark 96 (ReplicaFetcherThread
// .maybeTruncate), keeps its epoch-0 records at 0..95 where b1 wrote p1's r232... When logs were
// record-granular it appended b1's records from 96 and, elected at 15.1 s, took p1's retries of the
// batch it held half of: 67 records twice and out of send order (found as breaches; the follower's
// path is a protocol-flaw event every checker names, KAFKA-7415). Logs are batch-granular now: b1 serves b3's fetch from 96 from the start of the batch holding 96
// (LogSegment.read), at 0, below b3's LEO, and a 1.1 follower's fetcher thread ends (before KIP-461,
// 2.3): b3 stops replicating with its kept records (out of the ISR), is never elected, and no
// duplicate or reorder follows; what b1 lost stays KIP-380's. Nor is b3's log a divergence: it
// holds records below its HW that b1 lacks, but from outside the ISR it promises nothing (only an
// unclean election could make it lead: log-divergence.ts). The splice itself (KAFKA-7415's kept
// records as a divergence) is covered by back-to-back-elections.test.ts; none of this shape's seeds
// or fault times tried with one-record batches (batch.size=1) brought the duplicate back.
// On 2.1 the leader answers where its first epoch starts, b3 truncates to 0 and copies b1's log: no
// splice, no duplicate; what b1 lost is KIP-380's, and nothing names KAFKA-7415 (decoy).
import { describe, expect, it } from 'vitest';
import checkSmall from '../models/kafka/presets/check-small.scenario.json' with { type: 'json' };
import { checkSmallViolationsByVersion, runScenario } from '../models/kafka/testing/scenario-run.ts';

const drawn = {
  seed: '0',
  faults: [
    { atMs: 2199, kind: 'power-loss', node: '@follower:orders-1', durationMs: 1 },
    { atMs: 5001, kind: 'crash', node: '@leader:orders-1', durationMs: 6000 },
  ],
};
const settings = ['acks="all"', 'min.insync.replicas=2', 'unclean.leader.election.enable=false', 'enable.idempotence=true', 'leader.imbalance.check.interval.seconds=5', 'broker.rack="az"'];
const violations = checkSmallViolationsByVersion(drawn, settings);

describe('a log spliced after an UNDEFINED_EPOCH_OFFSET answer (before KAFKA-7415)', () => {
  it('Kafka 1.1: b3, answered UNDEFINED_EPOCH_OFFSET, keeps 0..95 and its fetcher ends on b1\'s batch at 0 (before KIP-461): it leaves the ISR, and no duplicate or reorder follows', () => {
    const run = runScenario({ ...structuredClone(checkSmall), ...drawn }, [...settings, 'kafkaVersion=1.1']);
    const onOrders1 = run.events.filter(([, node, e]) => node === 'b3' && e.partition === 'orders-1');
    const flaw = onOrders1.find(([, , e]) => e.type === 'protocol-flaw' && e.flaw === 'undefined-epoch-offset');
    expect(flaw?.[0]).toBe(11_007_543);
    expect(onOrders1.filter(([, , e]) => e.type === 'truncate').map(([, , e]) => [e.toOffset, e.reason])).toEqual([[96, 'high-watermark']]);
    const failed = onOrders1.filter(([, , e]) => e.type === 'fetcher-failed');
    expect(failed.map(([, , e]) => [e.leader, e.fetchOffset, e.batchBaseOffset])).toEqual([['b1', 96, 0]]);
    const shrinks = run.events.filter(([t, , e]) => e.type === 'isr-shrink' && e.partition === 'orders-1' && t > failed[0][0]);
    expect(shrinks.length).toBeGreaterThan(0);
    expect(shrinks.every(([, , e]) => !(e.isr as string[]).includes('b3'))).toBe(true);
    const vs = run.report.violations;
    expect(vs.filter((v) => v.classification === 'breach')).toEqual([]);
    expect(vs.filter((v) => v.property === 'duplicate' || v.property === 'nonmonotonic-send')).toEqual([]);
    expect(vs.filter((v) => v.property === 'lost-write')).toMatchObject([{ classification: 'permitted', permittedBy: 'version', flaws: ['KIP-380'] }]);
    // b3 ends the run holding epoch-0 records at 0..95, below its HW 96, where the leader b1 holds
    // its own epoch-1 records: no log-divergence, since b3 is out of the ISR (log-divergence.ts: its
    // fetcher can append nothing from b1, and only an unclean election could make it lead); what b1
    // lost is lost-write's, KIP-380's.
    const final = run.final.partitions.find((p) => p.partition === 'orders-1')!;
    const [b1, b3] = ['b1', 'b3'].map((b) => final.logs.find((l) => l.broker === b)!);
    expect([final.leader, final.isr]).toEqual(['b1', ['b1']]);
    expect([b3.highWatermark, b3.records[0], b3.epochs[0], b1.epochs[0]]).toEqual([96, 2, 0, 1]);
    expect(b1.highWatermark).toBeGreaterThan(96);
    expect(b1.records[0]).not.toBe(b3.records[0]);
    expect(vs.filter((v) => v.property === 'log-divergence')).toEqual([]);
  });

  it('Kafka 2.1 (decoy): no splice, so no duplicate and no reorder, and nothing names KAFKA-7415', () => {
    const vs = violations('2.1');
    expect(vs.filter((v) => v.property === 'duplicate' || v.property === 'nonmonotonic-send' || v.property === 'log-divergence')).toEqual([]);
    expect(vs.some((v) => JSON.stringify(v).includes('KAFKA-7415'))).toBe(false);
    expect(vs.filter((v) => v.property === 'lost-write')).toMatchObject([{ classification: 'permitted', permittedBy: 'version', flaws: ['KIP-380'] }]);
  });
});
