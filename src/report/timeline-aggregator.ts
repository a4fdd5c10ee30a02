// Turns a trace into TimelineData (see timeline-data.ts for the shape and its bounds) in one
// streamed pass: event lines come one at a time from the TraceReader and are folded into fixed
// buckets, per-partition leadership segments, fault bands and capped event lists, so memory
// depends on the caps and the cluster's size, never on the run's length.
//
// Speed: recv/timer/drop lines (most of a trace) are read with string scans; only model events
// and fault lines are JSON-parsed. Unknown line kinds count as "other": a trace from a newer
// ksim still renders.

import type { TraceReader } from '../trace/trace-reader.ts';
import {
  BUCKET_US_MIN,
  BUCKETS_MAX,
  MARKS_MAX,
  RECORD_EVENTS_MAX,
  SAMPLE_MAX,
  SAMPLE_PER_BUCKET_MAX,
  type LaneRole,
  type NodeOutage,
  type TimelineData,
  type TimelineEvent,
  type TimelineFault,
  type TimelineLane,
  type TimelinePartition,
  type TimelineViolation,
  type ViolatingRecord,
} from './timeline-data.ts';

/** A violation before its records' events are collected (from violation-records.ts). */
export interface NamedViolation {
  property: string;
  classification: string | null;
  partition: string | null;
  message: string;
  records: { record: number; offset: number | null }[];
}

export interface AggregateOptions {
  violations: NamedViolation[];
  violationsNote: string;
}

/** The smallest 1-2-5 step (µs) of at least BUCKET_US_MIN that covers the run in BUCKETS_MAX buckets. */
export function chooseBucketUs(virtualUs: number): number {
  for (let decade = BUCKET_US_MIN; ; decade *= 10) {
    for (const step of [1, 2, 5]) {
      const bucketUs = step * decade;
      if (Math.ceil(virtualUs / bucketUs) <= BUCKETS_MAX) return bucketUs;
    }
  }
}

export function aggregateTrace(reader: TraceReader, options: AggregateOptions): TimelineData {
  const { header, footer } = reader;
  const virtualUs = Math.max(1, Math.round(footer.summary.virtualMs * 1000));
  const bucketUs = chooseBucketUs(virtualUs);
  const bucketCount = Math.max(1, Math.ceil(virtualUs / bucketUs));
  const agg = new Aggregation(header.nodes, header.scenario as Record<string, unknown>, bucketUs, bucketCount, options.violations);
  for (let line = reader.nextEvent(false); line !== undefined; line = reader.nextEvent(false)) agg.add(line);
  agg.flushReservoir();
  return {
    tracePath: reader.path,
    model: header.model,
    scenarioName: String((header.scenario as { name?: unknown }).name ?? header.model),
    seed: header.seed,
    traceHash: footer.traceHash,
    virtualUs,
    eventLines: reader.eventsRead,
    bucketUs,
    bucketCount,
    lanes: agg.lanes,
    azs: agg.azGroups(),
    activity: agg.activity,
    activityTotals: agg.totals,
    partitions: agg.partitionList(),
    faults: agg.faults,
    outages: agg.outages,
    marks: agg.marks,
    marksDropped: agg.marksDropped,
    sample: agg.sample,
    samplePerBucket: agg.samplePerBucketMax,
    sampleDropped: agg.sampleDropped,
    violations: agg.violationList(),
    violationsNote: options.violationsNote,
  };
}

/** Faults that only undo others: drawn as an instant, since nothing ends them. */
const INSTANT_FAULT_KINDS = new Set(['heal', 'release', 'resume', 'restart', 'az-restore']);

const ROLE_ORDER: LaneRole[] = ['broker', 'controller', 'producer', 'consumer', 'node'];

class Aggregation {
  readonly lanes: TimelineLane[];
  private readonly laneOf = new Map<string, number>();
  readonly activity: Record<string, number[]>[];
  readonly totals: Record<string, number> = {};
  private readonly partitions = new Map<string, TimelinePartition>();
  readonly faults: TimelineFault[] = [];
  private readonly openFaults = new Map<number, TimelineFault>();
  readonly outages: NodeOutage[] = [];
  private readonly openOutages = new Map<string, NodeOutage>();
  readonly marks: TimelineEvent[] = [];
  marksDropped = 0;
  readonly sample: TimelineEvent[] = [];
  sampleDropped = 0;
  private reservoir: { seq: number; event: TimelineEvent }[] = [];
  private reservoirBucket = -1;
  private reservoirSeen = 0;
  private randomState = 0x9e3779b9;
  readonly samplePerBucketMax: number;
  /** Record id -> the violating records that name it (a record can be named by two violations). */
  private readonly watched = new Map<number, ViolatingRecord[]>();
  private readonly violations: TimelineViolation[];

