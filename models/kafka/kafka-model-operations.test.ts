// The scripted operations Kafka users perform every day (scenario `operations`), each run as a
// scenario and checked against what Apache Kafka does: create-partitions (the shared case
// partition-expansion-latest), preferred-leader-election, rolling-restart, consumer-close and
// consumer-start.

import { describe, expect, it } from 'vitest';
import { verdictClassOf } from '../../src/scenario/verdict.ts';
import { refusal, runScenario, type Ev, type Scenario } from './testing/scenario-run.ts';
import { readSharedCase } from './testing/shared-cases.ts';

const run = runScenario;

const onTopic = (partition: string) => (r: [number, string, Ev]) => r[2].partition === partition;

/** A small cluster with one topic, one keyed producer and, optionally, a group. */
function small(extra: Scenario): Scenario {
  return {
    name: 'ops',
    model: 'kafka',
    seed: '1',
    durationMs: 30000,
    preset: 'msk',
    cluster: { brokers: 3 },
    topics: [{ name: 'orders', partitions: 3, 'replication.factor': 3, replicas: [['b1', 'b2', 'b3'], ['b2', 'b3', 'b1'], ['b3', 'b1', 'b2']] }],
    producers: [{ name: 'p1', az: 'use1-az1', topic: 'orders', ratePerSec: 50, keys: 20 }],
    ...extra,
  };
}

