// Turns a trace into TimelineData (see timeline-data.ts for the shape and its bounds) in one
// streamed pass: event lines come one at a time from the TraceReader and are folded into fixed
// buckets, band segments, fault bands and capped event lists, so memory depends on the caps and the
// system's size, never on the run's length. The kernel's lines (messages, timers, faults, nodes down
// and up) are drawn here; the model's events by the model's timeline (its ModelDefinition), through
// the TimelineCanvas this class implements. A model without one gets its events counted as "other".
//
// Speed: recv/timer/drop lines (most of a trace) are read with string scans; only model events
// and fault lines are JSON-parsed. Unknown line kinds count as "other": a trace from a newer
// ksim still renders.

import type { BandSegment, ModelTimeline, TimelineCanvas, TimelineEvent } from '../scenario/model-timeline.ts';
import type { TraceReader } from '../trace/trace-reader.ts';
import {
  BUCKET_US_MIN,
  BUCKETS_MAX,
  MARKS_MAX,
  RECORD_EVENTS_MAX,
  SAMPLE_MAX,
  SAMPLE_PER_BUCKET_MAX,
  type NodeOutage,
  type TimelineBand,
  type TimelineData,
  type TimelineFault,
  type TimelineLane,
  type TimelineViolation,
  type ViolatingRecord,
} from './timeline-data.ts';
import { BucketSample } from './timeline-sample.ts';
import { roleOrder, timelineStyle } from './timeline-style.ts';

/** A violation before its records' events are collected (from violation-records.ts). */
export interface NamedViolation {
  property: string;
  classification: string | null;
  band: string | null;
  message: string;
  records: { record: number; offset: number | null }[];
}

interface AggregateOptions {
  violations: NamedViolation[];
  violationsNote: string;
  /** How the trace's model draws its events (absent: as "other" activity). */
  timeline?: ModelTimeline;
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
  const agg = new Aggregation(header.nodes, header.scenario as Record<string, unknown>, bucketUs, bucketCount, options);
  for (let line = reader.nextEvent(false); line !== undefined; line = reader.nextEvent(false)) agg.add(line);
  agg.sampler.flush();
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
    bands: agg.bandList(),
    faults: agg.faults,
    outages: agg.outages,
    marks: agg.marks,
    marksDropped: agg.marksDropped,
    sample: agg.sampler.kept,
    samplePerBucket: agg.sampler.perBucketMax,
    sampleDropped: agg.sampler.dropped,
    violations: agg.violations,
    violationsNote: options.violationsNote,
    style: timelineStyle(options.timeline),
  };
}

/** Faults that only undo others: drawn as an instant, since nothing ends them. */
const INSTANT_FAULT_KINDS = new Set(['heal', 'release', 'resume', 'restart', 'az-restore']);

class Aggregation implements TimelineCanvas {
  readonly lanes: TimelineLane[];
  private readonly laneOf = new Map<string, number>();
  readonly activity: Record<string, number[]>[];
  readonly totals: Record<string, number> = {};
  private readonly bands = new Map<string, TimelineBand>();
  readonly faults: TimelineFault[] = [];
  private readonly openFaults = new Map<number, TimelineFault>();
  readonly outages: NodeOutage[] = [];
  private readonly openOutages = new Map<string, NodeOutage>();
  readonly marks: TimelineEvent[] = [];
  marksDropped = 0;
  readonly sampler: BucketSample;
  /** Record id -> the violating records that name it (a record can be named by two violations). */
  private readonly watched = new Map<number, ViolatingRecord[]>();
  readonly violations: TimelineViolation[];
  private readonly timeline: ModelTimeline | undefined;
  /** The line being drawn: its time, lane and bucket. */
  private timeUs = 0;
  private lane = -1;
  private bucket = 0;

