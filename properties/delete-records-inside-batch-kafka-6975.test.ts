// A follower down while DeleteRecords moves the leader's log start past its log end (KAFKA-6975's
// third case, "broker that was down for some time while AdminClient#deleteRecords() move log start
// offset beyond its HW"). When it comes back its fetch is below the leader's log start: the leader
// answers OFFSET_OUT_OF_RANGE (Log.read), and the follower starts its log again at the leader's log
// start (ReplicaFetcherThread.handleOffsetOutOfRange), never copying the deleted records. That log
// start lies inside a producer batch, which the leader serves whole (LogSegment.read): Kafka 2.0
// (and 1.0.2, 1.1.1) restarts the empty log at the batch's base; 1.1.0's Log.append refuses the
// batch and the fetcher thread ends, so the follower never rejoins the ISR: liveness-after-heal,
// permitted by the simulated version, naming KAFKA-6975 (a --fail-on flaw). Decoy: DeleteRecords
// at the batch's base, where even 1.1.0 replicates on.
import { describe, expect, it } from 'vitest';
import { verdictClassOf } from '../src/scenario/verdict.ts';
import { runScenario, type Ev, type Scenario } from '../models/kafka/testing/scenario-run.ts';

/** b3 crashes for 10 s from 5 s; DeleteRecords moves orders-0's log start to `deleteTo` at 12 s. */
function scenario(kafkaVersion: string, deleteTo: number): Scenario {
  return {
    name: 'delete-records-inside-batch',
    model: 'kafka',
    seed: '1',
    durationMs: 70000,
    preset: 'apache',
    kafkaVersion,
    cluster: { brokers: 3 },
    topics: [{ name: 'orders', partitions: 1, 'replication.factor': 3, replicas: [['b1', 'b2', 'b3']] }],
    producers: [{ name: 'p1', az: 'use1-az1', topic: 'orders', ratePerSec: 400, keys: 0, config: { 'linger.ms': 20 } }],
    faults: [{ atMs: 5000, kind: 'crash', node: 'b3', durationMs: 10000 }],
    operations: [{ atMs: 12000, kind: 'delete-records', topic: 'orders', partition: 0, offset: deleteTo }],
  };
}

/** The leader's batch holding `offset` in a run's events: [base, end). */
function batchHolding(events: [number, string, Ev][], offset: number): [number, number] {
  const append = events.find((e) => e[2].type === 'append' && e[1] === 'b1' && (e[2].baseOffset as number) <= offset && offset < (e[2].baseOffset as number) + (e[2].records as number[]).length)!;
  return [append[2].baseOffset as number, (append[2].baseOffset as number) + (append[2].records as number[]).length];
}

const DELETE_TO = 4780;
const runs = new Map<string, ReturnType<typeof runScenario>>();
/** Each version's run, once per file. */
const run = (kafkaVersion: string, deleteTo = DELETE_TO) => {
  const key = `${kafkaVersion}@${deleteTo}`;
  if (!runs.has(key)) runs.set(key, runScenario(scenario(kafkaVersion, deleteTo)));
  return runs.get(key)!;
};

describe('DeleteRecords inside a batch while a follower is down (KAFKA-6975)', () => {
  it('the follower starts again at the leader\'s log start, below it never copying the deleted records', () => {
    const { events } = run('2.0');
    const [base] = batchHolding(events, DELETE_TO);
    expect(base).toBeLessThan(DELETE_TO);
    const b3 = events.filter((e) => e[1] === 'b3' && e[0] > 15_000_000);
    expect(b3.filter((e) => e[2].type === 'append' && (e[2].baseOffset as number) < base)).toEqual([]);
    // the leader's log start, then (KAFKA-6975's fix) the base of the batch holding it, then the leader's again
    expect(b3.filter((e) => e[2].type === 'retention').map((e) => e[2].logStartOffset)).toEqual([DELETE_TO, base, DELETE_TO]);
  });

  it('2.0 restarts the empty log at the batch\'s base: b3 rejoins the ISR', () => {
    const { events, final, report } = run('2.0');
    expect(events.filter((e) => e[2].type === 'fetcher-failed')).toEqual([]);
    expect(final.partitions[0].isr).toEqual(['b1', 'b2', 'b3']);
    expect(report.violations).toEqual([]);
  });

  it('1.1.0 fails b3\'s fetcher on that batch: orders-0 stays under-replicated, permitted by the version, naming KAFKA-6975', () => {
    const { events, final, report } = run('1.1');
    const [base] = batchHolding(events, DELETE_TO);
    const failed = events.filter((e) => e[2].type === 'fetcher-failed');
    expect(failed.map((e) => [e[1], e[2].fetchOffset, e[2].batchBaseOffset, e[2].emptyLogInsideBatch])).toEqual([['b3', DELETE_TO, base, true]]);
    expect(final.partitions[0].isr).toEqual(['b1', 'b2']);
    const [v] = report.violations;
    expect(report.violations).toHaveLength(1);
    expect(v.property).toBe('liveness-after-heal');
    expect(verdictClassOf(v)).toBe('version');
    expect(v.flaws).toEqual(['KAFKA-6975']);
    expect(v.message).toContain(`its empty log starts at ${DELETE_TO}, inside the batch from ${base}`);
  });

  it('decoy: DeleteRecords at the batch\'s base: 1.1.0 replicates on', () => {
    const base = batchHolding(run('2.0').events, DELETE_TO)[0];
    const { events, final, report } = run('1.1', base);
    expect(events.filter((e) => e[2].type === 'retention' && e[1] === 'b1').map((e) => e[2].logStartOffset)).toEqual([base]);
    expect(events.filter((e) => e[2].type === 'fetcher-failed')).toEqual([]);
    expect(final.partitions[0].isr).toEqual(['b1', 'b2', 'b3']);
    expect(report.violations).toEqual([]);
  });
});