describe('create-partitions: partition-expansion-latest (KAFKA-12478)', () => {
  it("as the case is written (metadata.max.age.ms 5 min, 60 s run): the partitions exist, but no client refreshes its metadata in time, so they get no records", () => {
    const { report, final, events } = run(readSharedCase('partition-expansion-latest'));
    const added = final.partitions.filter((p) => p.partition === 'orders-2' || p.partition === 'orders-3');
    expect(added.map((p) => p.replicas.length)).toEqual([3, 3]);
    expect(added.every((p) => p.leader !== null && p.isr.length === 3)).toBe(true);
    expect(events.filter((e) => e[2].type === 'operation' && e[2].operation === 'create-partitions' && e[2].error === null).map((e) => e[0])).toEqual([20_000_000]);
    expect(events.filter((e) => e[2].type === 'send').filter((e) => e[2].partition === 'orders-2' || e[2].partition === 'orders-3')).toEqual([]);
    expect(report.violations.filter((v) => verdictClassOf(v) === 'breach')).toEqual([]);
  });

  it('with metadata.max.age.ms=30000: the producer writes to the new partitions before the group starts on them at latest; those records are never processed, permitted by auto.offset.reset=latest', () => {
    const raw = readSharedCase('partition-expansion-latest');
    const { report, events } = run(raw, ['metadata.max.age.ms=30000']);
    // The producer moved keys to orders-2/3 only after its refresh at 30 s, not when the controller added them.
    const firstNewSendUs = Math.min(...events.filter((e) => e[2].type === 'send' && (e[2].partition === 'orders-2' || e[2].partition === 'orders-3')).map((e) => e[0]));
    expect(firstNewSendUs).toBeGreaterThanOrEqual(30_000_000);
    // The group's leader saw them at its own refresh and the group rebalanced onto them.
    const assigned = events.filter((e) => e[2].type === 'assignment' && (e[2].partitions as string[]).some((p) => p === 'orders-2' || p === 'orders-3'));
    expect(assigned.length).toBeGreaterThan(0);
    expect(assigned[0][0]).toBeGreaterThan(30_000_000);
    const skipped = report.violations.filter((v) => v.property === 'at-least-once' && /orders-[23]/.test(v.message));
    expect(skipped.length).toBe(2);
    for (const v of skipped) {
      expect(verdictClassOf(v)).toBe('configuration');
      expect(v.message).toContain('auto.offset.reset=latest');
    }
    expect(events.filter(onTopic('orders-2')).some((e) => e[2].type === 'process')).toBe(true); // processed after the reset
    expect(report.violations.filter((v) => verdictClassOf(v) === 'breach')).toEqual([]);
  });

  it('keys move to their new partition once, at the producer refresh, which key-partition does not count as a breach', () => {
    const { report, events } = run(
      small({ config: { 'metadata.max.age.ms': 5000 }, operations: [{ atMs: 8000, kind: 'create-partitions', topic: 'orders', totalCount: 6 }] }),
    );
    expect(report.violations.filter((v) => v.property === 'key-partition')).toEqual([]);
    const byKey = new Map<string, string[]>();
    for (const [, , ev] of events) {
      if (ev.type !== 'send') continue;
      const seen = byKey.get(ev.key as string) ?? [];
      if (seen.at(-1) !== ev.partition) seen.push(ev.partition as string);
      byKey.set(ev.key as string, seen);
    }
    const moves = [...byKey.values()].map((s) => s.length - 1);
    expect(Math.max(...moves)).toBe(1);
    expect(moves.filter((m) => m === 1).length).toBeGreaterThan(0);
  });

  it('with no live replica for a new partition, Kafka refuses the whole request (INVALID_REPLICATION_FACTOR): nothing is created', () => {
    const raw = small({
      topics: [{ name: 'orders', partitions: 3, 'replication.factor': 1, replicas: [['b1'], ['b2'], ['b3']] }],
      config: { 'min.insync.replicas': 1, 'metadata.max.age.ms': 2000 },
      operations: [
        { atMs: 1000, kind: 'controlled-shutdown', broker: 'b1', durationMs: 10000 },
        { atMs: 3000, kind: 'create-partitions', topic: 'orders', totalCount: 4 }, // orders-3 would go to b1
      ],
    });
    const { final, events } = run(raw);
    expect(events.filter((e) => e[2].type === 'operation' && e[2].operation === 'create-partitions').map((e) => e[2].error)).toEqual(['INVALID_REPLICATION_FACTOR']);
    expect(final.partitions.map((p) => p.partition)).toEqual(['orders-0', 'orders-1', 'orders-2']);
    expect(events.some((e) => e[2].partition === 'orders-3')).toBe(false);
  });

  it('refuses a count that is not an increase and an unknown topic, naming the field', () => {
    expect(refusal(small({ operations: [{ atMs: 1000, kind: 'create-partitions', topic: 'orders', totalCount: 3 }] }))).toMatch(/operations\[0\]\.totalCount.*3 partitions.*higher/);
    expect(
      refusal(
        small({
          operations: [
            { atMs: 2000, kind: 'create-partitions', topic: 'orders', totalCount: 4 },
            { atMs: 1000, kind: 'create-partitions', topic: 'orders', totalCount: 5 },
          ],
        }),
      ),
    ).toMatch(/operations\[0\]\.totalCount.*has 5 partitions at 2000 ms/);
    expect(refusal(small({ operations: [{ atMs: 1000, kind: 'create-partitions', topic: 'payments', totalCount: 4 }] }))).toMatch(/operations\[0\]\.topic.*unknown topic "payments"/);
  });
});