  constructor(
    nodes: { name: string; az: string }[],
    scenario: Record<string, unknown>,
    private readonly bucketUs: number,
    private readonly bucketCount: number,
    options: AggregateOptions,
  ) {
    this.timeline = options.timeline;
    const roles = this.timeline?.laneRoles(scenario, nodes.map((n) => n.name));
    this.lanes = nodes.map((n) => ({ name: n.name, az: n.az, role: roles?.get(n.name) ?? 'node' }));
    this.lanes.forEach((l, i) => this.laneOf.set(l.name, i));
    this.activity = this.lanes.map(() => ({}));
    this.sampler = new BucketSample(Math.max(4, Math.min(SAMPLE_PER_BUCKET_MAX, Math.floor(SAMPLE_MAX / bucketCount))));
    this.violations = options.violations.map((v) => ({
      property: v.property,
      classification: v.classification,
      band: v.band,
      message: v.message,
      records: v.records.map((r) => this.watchedRecord(r)),
    }));
  }

  private watchedRecord(r: { record: number; offset: number | null }): ViolatingRecord {
    const record: ViolatingRecord = { record: r.record, offset: r.offset, events: [] };
    const list = this.watched.get(r.record) ?? [];
    list.push(record);
    this.watched.set(r.record, list);
    return record;
  }

  azGroups(): { az: string; lanes: number[] }[] {
    const order = roleOrder(this.timeline);
    const rank = (lane: number) => {
      const i = order.indexOf(this.lanes[lane].role);
      return i < 0 ? order.length : i;
    };
    const groups = new Map<string, number[]>();
    this.lanes.forEach((l, i) => {
      const list = groups.get(l.az) ?? [];
      list.push(i);
      groups.set(l.az, list);
    });
    return [...groups.entries()].map(([az, lanes]) => ({ az, lanes: lanes.sort((a, b) => rank(a) - rank(b) || a - b) }));
  }

  bandList(): TimelineBand[] {
    const compare = this.timeline?.compareBands ?? ((a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0));
    return [...this.bands.values()].sort((a, b) => compare(a.name, b.name));
  }

  add(line: string): void {
    // [t,"kind",...]: the time is up to the first comma, the kind is the next quoted word.
    const comma = line.indexOf(',');
    this.timeUs = Number(line.slice(1, comma));
    const kindEnd = line.indexOf('"', comma + 2);
    const kind = line.slice(comma + 2, kindEnd);
    this.bucket = Math.min(this.bucketCount - 1, Math.floor(this.timeUs / this.bucketUs));
    this.lane = -1;
    switch (kind) {
      case 'recv':
      case 'drop':
      case 'timer':
        this.message(line, kind, kindEnd);
        return;
      case 'ev':
        this.modelEvent(JSON.parse(line) as [number, string, string | null, { type: string; [field: string]: unknown }]);
        return;
      case 'fault':
        this.fault(JSON.parse(line) as [number, string, number, string, Record<string, unknown>]);
        return;
      case 'end':
        this.faultEnd(Number(line.slice(kindEnd + 2, line.length - 1)));
        return;
      case 'down':
      case 'pause':
        this.nodeDown(JSON.parse(line) as [number, string, string, string?], kind);
        return;
      case 'up':
      case 'resume':
        this.nodeUp(JSON.parse(line) as [number, string, string], kind);
        return;
      default:
        this.count('other');
    }
  }

  // ---- the canvas: what the model (and the kernel's lines) draw with ----

  count(category: string, n = 1): void {
    this.totals[category] = (this.totals[category] ?? 0) + n;
    if (this.lane < 0) return;
    const series = this.activity[this.lane];
    let counts = series[category];
    if (!counts) counts = series[category] = new Array<number>(this.bucketCount).fill(0);
    counts[this.bucket] += n;
  }

  event(kind: string, text: string, band?: string): TimelineEvent {
    return band === undefined ? [this.timeUs, this.lane, kind, text] : [this.timeUs, this.lane, kind, text, band];
  }

  sample(event: TimelineEvent): void {
    this.sampler.add(this.bucket, event);
  }

  mark(event: TimelineEvent): void {
    if (this.marks.length < MARKS_MAX) this.marks.push(event);
    else this.marksDropped++;
  }

