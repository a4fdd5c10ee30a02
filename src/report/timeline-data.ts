// The data a timeline page embeds: one run, pre-aggregated in Node so the page stays small and
// fast however long the run was. Everything is bounded:
//   - activity: per lane (node) and category, event counts in at most BUCKETS_MAX time buckets
//     (bucket width adaptive: the smallest 1-2-5 step of at least 1 ms giving <= BUCKETS_MAX);
//   - marks: the events a reader looks for (faults, node down/up, and what the model marks:
//     elections, truncations, failed requests...), at most MARKS_MAX;
//   - sample: individual events shown when zoomed in, at most SAMPLE_PER_BUCKET_MAX per bucket
//     and SAMPLE_MAX in all (a uniform sample of each bucket's events, in trace order);
//     the page says that a zoomed-in window shows a sample, and the buckets' totals stay behind;
//   - violations: every record a violation names, with up to RECORD_EVENTS_MAX of its events;
//   - bands: rows of leader, epoch and members over time (the model's: a replicated log, a group);
//   - style: how the page shows the categories and marks (the model's, and the kernel's own).
// Times are virtual microseconds, as in the trace.

import type { BandSegment, TimelineEvent, TimelineStyle } from '../scenario/model-timeline.ts';

export const BUCKETS_MAX = 2000;
export const BUCKET_US_MIN = 1000;
export const MARKS_MAX = 20_000;
export const SAMPLE_MAX = 40_000;
export const SAMPLE_PER_BUCKET_MAX = 50;
export const RECORD_EVENTS_MAX = 24;

export interface TimelineLane {
  name: string;
  az: string;
  /** The model's role for the node ("server", "client"...), or "node". */
  role: string;
}

interface TimedSegment extends BandSegment {
  fromUs: number;
}

export interface TimelineBand {
  name: string;
  /** In time order; each lasts until the next one starts (the last until the end of the run). */
  segments: TimedSegment[];
}

export interface TimelineFault {
  id: number;
  layer: string;
  kind: string;
  startUs: number;
  /** null: never ended within the run. */
  endUs: number | null;
  /** Lanes it holds; empty: system-wide (heal) or no node named. */
  lanes: number[];
  label: string;
}

/** A node's time down (crash, power loss) or paused. */
export interface NodeOutage {
  lane: number;
  kind: string;
  fromUs: number;
  /** null: still down at the end of the run. */
  toUs: number | null;
}

export interface ViolatingRecord {
  record: number;
  /** Offset the record was acknowledged at (lost-write), or where the violation saw it. */
  offset: number | null;
  events: TimelineEvent[];
}

export interface TimelineViolation {
  property: string;
  classification: string | null;
  /** The band it concerns, if one. */
  band: string | null;
  message: string;
  records: ViolatingRecord[];
}

export interface TimelineData {
  tracePath: string;
  model: string;
  scenarioName: string;
  seed: string;
  traceHash: string;
  virtualUs: number;
  eventLines: number;
  bucketUs: number;
  bucketCount: number;
  lanes: TimelineLane[];
  /** AZs in first-seen order with their lanes (in the model's role order, then node order). */
  azs: { az: string; lanes: number[] }[];
  /** Per lane: category -> dense counts per bucket (categories the lane never had are absent). */
  activity: Record<string, number[]>[];
  /** Category totals, for the legend. */
  activityTotals: Record<string, number>;
  bands: TimelineBand[];
  faults: TimelineFault[];
  outages: NodeOutage[];
  marks: TimelineEvent[];
  marksDropped: number;
  sample: TimelineEvent[];
  /** Individual events kept per bucket at most (SAMPLE_PER_BUCKET_MAX, less for many buckets). */
  samplePerBucket: number;
  sampleDropped: number;
  violations: TimelineViolation[];
  /** Where the violations came from and anything a reader should know about them. */
  violationsNote: string;
  style: TimelineStyle;
}