  constructor(
    nodes: { name: string; az: string }[],
    scenario: Record<string, unknown>,
    private readonly bucketUs: number,
    private readonly bucketCount: number,
    named: NamedViolation[],
  ) {
    const roles = rolesFromScenario(scenario);
    this.lanes = nodes.map((n) => ({ name: n.name, az: n.az, role: roles.get(n.name) ?? roleFromName(n.name) }));
    this.lanes.forEach((l, i) => this.laneOf.set(l.name, i));
    this.activity = this.lanes.map(() => ({}));
    this.samplePerBucketMax = Math.max(4, Math.min(SAMPLE_PER_BUCKET_MAX, Math.floor(SAMPLE_MAX / bucketCount)));
    this.violations = named.map((v) => ({
      property: v.property,
      classification: v.classification,
      partition: v.partition,
      message: v.message,
      records: v.records.map((r) => {
        const record: ViolatingRecord = { record: r.record, offset: r.offset, events: [] };
        const list = this.watched.get(r.record) ?? [];
        list.push(record);
        this.watched.set(r.record, list);
        return record;
      }),
    }));
  }

  azGroups(): { az: string; lanes: number[] }[] {
    const groups = new Map<string, number[]>();
    this.lanes.forEach((l, i) => {
      const list = groups.get(l.az) ?? [];
      list.push(i);
      groups.set(l.az, list);
    });
    return [...groups.entries()].map(([az, lanes]) => ({
      az,
      lanes: lanes.sort((a, b) => ROLE_ORDER.indexOf(this.lanes[a].role) - ROLE_ORDER.indexOf(this.lanes[b].role) || a - b),
    }));
  }

  partitionList(): TimelinePartition[] {
    // User topics first, internal ones (__consumer_offsets) after; by topic, then index.
    const key = (name: string) => {
      const dash = name.lastIndexOf('-');
      return { internal: name.startsWith('__'), topic: name.slice(0, dash), index: Number(name.slice(dash + 1)) };
    };
    return [...this.partitions.values()].sort((a, b) => {
      const ka = key(a.name);
      const kb = key(b.name);
      return Number(ka.internal) - Number(kb.internal) || (ka.topic < kb.topic ? -1 : ka.topic > kb.topic ? 1 : ka.index - kb.index);
    });
  }

  violationList(): TimelineViolation[] {
    return this.violations;
  }

