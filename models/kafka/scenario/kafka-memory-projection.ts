// What a run of a Kafka scenario will hold in memory at its peak, projected from its sizes before
// it starts, so a run that cannot fit limits.memoryMb is refused with the figures instead of dying
// in the heap minutes later. The model keeps every record it ever produced (logs share record
// objects between replicas; the history behind lost-write, duplicate and ordering checks keeps one
// entry per send and per acknowledgement; each consumer group keeps what it consumed), so memory
// grows with records, and with partition replicas and group members.
//
// The costs per item were measured on this model (live heap after a full GC, check-small at 100 to
// 5,000 records/s over 60 s, 2 to 5,000 partitions, 100 to 1,000 members): about 370 bytes a record
// plus 105 a replica of it, 130 a record for each group that consumes it, 2.6 KB a partition
// replica and 16 KB a group member. The projection adds half again for the collector's headroom.

import type { MemoryProjection } from '../../../src/scenario/model-definition.ts';
import { planKafkaScenario } from './build-kafka-scenario.ts';
import type { KafkaScenarioInput } from './kafka-scenario-schema.ts';

const BYTES_PER_RECORD = 370;
const BYTES_PER_RECORD_REPLICA = 105;
const BYTES_PER_RECORD_CONSUMED = 130;
const BYTES_PER_PARTITION_REPLICA = 2_600;
const BYTES_PER_MEMBER = 16_000;
/** ksim, the model's code and a cluster with nothing in it. */
const BASE_BYTES = 64 * 1024 * 1024;
/** Live heap to heap size: the collector needs room to work. */
const HEADROOM = 1.5;

/** 1234567 -> "1,234,567" (toLocaleString is slow, and a sweep projects thousands of cells). */
function count(n: number): string {
  return String(Math.round(n)).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** Records a producer sends in a run of `runMs`: its rate over its active window, plus its scripted sends. */
function recordsSent(p: { ratePerSec: number; startMs: number; stopMs?: number; sends: readonly unknown[] }, runMs: number): number {
  const activeMs = Math.max(0, Math.min(p.stopMs ?? runMs, runMs) - p.startMs);
  return (p.ratePerSec * activeMs) / 1000 + p.sends.length;
}

export function projectKafkaMemory(s: KafkaScenarioInput, runMs: number): MemoryProjection {
  const plan = planKafkaScenario(s);
  const topics = new Map(plan.topics.map((t) => [t.name, t]));
  let records = 0;
  let recordBytes = 0;
  for (const p of plan.producers) {
    const n = recordsSent(p, runMs);
    const rf = topics.get(p.topic)?.replicationFactor ?? 1;
    const groups = plan.consumerGroups.filter((g) => g.topics.includes(p.topic)).length;
    records += n;
    recordBytes += n * (BYTES_PER_RECORD + rf * BYTES_PER_RECORD_REPLICA + groups * BYTES_PER_RECORD_CONSUMED);
  }
  const allTopics = plan.offsetsTopic ? [...plan.topics, plan.offsetsTopic] : plan.topics;
  const partitionReplicas = allTopics.reduce((n, t) => n + t.partitions * t.replicationFactor, 0);
  const members = plan.consumerGroups.reduce((n, g) => n + g.members.length, 0);
  const live = BASE_BYTES + recordBytes + partitionReplicas * BYTES_PER_PARTITION_REPLICA + members * BYTES_PER_MEMBER;
  return {
    bytes: live * HEADROOM,
    detail:
      `${count(records)} records over ${count(runMs)} ms at ~${count(records > 0 ? recordBytes / records : 0)} bytes each, ` +
      `${count(partitionReplicas)} partition replicas, ${count(members)} group members`,
    fix: s.durationMs === undefined ? 'ratePerSec or set durationMs (without it the run is projected to limits.virtualMsMax)' : 'durationMs, ratePerSec, partitions or members',
  };
}