describe('preferred-leader-election (ElectLeaders PREFERRED, KIP-460)', () => {
  const shutdown = { atMs: 3000, kind: 'controlled-shutdown', broker: 'b1', durationMs: 2000 };
  // auto.leader.rebalance.enable would move it back by itself: off, so only the operation does.
  const base = { config: { 'auto.leader.rebalance.enable': false } };

  it('without it, orders-0 stays led by another broker after b1 is back', () => {
    const { final } = run(small({ ...base, operations: [shutdown] }));
    expect(final.partitions.find((p) => p.partition === 'orders-0')!.leader).not.toBe('b1');
  });

  it('with it, leadership of orders-0 returns to b1, its preferred replica, and nothing else moves', () => {
    const { final, events, report } = run(small({ ...base, operations: [shutdown, { atMs: 20000, kind: 'preferred-leader-election', topic: 'orders' }] }));
    expect(final.partitions.map((p) => p.leader)).toEqual(['b1', 'b2', 'b3']);
    const preferred = events.filter((e) => e[2].type === 'election' && e[2].kind === 'preferred');
    expect(preferred.map((e) => [e[0], e[2].partition])).toEqual([[20_000_000, 'orders-0']]);
    expect(report.violations.filter((v) => verdictClassOf(v) === 'breach')).toEqual([]);
  });

  it('refuses a partition the topic does not have and a partition without a topic', () => {
    expect(refusal(small({ operations: [{ atMs: 1000, kind: 'preferred-leader-election', topic: 'orders', partition: 3 }] }))).toMatch(/operations\[0\]\.partition.*0\.\.2/);
    expect(refusal(small({ operations: [{ atMs: 1000, kind: 'preferred-leader-election', partition: 0 }] }))).toMatch(/operations\[0\]\.partition.*needs "topic"/);
  });
});

describe('controlled-shutdown of a broker already shutting down or stopped: a no-op, as in Kafka', () => {
  // Kafka: BrokerLifecycleManager's BeginControlledShutdownEvent in PENDING_CONTROLLED_SHUTDOWN logs
  // "already in that state" and does nothing (KafkaServer.shutdown: the isShuttingDown guard); a
  // stopped broker has no process to shut down. The first operation's restart stands.
  const first = { atMs: 3000, kind: 'controlled-shutdown', broker: 'b1', durationMs: 2000 };
  const refusedOf = (events: [number, string, Ev][]) => events.filter((e) => e[2].type === 'operation' && e[2].error !== null).map((e) => [e[0], e[1], e[2].subject, e[2].error]);
  const b1Back = (events: [number, string, Ev][]) => events.find((e) => e[0] > 3_000_000 && e[2].type === 'isr-expand' && (e[2].isr as string[]).includes('b1'))![0];

  it('a second one while the first is pending is refused, and b1 is back after the first one\'s 2 s, not the second one\'s 10 s', () => {
    const { events, report } = run(small({ operations: [first, { ...first, durationMs: 10000 }] }));
    expect(refusedOf(events)).toEqual([[3_000_000, 'b1', 'b1', 'already shutting down']]);
    expect(events.filter((e) => e[1] === 'b1' && e[2].type === 'resign-leader' && e[2].reason === 'shutdown')).toHaveLength(1);
    expect(b1Back(events)).toBeGreaterThan(5_000_000);
    expect(b1Back(events)).toBeLessThan(7_000_000);
    expect(report.violations.filter((v) => verdictClassOf(v) === 'breach')).toEqual([]);
  });

  it('one asked before any controller is active is asked again: KRaft at the next heartbeat (wantShutDown in every heartbeat), ZooKeeper after the 5 s backoff ("No controller registered"), not left to a timeout', () => {
    for (const [era, withinUs] of [['current', [0, 1_000_000]], ['kip-279', [5_000_000, 6_000_000]]] as const) {
      const { events } = run(small({ era, operations: [{ ...first, atMs: 0 }] }));
      const moved = events.filter((e) => e[2].type === 'election' && e[2].kind === 'controlled-shutdown');
      expect(moved.length).toBeGreaterThan(0);
      expect(moved[0][0]).toBeGreaterThanOrEqual(withinUs[0]);
      expect(moved[0][0]).toBeLessThan(withinUs[1]);
    }
  });

  it('one while b1 is stopped is refused (not running), and changes nothing', () => {
    const alone = run(small({ operations: [first] }));
    const { events } = run(small({ operations: [first, { ...first, atMs: 4000, durationMs: 10000 }] }));
    expect(refusedOf(events)).toEqual([[4_000_000, 'b1', 'b1', 'not running']]);
    expect(b1Back(events)).toBe(b1Back(alone.events));
  });
});

