// reassign-partitions (KIP-455, AlterPartitionReassignments) run as scenarios and checked against
// what Apache Kafka does: the target replicas are added (replicas = target + removing), the new
// ones catch up and join the ISR, then the reassignment completes (replicas = target, the removed
// ones leave the ISR and delete their copy, a removed leader is replaced by the first target
// replica in the ISR). A target replica that is down stalls it until it is back. And the checkers
// that follow replica sets neither raise false alarms under a reassignment nor blame one for a
// loss it did not cause.

import { describe, expect, it } from 'vitest';
import { resolveScenario } from '../../src/scenario/resolve-scenario.ts';
import { verdictClassOf } from '../../src/scenario/verdict.ts';
import { refusal, runScenario, type Scenario, type ScenarioRun } from './testing/scenario-run.ts';
import { MODELS } from '../index.ts';
import type { FinalPartitionState } from './kafka-events.ts';

const run = runScenario;

/** Four brokers over three AZs (b4 shares use1-az1 with b1), orders-0 on b1, b2, b3, an acks=all producer. */
function cluster(extra: Scenario): Scenario {
  return {
    name: 'reassign',
    model: 'kafka',
    seed: '1',
    durationMs: 40000,
    preset: 'msk',
    cluster: {
      brokers: [
        { name: 'b1', az: 'use1-az1' },
        { name: 'b2', az: 'use1-az2' },
        { name: 'b3', az: 'use1-az3' },
        { name: 'b4', az: 'use1-az1' },
      ],
    },
    topics: [{ name: 'orders', partitions: 2, 'replication.factor': 3, replicas: [['b1', 'b2', 'b3'], ['b2', 'b3', 'b1']] }],
    producers: [{ name: 'p1', az: 'use1-az2', topic: 'orders', ratePerSec: 100, keys: 20, config: { acks: 'all' } }],
    ...extra,
  };
}

const reassign = (atMs: number, replicas: string[], partition = 0) => ({ atMs, kind: 'reassign-partitions', topic: 'orders', partition, replicas });
const of = (r: ScenarioRun, type: string, partition = 'orders-0') => r.events.filter((e) => e[2].type === type && e[2].partition === partition);
const partitionOf = (r: ScenarioRun, name: string): FinalPartitionState => r.final.partitions.find((p) => p.partition === name)!;
const breaches = (r: ScenarioRun) => r.report.violations.filter((v) => verdictClassOf(v) === 'breach');

/** Ids of the records p1 had acknowledged on `partition` (send-ok events). */
function ackedOn(r: ScenarioRun, partition: string): number[] {
  const partitionOfRecord = new Map<number, string>();
  for (const [, , ev] of r.events) if (ev.type === 'send') partitionOfRecord.set(ev.record as number, ev.partition as string);
  return r.events.filter((e) => e[2].type === 'send-ok').flatMap((e) => (e[2].records as number[]).filter((record) => partitionOfRecord.get(record) === partition));
}