  watch(records: readonly number[], event: TimelineEvent): void {
    if (this.watched.size === 0) return;
    for (const id of records) {
      const named = this.watched.get(id);
      if (!named) continue;
      for (const r of named) if (r.events.length < RECORD_EVENTS_MAX) r.events.push(event);
    }
  }

  segment(band: string, segment: BandSegment): void {
    let b = this.bands.get(band);
    if (!b) this.bands.set(band, (b = { name: band, segments: [] }));
    b.segments.push({ fromUs: this.timeUs, ...segment });
  }

  currentSegment(band: string): BandSegment | undefined {
    return this.bands.get(band)?.segments.at(-1);
  }

  // ---- the kernel's lines ----

  /** recv/drop/timer: [t,"recv",to,from,type], [t,"drop",to,from,type,why], [t,"timer",node,type]. */
  private message(line: string, kind: string, kindEnd: number): void {
    const nodeEnd = line.indexOf('"', kindEnd + 3);
    this.lane = this.laneOf.get(line.slice(kindEnd + 3, nodeEnd)) ?? -1;
    this.count(kind);
    if (kind !== 'drop') return;
    const f = JSON.parse(line) as [number, string, string, string, string, string];
    this.sample(this.event('drop', `dropped ${f[4]} from ${f[3]} (${f[5]})`));
  }

  private modelEvent([timeUs, , node, ev]: [number, string, string | null, { type: string; [field: string]: unknown }]): void {
    this.lane = node === null ? -1 : (this.laneOf.get(node) ?? -1);
    if (this.timeline) {
      this.timeline.draw({ timeUs, node, event: ev }, this);
      return;
    }
    this.count('other');
    this.sample(this.event('other', `${node ?? 'system'} ${ev.type}`));
  }

  private fault([timeUs, , id, layer, fault]: [number, string, number, string, Record<string, unknown>]): void {
    const kind = String(fault.kind);
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
      lanes: this.faultLanes(fault),
      label: `${kind}${detail ? ` ${detail}` : ''}${layer === 'schedule' ? '' : ` (${layer})`}`,
    };
    this.faults.push(band);
    if (INSTANT_FAULT_KINDS.has(kind)) band.endUs = timeUs;
    else this.openFaults.set(id, band);
    this.mark(this.event('fault', `fault ${band.label}`));
  }

  /** The lanes of the nodes a fault names (node, groups, from, to) or of its AZ, in lane order. */
  private faultLanes(fault: Record<string, unknown>): number[] {
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
    return [...lanes].sort((a, b) => a - b);
  }

  private faultEnd(id: number): void {
    const fault = this.openFaults.get(id);
    if (!fault) return;
    fault.endUs = this.timeUs;
    this.openFaults.delete(id);
  }

  /** [t,"down",node,kind?] or [t,"pause",node]: the node's time down or paused starts. */
  private nodeDown(f: [number, string, string, string?], kind: string): void {
    this.lane = this.laneOf.get(f[2]) ?? -1;
    const outageKind = kind === 'pause' ? 'paused' : (f[3] ?? 'down');
    const outage: NodeOutage = { lane: this.lane, kind: outageKind, fromUs: this.timeUs, toUs: null };
    this.outages.push(outage);
    this.openOutages.set(`${kind === 'pause' ? 'pause' : 'down'}:${f[2]}`, outage);
    this.mark(this.event(kind, `${f[2]} ${kind === 'pause' ? 'paused' : `down (${outageKind})`}`));
  }

  private nodeUp(f: [number, string, string], kind: string): void {
    const key = `${kind === 'resume' ? 'pause' : 'down'}:${f[2]}`;
    const open = this.openOutages.get(key);
    if (!open) return;
    open.toUs = this.timeUs;
    this.openOutages.delete(key);
    this.lane = this.laneOf.get(f[2]) ?? -1;
    this.mark(this.event(kind, `${f[2]} ${kind === 'up' ? 'up again' : 'resumed'}`));
  }
}
