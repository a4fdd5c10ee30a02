// Client-felt unavailability (producer-felt-unavailability.ts) beside the partition-side figure,
// on whole runs through the scenario path, and the spans of waiting sends it is built on
// (pending-sends.ts) on hand-made sequences. orders has one partition on b1, b2, b3, led by b1;
// the producers run in the AZ of b2. b1 crashes at 5 s for 20 s: KRaft fences it after
// broker.session.timeout.ms and elects another leader, so orders-0 has no leader for ~9 s.
import { describe, expect, it } from 'vitest';
import { resolveScenario } from '../../../src/scenario/resolve-scenario.ts';
import { runResolved } from '../../../src/scenario/run-scenario.ts';
import { kafkaDefinition } from '../kafka-definition.ts';
import { readKafkaRunSummary } from '../checkers/run-summary-checker.ts';
import { describeKafkaRunSummary } from './run-summary-lines.ts';
import type { KafkaRunSummary } from './run-summary.ts';
import { PendingSends } from './pending-sends.ts';

const AZ2 = 'use1-az2';
const LEADER_CRASH = { atMs: 5000, kind: 'crash', node: 'b1', durationMs: 20_000 };

function run(producers: unknown[], faults: unknown[], topics: unknown[] = [{ name: 'orders', replicas: [['b1', 'b2', 'b3']] }]): KafkaRunSummary {
  const raw = { model: 'kafka', seed: '1', durationMs: 30_000, cluster: { brokers: 3, controllers: 3 }, topics, producers, faults };
  return readKafkaRunSummary(runResolved(resolveScenario(raw, [kafkaDefinition])))!;
}

function partitionSideMs(summary: KafkaRunSummary, partition = 'orders-0'): number {
  return summary.unavailablePartitions.find((r) => r.partition === partition && r.clients === 'acks=all')?.unavailableMs ?? 0;
}

function felt(summary: KafkaRunSummary, producer: string) {
  const row = summary.unavailabilityByProducers.find((r) => r.producer === producer);
  if (row === undefined) throw new Error(`no row for ${producer}`);
  return row;
}

describe('client-felt unavailability on whole runs', () => {
  it('a producer idle through the outage felt none of it; the partition-side figure still counts it', () => {
    const summary = run([{ name: 'p1', az: AZ2, topic: 'orders', sends: [{ atMs: 1000 }, { atMs: 2000 }], config: { acks: 'all' } }], [LEADER_CRASH]);
    expect(partitionSideMs(summary)).toBeGreaterThan(8000);
    expect(felt(summary, 'p1')).toMatchObject({ acks: 'all', unavailableMs: 0, partitionsUnavailable: 0, unavailableAtEnd: false });
    expect(felt(summary, 'p1').sendsWaitingMs).toBeLessThan(100); // two sends, each answered in a few ms
    const lines = describeKafkaRunSummary(summary);
    expect(lines).toContain(`client-felt unavailability for producers (a send waiting while no leader served it): p1 none (of ${Math.round(felt(summary, 'p1').sendsWaitingMs)} ms with sends waiting)`);
    expect(lines.some((l) => l.startsWith('partition-side unavailability for acks=all writers: '))).toBe(true);
  });

  it('a producer writing through the outage felt it, at most the partition-side time', () => {
    const summary = run([{ name: 'p1', az: AZ2, topic: 'orders', ratePerSec: 50, config: { acks: 'all' } }], [LEADER_CRASH]);
    const partitionSide = partitionSideMs(summary);
    const p1 = felt(summary, 'p1');
    expect(partitionSide).toBeGreaterThan(8000);
    // Sent every 20 ms: a send waits through all of it but the first few ms of each spell.
    expect(p1.unavailableMs).toBeGreaterThan(partitionSide - 100);
    expect(p1.unavailableMs).toBeLessThanOrEqual(partitionSide);
    expect(p1.partitionsUnavailable).toBe(1);
  });

  it('with delivery.timeout.ms shorter than the outage, sends expire and new ones wait: still felt, still at most the partition-side time', () => {
    const config = { acks: 'all', 'delivery.timeout.ms': 2000, 'request.timeout.ms': 1000, 'linger.ms': 0 };
    const summary = run([{ name: 'p1', az: AZ2, topic: 'orders', ratePerSec: 50, config }], [LEADER_CRASH]);
    expect(summary.recordsFailed).toBeGreaterThan(0); // DELIVERY_TIMEOUT while no leader
    const p1 = felt(summary, 'p1');
    expect(p1.unavailableMs).toBeGreaterThan(partitionSideMs(summary) - 100);
    expect(p1.unavailableMs).toBeLessThanOrEqual(partitionSideMs(summary));
  });

  it('decoy: a producer whose sends wait on another partition, served throughout, felt none of the outage', () => {
    const topics = [
      { name: 'orders', replicas: [['b1', 'b2', 'b3']] },
      { name: 'audit', replicas: [['b2', 'b3']] }, // b1's crash leaves it alone
    ];
    const producers = [
      { name: 'p1', az: AZ2, topic: 'orders', sends: [{ atMs: 1000 }], config: { acks: 'all' } },
      { name: 'p2', az: AZ2, topic: 'audit', ratePerSec: 50, config: { acks: 'all' } },
    ];
    const summary = run(producers, [LEADER_CRASH], topics);
    expect(partitionSideMs(summary)).toBeGreaterThan(8000);
    expect(partitionSideMs(summary, 'audit-0')).toBe(0);
    expect(felt(summary, 'p2').sendsWaitingMs).toBeGreaterThan(5000); // sends waiting through the outage
    expect(felt(summary, 'p2').unavailableMs).toBe(0);
    expect(felt(summary, 'p1').unavailableMs).toBe(0);
  });

  it('a producer cut off alone from the leader felt it, though another writer of its kind kept the partition served', () => {
    const producers = [
      { name: 'p1', az: AZ2, topic: 'orders', ratePerSec: 50, config: { acks: 'all' } },
      { name: 'p2', az: AZ2, topic: 'orders', ratePerSec: 50, config: { acks: 'all' } },
    ];
    const summary = run(producers, [{ atMs: 5000, kind: 'partition', groups: [['b1'], ['p1']], durationMs: 4000 }]);
    expect(partitionSideMs(summary)).toBe(0); // p2 reached b1 throughout
    expect(felt(summary, 'p1').unavailableMs).toBeGreaterThan(3900);
    expect(felt(summary, 'p1').unavailableMs).toBeLessThanOrEqual(4000);
    expect(felt(summary, 'p2').unavailableMs).toBe(0);
  });
});