describe('reassign-partitions: the replica set moves (KIP-455)', () => {
  it('b1, b2, b3 to b2, b3, b4: b4 catches up and joins the ISR, then b1 leaves; the leader moves to b2; every acknowledged record is on b2, b3 and b4', () => {
    const r = run(cluster({ operations: [reassign(5000, ['b2', 'b3', 'b4'])] }));
    const phases = of(r, 'reassignment').map((e) => [e[2].phase, e[2].replicas, e[2].adding, e[2].removing]);
    expect(phases).toEqual([
      ['started', ['b2', 'b3', 'b4', 'b1'], ['b4'], ['b1']],
      ['completed', ['b2', 'b3', 'b4'], [], []],
    ]);
    const started = of(r, 'reassignment')[0][0];
    const completed = of(r, 'reassignment')[1][0];
    expect(started).toBe(5_000_000);
    // b4 joined the ISR (as a follower that fetched from b1) before the reassignment completed.
    const b4Appends = of(r, 'append').filter((e) => e[1] === 'b4');
    expect(b4Appends.length).toBeGreaterThan(0);
    expect(b4Appends[0][0]).toBeGreaterThan(started);
    const expand = of(r, 'isr-expand').find((e) => (e[2].isr as string[]).includes('b4'))!;
    expect(expand[0]).toBeLessThanOrEqual(completed);
    // b1 led and is removed: the first target replica in the ISR (b2) leads, and b1 deletes its copy.
    const election = of(r, 'election').find((e) => e[0] === completed)!;
    expect(election[2]).toMatchObject({ kind: 'clean', leader: 'b2', previousLeader: 'b1', isr: ['b2', 'b3', 'b4'] });
    expect(of(r, 'stop-replica').map((e) => e[1])).toEqual(['b1']);
    const p0 = partitionOf(r, 'orders-0');
    expect(p0).toMatchObject({ leader: 'b2', replicas: ['b2', 'b3', 'b4'], isr: ['b2', 'b3', 'b4'] });
    expect(p0.logs.map((l) => l.broker)).toEqual(['b2', 'b3', 'b4']);
    // orders-1 was not reassigned.
    expect(partitionOf(r, 'orders-1').replicas).toEqual(['b2', 'b3', 'b1']);
    const acked = ackedOn(r, 'orders-0');
    expect(acked.length).toBeGreaterThan(1000);
    // Committed on the leader; held by every replica of the new set (a follower's HW trails by a fetch).
    const leaderLog = p0.logs.find((l) => l.broker === 'b2')!;
    const committed = new Set(leaderLog.records.slice(0, leaderLog.highWatermark - leaderLog.logStartOffset));
    expect(acked.filter((id) => !committed.has(id))).toEqual([]);
    for (const log of p0.logs) {
      const held = new Set(log.records);
      expect(acked.filter((id) => !held.has(id))).toEqual([]);
    }
    expect(r.report.violations).toEqual([]);
  });

  it('b1, b2, b3 to b1, b4 (replication factor 3 to 2): b1 keeps leading in a new leader epoch without an election; the producer sees no error', () => {
    const r = run(cluster({ operations: [reassign(5000, ['b1', 'b4'])] }));
    const completed = of(r, 'reassignment').find((e) => e[2].phase === 'completed')!;
    expect(completed[2]).toMatchObject({ replicas: ['b1', 'b4'], leaderEpoch: 1 });
    expect(of(r, 'election').filter((e) => e[2].kind !== 'initial')).toEqual([]);
    expect(of(r, 'become-leader').map((e) => [e[1], e[2].leaderEpoch])).toEqual([
      ['b1', 0],
      ['b1', 1],
    ]);
    expect(of(r, 'stop-replica').map((e) => e[1]).sort()).toEqual(['b2', 'b3']);
    expect(partitionOf(r, 'orders-0')).toMatchObject({ leader: 'b1', replicas: ['b1', 'b4'], isr: ['b1', 'b4'] });
    expect(r.events.filter((e) => e[2].type === 'send-fail' || e[2].type === 'produce-error')).toEqual([]);
    expect(r.report.violations).toEqual([]);
  });

  it('a reordering only ([b3, b1, b2]) completes at once; a preferred-leader-election then moves the leader to b3', () => {
    const r = run(cluster({ operations: [reassign(5000, ['b3', 'b1', 'b2']), { atMs: 6000, kind: 'preferred-leader-election', topic: 'orders', partition: 0 }] }));
    expect(of(r, 'reassignment').map((e) => [e[0], e[2].phase, e[2].replicas])).toEqual([[5_000_000, 'completed', ['b3', 'b1', 'b2']]]);
    expect(of(r, 'election').filter((e) => e[2].kind === 'preferred').map((e) => [e[0], e[2].leader])).toEqual([[6_000_000, 'b3']]);
    expect(partitionOf(r, 'orders-0')).toMatchObject({ leader: 'b3', replicas: ['b3', 'b1', 'b2'] });
    expect(r.report.violations).toEqual([]);
  });

  it('stalls while the target replica b4 is down, and completes once it is back and caught up', () => {
    const r = run(cluster({ faults: [{ atMs: 2000, kind: 'crash', node: 'b4', durationMs: 15000 }], operations: [reassign(5000, ['b2', 'b3', 'b4'])] }));
    const reassignments = of(r, 'reassignment');
    expect(reassignments.map((e) => e[2].phase)).toEqual(['started', 'completed']);
    // b4 restarts at 17 s: nothing completes before, and the ISR never took b4 while it was down.
    expect(reassignments[1][0]).toBeGreaterThan(17_000_000);
    expect(of(r, 'isr-expand').filter((e) => e[0] < 17_000_000)).toEqual([]);
    expect(partitionOf(r, 'orders-0')).toMatchObject({ leader: 'b2', replicas: ['b2', 'b3', 'b4'], isr: ['b2', 'b3', 'b4'] });
    expect(r.report.violations).toEqual([]);
  });

  it('in progress at the end while b4 stays down: replicas are target + removing, the producer keeps writing to b1', () => {
    const r = run(cluster({ durationMs: 20000, faults: [{ atMs: 2000, kind: 'crash', node: 'b4' }], operations: [reassign(5000, ['b2', 'b3', 'b4'])] }));
    expect(of(r, 'reassignment').map((e) => e[2].phase)).toEqual(['started']);
    const p0 = partitionOf(r, 'orders-0');
    expect(p0).toMatchObject({ leader: 'b1', replicas: ['b2', 'b3', 'b4', 'b1'], isr: ['b1', 'b2', 'b3'] });
    expect(p0.logs.find((l) => l.broker === 'b4')!.logEndOffset).toBe(0);
    expect(ackedOn(r, 'orders-0').length).toBeGreaterThan(1000);
    expect(breaches(r)).toEqual([]);
  });
});

