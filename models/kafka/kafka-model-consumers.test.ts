// Consumer groups, offset commits and retention in the Kafka model, as Apache Kafka documents
// them: rebalances after a member failure, at-least-once vs at-most-once commits, zombie fencing
// by generation, cooperative rebalancing, coordinator failover, committed offsets rolled back by
// an unclean election on __consumer_offsets, auto.offset.reset after retention, compaction.

import { describe, expect, it } from 'vitest';
import type { ModelEvent } from '../../src/sim/model.ts';
import { runKafka, type KafkaTestRun, type TestCluster } from './testing/kafka-test-cluster.ts';

const THREE_PARTITIONS = [
  ['b1', 'b2', 'b3'],
  ['b2', 'b3', 'b1'],
  ['b3', 'b1', 'b2'],
];

/** Keyed records over three partitions at 100/s. */
function base(extra: Partial<TestCluster>): TestCluster {
  return {
    topics: [{ name: 'orders', replicas: THREE_PARTITIONS }],
    producers: [{ name: 'p1', ratePerSec: 100, keys: 30, stopMs: 25000 }],
    durationMs: 45000,
    ...extra,
  };
}

/** No partition is assigned to two members within one generation. */
function doubleAssignments(r: KafkaTestRun): string[] {
  const owner = new Map<string, string>();
  const out: string[] = [];
  for (const e of r.of('assignment')) {
    for (const p of e.partitions as string[]) {
      const key = `${e.group}/${e.generation}/${p}`;
      const prev = owner.get(key);
      if (prev !== undefined && prev !== e.member) out.push(`${key}: ${prev} and ${e.member}`);
      owner.set(key, e.member as string);
    }
  }
  return out;
}

const members = (...names: string[]) => names.map((name, i) => ({ name, az: `az${(i % 3) + 1}` }));