describe('rolling-restart: controlled shutdowns in turn, waiting for full ISRs', () => {
  it('stops each broker once, in order, the next only after the previous is back and every ISR is full again', () => {
    const { report, events } = run(
      small({ durationMs: 60000, config: { 'min.insync.replicas': 2 }, operations: [{ atMs: 5000, kind: 'rolling-restart', durationMs: 3000 }] }),
    );
    const resigns = events.filter((e) => e[2].type === 'resign-leader' && e[2].reason === 'shutdown');
    const order = [...new Set(resigns.map((e) => e[1]))];
    expect(order).toEqual(['b1', 'b2', 'b3']);
    const isrFullAt = (afterUs: number) =>
      events.find((e) => e[0] > afterUs && e[2].type === 'isr-expand' && (e[2].isr as string[]).length === 3)?.[0] ?? Infinity;
    const firstStopUs = (b: string) => resigns.find((e) => e[1] === b)![0];
    // b2 stops only after b1 is back (3 s down) and an ISR regained its third member.
    expect(firstStopUs('b2')).toBeGreaterThan(firstStopUs('b1') + 3_000_000);
    expect(firstStopUs('b2')).toBeGreaterThanOrEqual(isrFullAt(firstStopUs('b1')));
    expect(firstStopUs('b3')).toBeGreaterThan(firstStopUs('b2') + 3_000_000);
    expect(report.violations.filter((v) => verdictClassOf(v) === 'breach')).toEqual([]);
    expect((report.analysis['kafka-summary'] as Record<string, number>).recordsLost).toBe(0);
  });

  it('refuses an unknown broker and a broker listed twice', () => {
    expect(refusal(small({ operations: [{ atMs: 1000, kind: 'rolling-restart', durationMs: 1000, brokers: ['b1', 'b9'] }] }))).toMatch(/operations\[0\]\.brokers\[1\].*unknown broker "b9"/);
    expect(refusal(small({ operations: [{ atMs: 1000, kind: 'rolling-restart', durationMs: 1000, brokers: ['b1', 'b1'] }] }))).toMatch(/operations\[0\]\.brokers\[1\].*twice/);
  });
});

describe('consumer-close and consumer-start: a consumer rolling deploy', () => {
  const group = (commit: string) => ({
    consumerGroups: [{ 'group.id': 'g', topics: ['orders'], members: 2, processingMs: 1, commit, config: { 'auto.offset.reset': 'earliest' } }],
    config: { 'offsets.topic.num.partitions': 3 },
  });
  const deploy = [
    { atMs: 10000, kind: 'consumer-close', member: 'g-1' },
    { atMs: 16000, kind: 'consumer-start', member: 'g-1' },
    { atMs: 22000, kind: 'consumer-close', member: 'g-2' },
    { atMs: 28000, kind: 'consumer-start', member: 'g-2' },
  ];

  for (const commit of ['auto', 'after-processing']) {
    it(`${commit}: each close leaves the group at once (the survivor takes over at its next heartbeat, not after session.timeout.ms), nothing is lost or skipped`, () => {
      const { report, events } = run(small({ ...group(commit), durationMs: 40000, operations: deploy }));
      const closes = events.filter((e) => e[2].type === 'operation' && e[2].operation === 'consumer-close').map((e) => e[0]);
      expect(closes).toEqual([10_000_000, 22_000_000]);
      // The survivor is assigned every partition well before session.timeout.ms (45 s) could pass.
      for (const [at, survivor] of [
        [10_000_000, 'g-2'],
        [22_000_000, 'g-1'],
      ] as const) {
        const takeover = events.find((e) => e[0] > at && e[2].type === 'assignment' && e[2].member === survivor && (e[2].partitions as string[]).length === 3);
        expect(takeover, `${survivor} takes over after ${at}`).toBeDefined();
        expect(takeover![0] - at).toBeLessThan(4_000_000);
      }
      expect(events.some((e) => e[2].type === 'member-expired')).toBe(false);
      // The close committed what was consumed (auto: close's commitSync; after-processing: each batch's), so the next owner starts there.
      const groups = (report.analysis['kafka-summary'] as { consumerGroups: { recordsProcessedMoreThanOnce: number; recordsNeverProcessed: number }[] }).consumerGroups;
      expect(groups[0].recordsProcessedMoreThanOnce).toBe(0);
      expect(groups[0].recordsNeverProcessed).toBe(0);
      expect(report.violations.filter((v) => v.property === 'at-least-once' || v.property === 'unseen')).toEqual([]);
      expect(report.violations.filter((v) => verdictClassOf(v) === 'breach')).toEqual([]);
    });
  }

  it('refuses an unknown member, naming the field', () => {
    expect(refusal(small({ ...group('auto'), operations: [{ atMs: 1000, kind: 'consumer-close', member: 'g-9' }] }))).toMatch(/operations\[0\]\.member.*unknown consumer group member "g-9"/);
  });
});