describe('reassign-partitions: the verdicts around a reassignment', () => {
  it('decoy: a power loss of the whole new replica set loses what it held; the loss is the fault load, not a breach, though the removed replica had held the older records', () => {
    const powerLoss = (node: string) => ({ atMs: 10000, kind: 'power-loss', node, durationMs: 5000 });
    const r = run(
      cluster({
        faults: [powerLoss('b2'), powerLoss('b3'), powerLoss('b4')],
        // orders-0 completes before the fault; orders-1's reassignment is asked for during it and waits for b4.
        operations: [reassign(5000, ['b2', 'b3', 'b4']), reassign(12000, ['b1', 'b4', 'b3'], 1)],
      }),
    );
    expect(of(r, 'reassignment', 'orders-1').map((e) => e[2].phase)).toEqual(['started', 'completed']);
    expect(of(r, 'reassignment', 'orders-1')[1][0]).toBeGreaterThan(15_000_000);
    const lost = r.report.violations.filter((v) => v.property === 'lost-write');
    expect(lost.length).toBe(1);
    expect(lost[0].message).toContain('orders-0');
    expect(verdictClassOf(lost[0])).toBe('fault-load');
    expect(lost[0].message).toContain('power-loss');
    expect(breaches(r)).toEqual([]);
    // orders-1 kept every acknowledged record: b1 held them through the fault and b4 copied them.
    const p1 = partitionOf(r, 'orders-1');
    expect(p1.replicas).toEqual(['b1', 'b4', 'b3']);
    const held = new Set(p1.logs.find((l) => l.broker === 'b4')!.records);
    expect(ackedOn(r, 'orders-1').filter((id) => !held.has(id))).toEqual([]);
  });

  it('decoy: an acks=1 loss on a crashed leader of another partition is the acks=1 setting, while a reassignment that removes the same broker elsewhere loses nothing', () => {
    const r = run(
      cluster({
        producers: [{ name: 'p1', az: 'use1-az2', topic: 'orders', ratePerSec: 100, keys: 20, config: { acks: '1' } }],
        faults: [
          // b2 leads orders-1; its followers stop hearing from it, then it crashes: what it acknowledged alone is gone.
          { atMs: 3000, kind: 'hold', from: 'b2', to: 'b1', durationMs: 4000 },
          { atMs: 3000, kind: 'hold', from: 'b2', to: 'b3', durationMs: 4000 },
          { atMs: 6000, kind: 'crash', node: 'b2', durationMs: 10000 },
        ],
        operations: [reassign(4000, ['b1', 'b3', 'b4'])],
      }),
    );
    expect(partitionOf(r, 'orders-0')).toMatchObject({ leader: 'b1', replicas: ['b1', 'b3', 'b4'] });
    const lost = r.report.violations.filter((v) => v.property === 'lost-write');
    expect(lost.length).toBe(1);
    expect(lost[0].message).toContain('orders-1');
    expect(lost[0].message).not.toContain('orders-0');
    expect(verdictClassOf(lost[0])).toBe('configuration');
    expect(lost[0].message).toContain('acks=1');
    expect(breaches(r)).toEqual([]);
  });
});