describe('spans of waiting sends', () => {
  const spans = (pending: PendingSends, producer = 'p1', partition = 'orders-0') => [...(pending.spansOf(producer).get(partition)?.spans ?? [])];

  it('one span while any send waits, none while none does', () => {
    const pending = new PendingSends();
    pending.onSend('p1', 'orders-0', 1, 100);
    pending.onSend('p1', 'orders-0', 2, 150);
    pending.onDone(1, 200);
    pending.onDone(2, 300);
    pending.onSend('p1', 'orders-0', 3, 1000);
    pending.onDone(3, 1010);
    pending.onDone(3, 2000); // a second callback of one record: ignored
    pending.close(5000);
    expect(spans(pending)).toEqual([100, 300, 1000, 1010]);
    expect(pending.waitingAtEnd('p1', 'orders-0')).toBe(false);
  });

  it('a send accepted before the last span ended, its event late, reopens that span; one still waiting runs to the end', () => {
    const pending = new PendingSends();
    pending.onSend('p1', 'orders-0', 1, 100);
    pending.onDone(1, 200);
    pending.onSend('p1', 'orders-0', 2, 150); // RecordArrivals: emitted at the producer's next action
    pending.onSend('p1', 'orders-1', 3, 160);
    pending.close(900);
    expect(spans(pending)).toEqual([100, 900]);
    expect(spans(pending, 'p1', 'orders-1')).toEqual([160, 900]);
    expect(pending.waitingAtEnd('p1', 'orders-0')).toBe(true);
    expect([...pending.producers()]).toEqual(['p1']);
  });

  it('a late send accepted before the last span began widens it back to its acceptance; the next span is apart', () => {
    const pending = new PendingSends();
    pending.onSend('p1', 'orders-0', 1, 100);
    pending.onDone(1, 200);
    pending.onSend('p1', 'orders-0', 2, 50);
    pending.onDone(2, 300);
    pending.onSend('p1', 'orders-0', 3, 400);
    pending.onDone(3, 450);
    pending.close(1000);
    expect(spans(pending)).toEqual([50, 300, 400, 450]);
  });
});