  add(line: string): void {
    // [t,"kind",...]: the time is up to the first comma, the kind is the next quoted word.
    const comma = line.indexOf(',');
    const timeUs = Number(line.slice(1, comma));
    const kindEnd = line.indexOf('"', comma + 2);
    const kind = line.slice(comma + 2, kindEnd);
    const bucket = Math.min(this.bucketCount - 1, Math.floor(timeUs / this.bucketUs));
    switch (kind) {
      case 'recv':
      case 'drop': {
        const toEnd = line.indexOf('"', kindEnd + 3);
        const to = line.slice(kindEnd + 3, toEnd);
        const lane = this.laneOf.get(to) ?? -1;
        this.count(lane, kind, bucket);
        if (kind === 'drop') {
          const f = JSON.parse(line) as [number, string, string, string, string, string];
          this.sampled(bucket, [timeUs, lane, 'drop', `dropped ${f[4]} from ${f[3]} (${f[5]})`]);
        }
        return;
      }
      case 'timer': {
        const nodeEnd = line.indexOf('"', kindEnd + 3);
        this.count(this.laneOf.get(line.slice(kindEnd + 3, nodeEnd)) ?? -1, 'timer', bucket);
        return;
      }
      case 'ev':
        this.modelEvent(JSON.parse(line) as [number, string, string | null, Record<string, unknown>], bucket);
        return;
      case 'fault':
        this.fault(JSON.parse(line) as [number, string, number, string, Record<string, unknown>]);
        return;
      case 'end': {
        const id = Number(line.slice(kindEnd + 2, line.length - 1));
        const fault = this.openFaults.get(id);
        if (fault) {
          fault.endUs = timeUs;
          this.openFaults.delete(id);
        }
        return;
      }
      case 'down':
      case 'pause': {
        const f = JSON.parse(line) as [number, string, string, string?];
        const lane = this.laneOf.get(f[2]) ?? -1;
        const outageKind = kind === 'pause' ? 'paused' : (f[3] ?? 'down');
        const outage: NodeOutage = { lane, kind: outageKind, fromUs: timeUs, toUs: null };
        this.outages.push(outage);
        this.openOutages.set(`${kind === 'pause' ? 'pause' : 'down'}:${f[2]}`, outage);
        this.mark([timeUs, lane, kind, `${f[2]} ${kind === 'pause' ? 'paused' : `down (${outageKind})`}`]);
        return;
      }
      case 'up':
      case 'resume': {
        const f = JSON.parse(line) as [number, string, string];
        const key = `${kind === 'resume' ? 'pause' : 'down'}:${f[2]}`;
        const open = this.openOutages.get(key);
        if (open) {
          open.toUs = timeUs;
          this.openOutages.delete(key);
          this.mark([timeUs, this.laneOf.get(f[2]) ?? -1, kind, `${f[2]} ${kind === 'up' ? 'up again' : 'resumed'}`]);
        }
        return;
      }
      default:
        this.count(-1, 'other', bucket);
    }
  }

  private count(lane: number, category: string, bucket: number, n = 1): void {
    this.totals[category] = (this.totals[category] ?? 0) + n;
    if (lane < 0) return;
    const series = this.activity[lane];
    let counts = series[category];
    if (!counts) counts = series[category] = new Array<number>(this.bucketCount).fill(0);
    counts[bucket] += n;
  }

  private mark(event: TimelineEvent): void {
    if (this.marks.length < MARKS_MAX) this.marks.push(event);
    else this.marksDropped++;
  }

  /**
   * Keeps a uniform sample of each bucket's events (reservoir sampling, with a fixed-seed
   * generator so the same trace gives the same page): zoomed in, the kept events spread over the
   * bucket instead of bunching at its start. Buckets arrive in time order, since the trace does.
   */
  private sampled(bucket: number, event: TimelineEvent): void {
    if (bucket !== this.reservoirBucket) {
      this.flushReservoir();
      this.reservoirBucket = bucket;
    }
    this.reservoirSeen++;
    if (this.reservoir.length < this.samplePerBucketMax) {
      this.reservoir.push({ seq: this.reservoirSeen, event });
      return;
    }
    this.sampleDropped++;
    const slot = this.nextRandom() % this.reservoirSeen;
    if (slot < this.samplePerBucketMax) this.reservoir[slot] = { seq: this.reservoirSeen, event };
  }

  /** Moves the current bucket's sample, in trace order, to the kept sample. Called at the end too. */
  flushReservoir(): void {
    this.reservoir.sort((a, b) => a.seq - b.seq);
    for (const kept of this.reservoir) this.sample.push(kept.event);
    this.reservoir = [];
    this.reservoirSeen = 0;
  }

  /** xorshift32: cheap, deterministic, good enough to pick reservoir slots. */
  private nextRandom(): number {
    let x = this.randomState;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    this.randomState = x >>> 0;
    return this.randomState;
  }

  private watch(records: readonly number[], event: TimelineEvent): void {
    if (this.watched.size === 0) return;
    for (const id of records) {
      const named = this.watched.get(id);
      if (!named) continue;
      for (const r of named) if (r.events.length < RECORD_EVENTS_MAX) r.events.push(event);
    }
  }

  private partition(name: string): TimelinePartition {
    let p = this.partitions.get(name);
    if (!p) this.partitions.set(name, (p = { name, segments: [] }));
    return p;
  }