describe('reassign-partitions: removed replicas hold no copy for the loss verdict', () => {
  it('decoy: moved to b4 alone, then b4 loses power: every copy left was on b4, so the fault load; the deleted copies on b1..b3 are not KIP-966 replicas standing', () => {
    const r = run(cluster({ faults: [{ atMs: 10000, kind: 'power-loss', node: 'b4', durationMs: 5000 }], operations: [reassign(5000, ['b4'])] }));
    expect(of(r, 'reassignment').map((e) => e[2].phase)).toEqual(['started', 'completed']);
    expect(of(r, 'stop-replica').map((e) => e[1]).sort()).toEqual(['b1', 'b2', 'b3']);
    const lost = r.report.violations.filter((v) => v.property === 'lost-write');
    expect(lost.length).toBe(1);
    expect(verdictClassOf(lost[0])).toBe('fault-load');
    expect(lost[0].message).toContain('every replica that held it lost it to power-loss');
    expect(lost[0].message).not.toContain('KIP-966');
    expect(breaches(r)).toEqual([]);
  });
});

describe('reassign-partitions: ZooKeeper mode (KafkaController.onPartitionReassignment)', () => {
  it('bumps the leader epoch when the reassignment starts (A2) and again when it completes; every target replica must be in the ISR', () => {
    const r = run(cluster({ kafkaVersion: '2.8', metadataMode: 'zookeeper', operations: [reassign(5000, ['b1', 'b3', 'b4'])] }));
    const phases = of(r, 'reassignment').map((e) => [e[2].phase, e[2].replicas, e[2].leaderEpoch]);
    expect(phases).toEqual([
      ['started', ['b1', 'b3', 'b4', 'b2'], 1],
      ['completed', ['b1', 'b3', 'b4'], 2],
    ]);
    expect(of(r, 'become-leader').map((e) => [e[1], e[2].leaderEpoch])).toEqual([
      ['b1', 0],
      ['b1', 1],
      ['b1', 2],
    ]);
    expect(partitionOf(r, 'orders-0')).toMatchObject({ leader: 'b1', replicas: ['b1', 'b3', 'b4'], isr: ['b1', 'b3', 'b4'] });
    expect(of(r, 'stop-replica').map((e) => e[1])).toEqual(['b2']);
    expect(r.report.violations).toEqual([]);
  });
});

describe('reassign-partitions: which replicas must be in the ISR to complete', () => {
  const withB3Down = (extra: Scenario) =>
    // b3 is out of the ISR by 25 s in both modes (fenced by the KRaft controller; its ZooKeeper session expired).
    cluster({ durationMs: 60000, faults: [{ atMs: 1000, kind: 'crash', node: 'b3', durationMs: 35000 }], operations: [reassign(25000, ['b1', 'b3', 'b4'])], ...extra });

  it('KRaft (PartitionReassignmentReplicas): only the added b4; a kept replica out of the ISR (b3, down) does not hold it up', () => {
    const r = run(withB3Down({}));
    const completed = of(r, 'reassignment').find((e) => e[2].phase === 'completed')!;
    expect(completed[0]).toBeLessThan(36_000_000);
    expect(partitionOf(r, 'orders-0')).toMatchObject({ leader: 'b1', replicas: ['b1', 'b3', 'b4'], isr: ['b1', 'b3', 'b4'] });
    expect(breaches(r)).toEqual([]);
  });

  it('ZooKeeper mode (isReassignmentComplete: TRS subset of the ISR): waits for b3 to be back in the ISR', () => {
    const r = run(withB3Down({ kafkaVersion: '2.8', metadataMode: 'zookeeper' }));
    const completed = of(r, 'reassignment').find((e) => e[2].phase === 'completed')!;
    expect(completed[0]).toBeGreaterThan(36_000_000);
    expect(partitionOf(r, 'orders-0')).toMatchObject({ leader: 'b1', replicas: ['b1', 'b3', 'b4'], isr: ['b1', 'b3', 'b4'] });
    expect(breaches(r)).toEqual([]);
  });
});