describe('producer-restart: a new producer instance', () => {
  it('what the old instance had not completed fails at the restart; the new one sends at the same rate, nothing acknowledged is lost', () => {
    const { report, events } = run(small({ operations: [{ atMs: 10000, kind: 'producer-restart', producer: 'p1' }] }));
    expect(events.filter((e) => e[2].type === 'operation').map((e) => [e[0], e[2].operation])).toEqual([[10_000_000, 'producer-restart']]);
    const sends = events.filter((e) => e[2].type === 'send');
    expect(sends.length).toBe(1501); // 50/s over 30 s (0 s to 30 s inclusive): one generate chain, not two
    const fails = events.filter((e) => e[2].type === 'send-fail');
    expect(fails.every((e) => e[0] === 10_000_000)).toBe(true);
    // send-ok: one event per batch, one entry per record here
    const acked = events.filter((e) => e[2].type === 'send-ok').flatMap((e) => (e[2].records as number[]).map(() => e[0]));
    expect(acked.filter((t) => t > 10_000_000).length).toBeGreaterThan(900);
    expect(acked.length + fails.length).toBeGreaterThanOrEqual(1500);
    expect(report.violations.filter((v) => verdictClassOf(v) === 'breach')).toEqual([]);
  });

  it('refuses an unknown producer, naming the field', () => {
    expect(refusal(small({ operations: [{ atMs: 1000, kind: 'producer-restart', producer: 'p2' }] }))).toMatch(/operations\[0\]\.producer.*unknown producer "p2"/);
  });
});

