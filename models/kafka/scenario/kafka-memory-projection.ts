// What a run of a Kafka scenario will hold in memory at its peak, projected from its sizes before
// it starts, so a run that cannot fit limits.memoryMb is refused with the figures instead of dying
// in the heap minutes later. The model keeps every record it ever produced (once, in the run's
// record store, with a 4-byte ref per replica: storage/log-record-store.ts; the history behind
// lost-write, duplicate and ordering checks keeps one row per send and acknowledgement; each
// consumer group keeps what it consumed and every offset commit, which is a record of
// __consumer_offsets), so memory grows with records, replicas, commits and group members.
//
// The costs per item were measured on this model (live heap and typed arrays after a full GC,
// with every analysis built; the default scenario over 10 and 60 virtual minutes at 2x200
// records/s, and 60 s at 2x20,000 records/s with 0 or 1 group and RF 2 or 3): about 250 bytes a
// record plus 15 a replica of it and 15 a group that consumes it, 200 an offset-commit record (a
// member commits once per poll, at most one record per polled partition; a poll returns at least
// one record and takes processingMs per record), 2.6 KB a partition replica and 16 KB a group
// member. Peak RSS ran 5-15% above the live figure; the projection adds a quarter.

import type { MemoryProjection } from '../../../src/scenario/model-definition.ts';
import { planKafkaScenario } from './build-kafka-scenario.ts';
import type { KafkaScenarioInput } from './kafka-scenario-schema.ts';
import type { ConsumerMemberSpec } from './kafka-scenario.ts';

const BYTES_PER_RECORD = 250;
const BYTES_PER_RECORD_REPLICA = 15;
const BYTES_PER_RECORD_CONSUMED = 15;
const BYTES_PER_COMMIT_RECORD = 200;
const BYTES_PER_PARTITION_REPLICA = 2_600;
const BYTES_PER_MEMBER = 16_000;
/** Node, ksim and the model's code loaded, before a run (measured: ~115 MiB of RSS). */
const BASE_BYTES = 112 * 1024 * 1024;
/** Live heap to peak RSS: the collector needs room to work. */
const HEADROOM = 1.25;

/** 1234567 -> "1,234,567" (toLocaleString is slow, and a sweep projects thousands of cells). */
function count(n: number): string {
  return String(Math.round(n)).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** Records a producer sends in a run of `runMs`: its rate over its active window, plus its scripted sends. */
function recordsSent(p: { ratePerSec: number; startMs: number; stopMs?: number; sends: readonly unknown[] }, runMs: number): number {
  const activeMs = Math.max(0, Math.min(p.stopMs ?? runMs, runMs) - p.startMs);
  return (p.ratePerSec * activeMs) / 1000 + p.sends.length;
}

/**
 * The most offset-commit records a member can write over `runMs` when it consumes `consumed`
 * records: one per polled partition per commit, a commit per poll (or per auto.commit.interval.ms),
 * a poll per processingMs at the fastest, and never more than one per record consumed.
 */
function commitRecordsMax(m: ConsumerMemberSpec, partitionsOfMember: number, consumed: number, runMs: number): number {
  const activeMs = Math.max(0, runMs - m.startMs);
  const commitIntervalMs = m.commit === 'auto' ? Math.max(1, m.config['auto.commit.interval.ms']) : m.processingMs;
  const commits = commitIntervalMs > 0 ? activeMs / commitIntervalMs : Infinity;
  return Math.min(consumed, commits * partitionsOfMember);
}

export function projectKafkaMemory(s: KafkaScenarioInput, runMs: number): MemoryProjection {
  const plan = planKafkaScenario(s);
  const topics = new Map(plan.topics.map((t) => [t.name, t]));
  let records = 0;
  let recordBytes = 0;
  const sentToTopic = new Map<string, number>();
  for (const p of plan.producers) {
    const n = recordsSent(p, runMs);
    const rf = topics.get(p.topic)?.replicationFactor ?? 1;
    const groups = plan.consumerGroups.filter((g) => g.topics.includes(p.topic)).length;
    records += n;
    sentToTopic.set(p.topic, (sentToTopic.get(p.topic) ?? 0) + n);
    recordBytes += n * (BYTES_PER_RECORD + rf * BYTES_PER_RECORD_REPLICA + groups * BYTES_PER_RECORD_CONSUMED);
  }
  let commitRecords = 0;
  for (const g of plan.consumerGroups) {
    const members = Math.max(1, g.members.length);
    const consumed = g.topics.reduce((n, t) => n + (sentToTopic.get(t) ?? 0), 0) / members;
    const partitions = g.topics.reduce((n, t) => n + (topics.get(t)?.partitions ?? 0), 0);
    for (const m of g.members) commitRecords += commitRecordsMax(m, Math.ceil(partitions / members), consumed, runMs);
  }
  const offsetsRf = plan.offsetsTopic?.replicationFactor ?? 1;
  recordBytes += commitRecords * (BYTES_PER_COMMIT_RECORD + offsetsRf * BYTES_PER_RECORD_REPLICA);
  const allTopics = plan.offsetsTopic ? [...plan.topics, plan.offsetsTopic] : plan.topics;
  const partitionReplicas = allTopics.reduce((n, t) => n + t.partitions * t.replicationFactor, 0);
  const members = plan.consumerGroups.reduce((n, g) => n + g.members.length, 0);
  const live = BASE_BYTES + recordBytes + partitionReplicas * BYTES_PER_PARTITION_REPLICA + members * BYTES_PER_MEMBER;
  return {
    bytes: live * HEADROOM,
    detail:
      `${count(records)} records over ${count(runMs)} ms at ~${count(records > 0 ? recordBytes / records : 0)} bytes each` +
      `${commitRecords > 0 ? ` with up to ${count(commitRecords)} offset commits` : ''}, ` +
      `${count(partitionReplicas)} partition replicas, ${count(members)} group members`,
    fix: s.durationMs === undefined ? 'ratePerSec or set durationMs (without it the run is projected to limits.virtualMsMax)' : 'durationMs, ratePerSec, partitions or members',
  };
}