  private modelEvent(f: [number, string, string | null, Record<string, unknown>], bucket: number): void {
    const [timeUs, , node, ev] = f;
    const lane = node === null ? -1 : (this.laneOf.get(node) ?? -1);
    const type = String(ev.type);
    const partition = typeof ev.partition === 'string' ? ev.partition : '';
    const rec = (id: unknown) => `r${id}`;
    switch (type) {
      case 'send': {
        this.count(lane, 'send', bucket);
        const e: TimelineEvent = [timeUs, lane, 'send', `send ${rec(ev.record)} to ${partition}${ev.key === null ? '' : ` key ${ev.key}`}`];
        this.sampled(bucket, e);
        this.watch([ev.record as number], e);
        return;
      }
      case 'send-ok': {
        this.count(lane, 'ack', bucket);
        const latencyMs = (ev.latencyUs as number) / 1000;
        const e: TimelineEvent = [timeUs, lane, 'ack', `ack ${rec(ev.record)} ${partition}@${ev.offset} epoch ${ev.leaderEpoch} after ${latencyMs.toFixed(1)} ms`];
        this.sampled(bucket, e);
        this.watch([ev.record as number], e);
        return;
      }
      case 'send-fail': {
        const category = ev.definite ? 'fail' : 'unknown';
        this.count(lane, category, bucket);
        const e: TimelineEvent = [timeUs, lane, category, `${ev.definite ? 'failed' : 'unknown outcome'} ${rec(ev.record)} ${partition}: ${ev.error}`];
        this.mark(e);
        this.watch([ev.record as number], e);
        return;
      }
      case 'append': {
        const records = ev.records as number[];
        const category = ev.role === 'leader' ? 'append' : 'replicate';
        this.count(lane, category, bucket, records.length);
        const last = (ev.baseOffset as number) + records.length - 1;
        const e: TimelineEvent = [timeUs, lane, category, `${node} ${ev.role} appended ${partition} offsets ${ev.baseOffset}..${last} (epoch ${ev.leaderEpoch})`];
        this.sampled(bucket, e);
        this.watch(records, e);
        return;
      }
      case 'hw':
        this.count(lane, 'hw', bucket);
        this.sampled(bucket, [timeUs, lane, 'hw', `${partition} high watermark ${ev.hw} (epoch ${ev.leaderEpoch})`]);
        return;
      case 'election': {
        const leader = ev.leader as string | null;
        const isr = ev.isr as string[];
        const p = this.partition(partition);
        p.segments.push({ fromUs: timeUs, leader, leaderEpoch: ev.leaderEpoch as number, isr });
        this.count(lane, 'control', bucket);
        const what = leader === null ? 'no eligible replica: offline' : `${leader} leader with LEO ${ev.leaderLogEndOffset}`;
        this.mark([timeUs, lane, 'election', `${ev.kind} election of ${partition}, epoch ${ev.leaderEpoch}: ${what}, ISR [${isr.join(',')}]`, partition]);
        return;
      }
      case 'isr-shrink':
      case 'isr-expand': {
        const p = this.partition(partition);
        const current = p.segments[p.segments.length - 1];
        const isr = ev.isr as string[];
        p.segments.push({ fromUs: timeUs, leader: current?.leader ?? null, leaderEpoch: ev.leaderEpoch as number, isr });
        this.count(lane, 'control', bucket);
        this.mark([timeUs, lane, 'isr', `${partition} ISR ${type === 'isr-shrink' ? 'shrank' : 'expanded'} to [${isr.join(',')}] (epoch ${ev.leaderEpoch})`, partition]);
        return;
      }
      case 'truncate':
      case 'log-lost': {
        const removed = ev.removed as number[];
        const why = type === 'truncate' ? `${ev.reason} truncation` : `lost to ${ev.cause}`;
        const e: TimelineEvent = [
          timeUs,
          lane,
          type,
          `${node} ${type === 'truncate' ? 'truncated' : 'lost'} ${partition} offsets ${Math.min(ev.fromOffset as number, ev.toOffset as number)}..${Math.max(ev.fromOffset as number, ev.toOffset as number) - 1} (${removed.length} records, ${why})`,
          partition,
        ];
        this.count(lane, type, bucket);
        this.mark(e);
        this.watch(removed, e);
        return;
      }
      case 'produce-error':
        this.count(lane, 'produce-error', bucket);
        this.mark([timeUs, lane, 'produce-error', `${node} refused a produce to ${partition} from ${ev.producer}: ${ev.error}`]);
        return;
      case 'poll':
        this.count(lane, 'poll', bucket, Math.max(0, (ev.toOffset as number) - (ev.fromOffset as number)));
        this.sampled(bucket, [timeUs, lane, 'poll', `${ev.member} polled ${partition} offsets ${ev.fromOffset}..${(ev.toOffset as number) - 1}`]);
        return;
      case 'process':
        this.count(lane, 'process', bucket);
        this.watch([ev.record as number], [timeUs, lane, 'process', `${ev.member} processed ${rec(ev.record)} ${partition}@${ev.offset}`]);
        return;
      case 'commit':
      case 'commit-ok':
      case 'commit-fail':
        this.count(lane, 'commit', bucket);
        this.sampled(bucket, [timeUs, lane, 'commit', `${ev.member} ${type}${ev.error ? ` ${ev.error}` : ''} ${(ev.partitions as string[]).join(',')}`]);
        return;
      case 'rebalance-start':
      case 'rebalance-end':
        this.count(lane, 'control', bucket);
        this.mark([timeUs, lane, 'rebalance', `group ${ev.group} ${type === 'rebalance-start' ? `rebalance from generation ${ev.generation} (${ev.reason})` : `generation ${ev.generation} stable, ${ev.members} members`}`]);
        return;
      default:
        this.count(lane, 'other', bucket);
        this.sampled(bucket, [timeUs, lane, 'other', `${node ?? 'cluster'} ${type}${partition ? ` ${partition}` : ''}`]);
    }
  }