describe('delete-records (DeleteRecords API)', () => {
  const late = (reset: string) => ({
    consumerGroups: [{ 'group.id': 'g', topics: ['orders'], members: 1, startMs: 15000, processingMs: 0, commit: 'after-processing', config: { 'auto.offset.reset': reset } }],
    config: { 'offsets.topic.num.partitions': 3 },
  });
  const del = { atMs: 10000, kind: 'delete-records', topic: 'orders', partition: 0, offset: -1 };

  it('moves the log start of every replica of orders-0 to the leader\'s high watermark; a group starting at earliest starts there, the deleted records count as never processed, permitted and blamed on delete-records', () => {
    const { report, final, events } = run(small({ ...late('earliest'), operations: [del] }));
    const moves = events.filter((e) => e[2].type === 'retention');
    // the leader deletes; its followers take its log start from their fetch responses (KIP-107)
    expect(moves.filter((e) => e[2].cause === 'delete-records').map((e) => e[1])).toEqual(['b1']);
    expect(new Set(moves.filter((e) => e[2].cause === 'leader').map((e) => e[1]))).toEqual(new Set(['b2', 'b3']));
    const to = moves.find((e) => e[1] === 'b1')![2].logStartOffset as number;
    expect(to).toBeGreaterThan(100);
    expect(moves.every((e) => e[2].logStartOffset === to)).toBe(true);
    const p0 = final.partitions.find((p) => p.partition === 'orders-0')!;
    expect(p0.logs.map((l) => l.logStartOffset)).toEqual([to, to, to]);
    const skipped = report.violations.filter((v) => (v.property === 'at-least-once' || v.property === 'unseen') && v.message.includes('orders-0'));
    expect(skipped.length).toBeGreaterThan(0);
    for (const v of skipped) {
      expect(verdictClassOf(v)).toBe('configuration');
      expect(v.message).toContain('delete-records');
    }
    expect(report.violations.filter((v) => /orders-[12]/.test(v.message) && (v.property === 'at-least-once' || v.property === 'unseen'))).toEqual([]);
    expect((report.analysis['kafka-summary'] as Record<string, number>).recordsLost).toBe(0);
    // KIP-360: the idempotent producer's state outlives its deleted records; it keeps writing orders-0 without errors.
    expect(report.stats.model.produceErrors ?? 0).toBe(0);
    expect(events.some((e) => e[0] > 10_000_000 && e[2].type === 'send-ok' && e[2].partition === 'orders-0')).toBe(true);
    expect(report.violations.filter((v) => verdictClassOf(v) === 'breach')).toEqual([]);
  });

  it('a member whose committed offset is below the new log start gets OFFSET_OUT_OF_RANGE when it comes back and resets to the log start', () => {
    const raw = small({
      consumerGroups: [{ 'group.id': 'g', topics: ['orders'], members: 1, processingMs: 0, commit: 'after-processing', config: { 'auto.offset.reset': 'earliest' } }],
      config: { 'offsets.topic.num.partitions': 3 },
      producers: [{ name: 'p1', az: 'use1-az1', topic: 'orders', ratePerSec: 0, keys: 0, sends: Array.from({ length: 600 }, (_, i) => ({ atMs: 100 + i * 20, key: 'k2' })) }], // k2 -> orders-0
      operations: [
        { atMs: 6000, kind: 'consumer-close', member: 'g-1' },
        { atMs: 8000, kind: 'delete-records', topic: 'orders', partition: 0, offset: -1 },
        { atMs: 9000, kind: 'consumer-start', member: 'g-1' },
      ],
    });
    const { events, report } = run(raw);
    expect(new Set(events.filter((e) => e[2].type === 'send').map((e) => e[2].partition))).toEqual(new Set(['orders-0']));
    const to = events.find((e) => e[2].type === 'retention' && e[2].cause === 'delete-records')![2].logStartOffset as number;
    const resets = events.filter((e) => e[2].type === 'offset-reset' && e[2].reason === 'out-of-range');
    expect(resets.length).toBe(1);
    expect(resets[0][0]).toBeGreaterThan(9_000_000);
    expect(resets[0][2].fromOffset as number).toBeLessThan(to);
    expect(events.filter((e) => e[2].type === 'offset-reset-done' && e[0] >= resets[0][0]).map((e) => e[2].offset)).toEqual([to]);
    const skipped = report.violations.filter((v) => v.property === 'at-least-once');
    expect(skipped.map((v) => verdictClassOf(v))).toEqual(['configuration']);
    expect(skipped[0].message).toContain('delete-records');
  });

  it('refuses a partition the topic does not have', () => {
    expect(refusal(small({ operations: [{ ...del, partition: 7 }] }))).toMatch(/operations\[0\]\.partition.*0\.\.2/);
  });
});

describe('operations: validation', () => {
  it('refuses an unknown kind and an operation after the run', () => {
    expect(refusal(small({ operations: [{ atMs: 1000, kind: 'reboot-everything' }] }))).toMatch(/operations\[0\].*kind/);
    expect(refusal(small({ operations: [{ atMs: 40000, kind: 'preferred-leader-election' }] }))).toMatch(/operations\[0\]\.atMs.*after durationMs/);
  });
});