describe('kafka model: consumer groups', () => {
  it('after a member crash the group rebalances within the session timeout; commit-after-processing re-processes (duplicates, no gaps)', () => {
    const r = runKafka(
      base({
        consumerGroups: [
          {
            groupId: 'g',
            members: members('m1', 'm2', 'm3'),
            processingMs: 10,
            commit: 'after-processing',
            // Fetches wait for ~50 records, so m2 is mid-batch (processed, not yet committed) when it crashes.
            config: { 'session.timeout.ms': 10000, 'auto.offset.reset': 'earliest', 'max.poll.records': 50, 'fetch.min.bytes': 5000, 'fetch.max.wait.ms': 2000 },
          },
        ],
        faults: [{ atMs: 10000, kind: 'crash', node: 'm2' }],
      }),
    );
    const crashUs = 10_000_000;
    const starts = r.events.filter((e) => e.event.type === 'rebalance-start' && e.timeUs > crashUs);
    expect(starts.length).toBeGreaterThan(0);
    // The coordinator notices at session.timeout.ms after m2's last heartbeat (DelayedHeartbeat), so within it of the crash.
    expect(starts[0].timeUs - crashUs).toBeLessThanOrEqual(10_000_000);
    const end = r.events.find((e) => e.event.type === 'rebalance-end' && e.timeUs > starts[0].timeUs)!;
    expect(end.event.members).toBe(2);
    expect(doubleAssignments(r)).toEqual([]);
    // Survivors resume m2's partitions from its committed offsets: re-processing, never skipping.
    const fetched = r.of('offset-fetch').filter((e) => e.member !== 'm2' && (e.offset as number) > 0);
    expect(fetched.length).toBeGreaterThan(0);
    expect(r.processedTwice().length).toBeGreaterThan(0);
    expect(r.neverProcessed()).toEqual([]);
  });

  it('commit-before-processing skips the records a crashed member had committed but not processed (gaps, no duplicates)', () => {
    const r = runKafka(
      base({
        consumerGroups: [
          {
            groupId: 'g',
            members: members('m1', 'm2'),
            processingMs: 20,
            commit: 'before-processing',
            config: { 'session.timeout.ms': 10000, 'auto.offset.reset': 'earliest', 'max.poll.records': 100 },
          },
        ],
        faults: [{ atMs: 10000, kind: 'crash', node: 'm2' }],
      }),
    );
    expect(r.processedTwice()).toEqual([]);
    expect(r.neverProcessed().length).toBeGreaterThan(0);
    expect(doubleAssignments(r)).toEqual([]);
  });

  it('a paused member that wakes after its session expired cannot commit (UNKNOWN_MEMBER_ID or ILLEGAL_GENERATION)', () => {
    const r = runKafka(
      base({
        consumerGroups: [
          {
            groupId: 'g',
            members: members('m1', 'm2'),
            processingMs: 50,
            commit: 'after-processing',
            config: { 'session.timeout.ms': 8000, 'auto.offset.reset': 'earliest', 'max.poll.records': 100 },
          },
        ],
        faults: [{ atMs: 10000, kind: 'pause', node: 'm2', durationMs: 20000 }],
      }),
    );
    expect(r.of('member-expired').some((e) => (e.memberId as string).startsWith('m2'))).toBe(true);
    const fails = r.of('commit-fail').filter((e) => e.member === 'm2');
    expect(fails.some((e) => e.error === 'UNKNOWN_MEMBER_ID' || e.error === 'ILLEGAL_GENERATION')).toBe(true);
    // No commit of the zombie's old generation succeeded after it woke.
    const wokeUs = 30_000_000;
    const zombieGen = r.events.filter((e) => e.event.type === 'assignment' && e.event.member === 'm2' && e.timeUs < 10_000_000).at(-1)!.event.generation;
    expect(r.events.some((e) => e.timeUs >= wokeUs && e.event.type === 'commit-ok' && e.event.member === 'm2' && e.event.generation === zombieGen)).toBe(false);
    expect(doubleAssignments(r)).toEqual([]);
  });

  it('cooperative-sticky keeps unaffected partitions assigned through a rebalance; eager range revokes everything', () => {
    const run = (strategy: 'cooperative-sticky' | 'range') =>
      runKafka(
        base({
          topics: [{ name: 'orders', replicas: [...THREE_PARTITIONS, ['b1', 'b2', 'b3'], ['b2', 'b3', 'b1'], ['b3', 'b1', 'b2']] }],
          consumerGroups: [
            {
              groupId: 'g',
              members: [{ name: 'm1', az: 'az1' }, { name: 'm2', az: 'az2' }, { name: 'm3', az: 'az3', startMs: 15000 }],
              processingMs: 1,
              config: { 'partition.assignment.strategy': strategy, 'auto.offset.reset': 'earliest' },
            },
          ],
        }),
      );
    const coop = run('cooperative-sticky');
    const joinUs = 15_000_000;
    const m1Before = coop.events.filter((e) => e.timeUs < joinUs && e.event.type === 'assignment' && e.event.member === 'm1').at(-1)!.event;
    const m1After = coop.events.filter((e) => e.timeUs > joinUs && e.event.type === 'assignment' && e.event.member === 'm1');
    expect(m1After.length).toBeGreaterThan(0);
    // Every assignment m1 got after m3 joined keeps a subset of what it had; it never lost everything.
    for (const a of m1After) {
      expect((a.event.partitions as string[]).length).toBeGreaterThan(0);
      for (const p of a.event.partitions as string[]) expect((m1Before.partitions as string[]).includes(p)).toBe(true);
    }
    expect(coop.of('assignment').some((e) => e.member === 'm3' && (e.partitions as string[]).length > 0)).toBe(true);
    expect(doubleAssignments(coop)).toEqual([]);
    // m1 kept processing during the rebalance (KIP-429), which an eager member cannot.
    const rebalanceStart = coop.events.find((e) => e.timeUs > joinUs && e.event.type === 'rebalance-start')!.timeUs;
    const rebalanceEnd = coop.events.filter((e) => e.event.type === 'rebalance-end').at(-1)!.timeUs;
    expect(rebalanceEnd).toBeGreaterThan(rebalanceStart);
    const eager = run('range');
    expect(eager.of('assignment').filter((e) => e.member === 'm1').length).toBeGreaterThan(1);
    expect(doubleAssignments(eager)).toEqual([]);
  });

  it('coordinator failover keeps committed offsets: the new coordinator loads them from its replica', () => {
    const r = runKafka(
      base({
        consumerGroups: [
          {
            groupId: 'g',
            members: members('m1', 'm2'),
            processingMs: 2,
            config: { 'session.timeout.ms': 10000, 'auto.offset.reset': 'earliest' },
          },
        ],
        faults: [{ atMs: 12000, kind: 'crash', node: 'b1' }],
        durationMs: 60000,
      }),
    );
    const loads = r.events.filter((e) => e.event.type === 'coordinator-load');
    expect(loads.length).toBeGreaterThan(1);
    expect(loads.at(-1)!.node).not.toBe('b1');
    const fg = r.final.consumerGroups![0];
    expect(fg.coordinator).not.toBe('b1');
    // Nothing was skipped, and everything acknowledged was eventually processed.
    expect(r.neverProcessed()).toEqual([]);
    for (const c of fg.committed) expect(c.offset).toBeGreaterThan(0);
    // The group did not start over: records re-processed are far fewer than all records.
    expect(r.processedTwice().length).toBeLessThan(r.acked().length / 4);
  });

  it('an unclean election on __consumer_offsets can roll a group’s committed offsets back', () => {
    const cluster = (unclean: boolean): TestCluster =>
      base({
        topics: [{ name: 'orders', replicas: [['b3']] }],
        brokerConfig: { 'replica.lag.time.max.ms': 3000, 'unclean.leader.election.enable': unclean },
        producers: [{ name: 'p1', ratePerSec: 50, stopMs: 20000 }],
        consumerGroups: [
          {
            groupId: 'g',
            members: [{ name: 'm1', az: 'az3' }],
            processingMs: 1,
            config: { 'session.timeout.ms': 10000, 'auto.offset.reset': 'earliest', 'max.poll.interval.ms': 10000 },
          },
        ],
        offsetsReplicas: [['b1', 'b2']],
        faults: [
          // b2 stops replicating __consumer_offsets: the ISR shrinks to b1, commits go on.
          { atMs: 6000, kind: 'hold', from: 'b1', to: 'b2' },
          { atMs: 20000, kind: 'crash', node: 'b1' },
          { atMs: 20000, kind: 'crash', node: 'm1', durationMs: 1000 },
        ],
        // The restarted member's JoinGroup to the dead coordinator times out first (no TCP resets).
        durationMs: 90000,
      });
    const r = runKafka(cluster(true));
    expect(r.of('election').some((e) => e.kind === 'unclean' && (e.partition as string).startsWith('__consumer_offsets'))).toBe(true);
    const lastOkBeforeCrash = r.events
      .filter((e) => e.event.type === 'commit-ok' && e.timeUs < 20_000_000)
      .map((e) => (e.event.offsets as number[])[0])
      .at(-1)!;
    const fetchedAfter = r.events.filter((e) => e.event.type === 'offset-fetch' && e.timeUs > 20_000_000).map((e) => e.event.offset as number);
    expect(fetchedAfter.length).toBeGreaterThan(0);
    expect(fetchedAfter[0]).toBeLessThan(lastOkBeforeCrash);
    expect(r.processedTwice().length).toBeGreaterThan(0);
  });

  it('a consumer behind retention gets OFFSET_OUT_OF_RANGE and resets per auto.offset.reset', () => {
    const run = (reset: 'earliest' | 'latest' | 'none') =>
      runKafka(
        base({
          topics: [{ name: 'orders', replicas: [['b1', 'b2', 'b3']], config: { 'log.retention.ms': 3000, 'log.segment.bytes': 2000 } }],
          brokerConfig: { 'log.retention.check.interval.ms': 1000 },
          // The first retention check runs 30 s after the brokers start (LogManager.InitialTaskDelayMs):
          // the producer writes on past it, so a reset to latest has records to process.
          producers: [{ name: 'p1', ratePerSec: 100, stopMs: 40000 }],
          consumerGroups: [
            {
              groupId: 'g',
              members: [{ name: 'm1', az: 'az1' }],
              processingMs: 20,
              config: { 'auto.offset.reset': reset, 'max.poll.records': 20 },
            },
          ],
          durationMs: 50000,
        }),
      );
    for (const reset of ['earliest', 'latest', 'none'] as const) {
      const r = run(reset);
      expect(r.of('retention').length).toBeGreaterThan(0);
      // With none, the first missing position already fails the partition (NoOffsetForPartitionException).
      const reason = (e: ModelEvent) => e.reason === 'out-of-range' || (reset === 'none' && e.reason === 'no-committed-offset');
      const resets = r.of('offset-reset').filter(reason);
      expect(resets.length).toBeGreaterThan(0);
      expect(resets[0].strategy).toBe(reset);
      const after = r.events.filter((e) => e.event.type === 'process' && e.event.partition === 'orders-0');
      const resetUs = r.events.find((e) => e.event.type === 'offset-reset' && reason(e.event))!.timeUs;
      const processedAfter = after.filter((e) => e.timeUs > resetUs + 100_000).reduce((n, e) => n + (e.event.records as number[]).length, 0);
      if (reset === 'none') expect(processedAfter).toBe(0);
      else expect(processedAfter).toBeGreaterThan(0);
      expect(r.neverProcessed().length).toBeGreaterThan(0);
    }
  });

  it('compaction keeps the last value per key (__consumer_offsets)', () => {
    const r = runKafka(
      base({
        brokerConfig: { 'log.retention.check.interval.ms': 2000, 'offsets.topic.segment.bytes': 1000 },
        consumerGroups: [{ groupId: 'g', members: members('m1'), processingMs: 1, config: { 'auto.offset.reset': 'earliest', 'max.poll.records': 10 } }],
      }),
    );
    expect(r.of('compaction').length).toBeGreaterThan(0);
    const log = r.final.internalPartitions![0].logs.find((l) => l.broker === 'b1')!;
    const removed = log.records.filter((id) => id < 0).length;
    expect(removed).toBeGreaterThan(0);
    // The committed offsets survive compaction: the final view still has every partition's last commit.
    const lastCommitted = new Map<string, number>();
    for (const e of r.of('commit-ok')) (e.partitions as string[]).forEach((p, i) => lastCommitted.set(p, (e.offsets as number[])[i]));
    for (const c of r.final.consumerGroups![0].committed) expect(c.offset).toBe(lastCommitted.get(c.partition));
  });
});