  private fault(f: [number, string, number, string, Record<string, unknown>]): void {
    const [timeUs, , id, layer, fault] = f;
    const kind = String(fault.kind);
    const names = new Set<string>();
    const addNames = (value: unknown) => {
      if (typeof value === 'string') names.add(value);
      else if (Array.isArray(value)) for (const v of value) addNames(v);
    };
    addNames(fault.node);
    addNames(fault.groups);
    addNames(fault.from);
    addNames(fault.to);
    const lanes = new Set<number>();
    for (const n of names) {
      const lane = this.laneOf.get(n);
      if (lane !== undefined) lanes.add(lane);
    }
    if (typeof fault.az === 'string') this.lanes.forEach((l, i) => l.az === fault.az && lanes.add(i));
    const detail = Object.entries(fault)
      .filter(([k]) => k !== 'kind' && k !== 'atMs')
      .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
      .join(' ');
    const band: TimelineFault = {
      id,
      layer,
      kind,
      startUs: timeUs,
      endUs: null,
      lanes: [...lanes].sort((a, b) => a - b),
      label: `${kind}${detail ? ` ${detail}` : ''}${layer === 'schedule' ? '' : ` (${layer})`}`,
    };
    this.faults.push(band);
    if (INSTANT_FAULT_KINDS.has(kind)) band.endUs = timeUs;
    else this.openFaults.set(id, band);
    this.mark([timeUs, -1, 'fault', `fault ${band.label}`]);
  }
}

/** Node roles as the Kafka scenario names them; other models get roles from node names. */
function rolesFromScenario(scenario: Record<string, unknown>): Map<string, LaneRole> {
  const roles = new Map<string, LaneRole>();
  const names = (value: unknown): string[] =>
    Array.isArray(value) ? value.map((v) => (typeof v === 'string' ? v : (v as { name?: unknown })?.name)).filter((n): n is string => typeof n === 'string') : [];
  const cluster = (scenario.cluster ?? {}) as Record<string, unknown>;
  for (const n of names(cluster.brokers)) roles.set(n, 'broker');
  for (const n of names(cluster.controllers)) roles.set(n, 'controller');
  for (const n of names(scenario.producers)) roles.set(n, 'producer');
  // Group members are listed, or counted and named "<group.id>-1".. (kafka-scenario-schema.ts).
  for (const group of Array.isArray(scenario.consumerGroups) ? (scenario.consumerGroups as Record<string, unknown>[]) : []) {
    const members = group.members;
    if (typeof members === 'number') for (let i = 1; i <= members; i++) roles.set(`${String(group['group.id'])}-${i}`, 'consumer');
    else for (const n of names(members)) roles.set(n, 'consumer');
  }
  return roles;
}

function roleFromName(name: string): LaneRole {
  if (/^b\d+$/.test(name)) return 'broker';
  if (/^c\d+$/.test(name)) return 'controller';
  if (/^p\d+$/.test(name)) return 'producer';
  return 'node';
}