describe('reassign-partitions: refused as Kafka refuses it (one line naming the field)', () => {
  it('an unknown broker, a broker twice, an empty replica set, a partition the topic does not have', () => {
    expect(refusal(cluster({ operations: [reassign(5000, ['b2', 'b9'])] }))).toMatch(/operations\[0\]\.replicas\[1\].*unknown broker "b9"; brokers are "b1", "b2", "b3", "b4"/);
    expect(refusal(cluster({ operations: [reassign(5000, ['b2', 'b3', 'b2'])] }))).toMatch(/operations\[0\]\.replicas\[2\].*broker "b2" appears twice/);
    expect(refusal(cluster({ operations: [reassign(5000, [])] }))).toMatch(/operations\.0\.replicas|operations\[0\]\.replicas.*at least one broker/);
    expect(refusal(cluster({ operations: [reassign(5000, ['b1'], 2)] }))).toMatch(/operations\[0\]\.partition.*partitions 0\.\.1.*not 2/);
    expect(refusal(cluster({ operations: [{ atMs: 5000, kind: 'reassign-partitions', topic: 'payments', partition: 0, replicas: ['b1'] }] }))).toMatch(/unknown topic "payments"/);
  });

  it('a mistyped kind is refused with the operation kinds, not the fault kinds', () => {
    const message = refusal(cluster({ operations: [{ atMs: 5000, kind: 'reassign-partition', topic: 'orders', partition: 0, replicas: ['b1'] }] }));
    expect(message).toMatch(/"operations\[0\]\.kind" must be one of the operation kinds \(did you mean "reassign-partitions"\?\): controlled-shutdown, .*reassign-partitions/);
    expect(message).not.toMatch(/isolate-node/);
  });

  it('a replica set of another size is accepted (the replication factor may change)', () => {
    expect(() => resolveScenario(cluster({ operations: [reassign(5000, ['b4'])] }), MODELS, {})).not.toThrow();
  });
});

describe('reassign-partitions: replication throttling (KIP-73, --throttle)', () => {
  // 1 kB records at about 100 per second on orders-0: a 2 MB backlog by the reassignment at 20 s.
  const heavy = (throttle: Scenario) =>
    cluster({
      durationMs: 60000,
      producers: [{ name: 'p1', az: 'use1-az2', topic: 'orders', ratePerSec: 200, recordBytes: 1000, keys: 20, config: { acks: 'all' } }],
      operations: [{ ...reassign(20000, ['b2', 'b3', 'b4']), ...throttle }],
    });

  it('unthrottled, b4 copies the backlog at once; throttled to 50 kB/s below the 100 kB/s written, it never catches up and the reassignment stays in progress', () => {
    const free = run(heavy({}));
    const completed = of(free, 'reassignment').find((e) => e[2].phase === 'completed')!;
    expect(completed[0] - 20_000_000).toBeLessThan(1_000_000);

    // Long enough for liveness-after-heal to judge recovery (due 20 s + its grace period).
    const slow = run({ ...heavy({ throttleBytesPerSec: 50_000 }), durationMs: 90000 });
    expect(of(slow, 'reassignment').map((e) => e[2].phase)).toEqual(['started']);
    const p0 = partitionOf(slow, 'orders-0');
    expect(p0).toMatchObject({ leader: 'b1', replicas: ['b2', 'b3', 'b4', 'b1'], isr: ['b1', 'b2', 'b3'] });
    const b4 = p0.logs.find((l) => l.broker === 'b4')!.logEndOffset;
    const b1 = p0.logs.find((l) => l.broker === 'b1')!.logEndOffset;
    // It copied, in fetches of replica.fetch.max.bytes (Kafka withholds whole partitions, not bytes), but fell behind.
    expect(b4).toBeGreaterThan(1000);
    expect(b4).toBeLessThan(b1 - 1000);
    // The other partition's followers are in sync, never throttled.
    expect(partitionOf(slow, 'orders-1').isr).toEqual(['b2', 'b3', 'b1']);
    // Under-replicated at the end, which the throttle permits.
    const unrecovered = slow.report.violations.filter((v) => v.property === 'liveness-after-heal');
    expect(unrecovered.map((v) => [verdictClassOf(v), v.message.includes('throttleBytesPerSec=50000')])).toEqual([['configuration', true]]);
    expect(breaches(slow)).toEqual([]);
  });
});
