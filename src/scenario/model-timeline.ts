// How a model's runs draw on the timeline (`ksim timeline`). The engine reads the trace, draws
// what the kernel did (messages, timers, faults, nodes down and up) and hands each of the model's
// events to the model's `draw`, which counts it into its lane's activity, samples or marks it,
// ties it to the records it concerns, and moves band rows along (a row per thing with a leader,
// an epoch and members over time: a replicated log's leader and in-sync copies, a consensus
// group's leader and term). The style says how the page shows the model's categories and marks. A model without a
// timeline still draws: its events count as "other" activity, every lane is a "node".

import type { Violation } from '../sim/model.ts';

/** [timeUs, lane index (-1: the system as a whole), kind, text, band it concerns (if one)]. */
export type TimelineEvent = [number, number, string, string] | [number, number, string, string, string];

/** Who leads a band from some time on, at which epoch, with which members; leader null: none (offline). */
export interface BandSegment {
  leader: string | null;
  epoch: number;
  members: string[];
}

/** What `draw` draws with. Lane and time bucket are the event's; nothing is drawn twice. */
export interface TimelineCanvas {
  /** Adds to the lane's activity in a category (stacked bars; totals in the legend). */
  count(category: string, n?: number): void;
  /** The event as the page lists it: [time, lane, kind, text, band?]. */
  event(kind: string, text: string, band?: string): TimelineEvent;
  /** Shown when zoomed in (a uniform sample of each time bucket's events). */
  sample(event: TimelineEvent): void;
  /** Always shown: on its lane, and on its band's row when it names a band. */
  mark(event: TimelineEvent): void;
  /** The records the event concerns: listed and marked under the violations that name them. */
  watch(records: readonly number[], event: TimelineEvent): void;
  /** Starts a new segment of a band's row at the event's time. */
  segment(band: string, segment: BandSegment): void;
  /** The band's latest segment, if it has one. */
  currentSegment(band: string): BandSegment | undefined;
}

export interface TimelineModelEvent {
  /** When it happened. */
  timeUs: number;
  /** The node that emitted it (null: the system as a whole). */
  node: string | null;
  event: { type: string; [field: string]: unknown };
}

/** How a mark looks: a flag (triangle on a line), a ring, a cross, a tick, or a dot in its kind's colour. */
interface MarkStyle {
  shape: 'flag' | 'ring' | 'cross' | 'tick' | 'dot';
  color: string;
  /** Drawn on its band's row only, not on its lane. */
  bandOnly?: boolean;
  /** Still drawn when the window is crowded with marks. */
  keepWhenCrowded?: boolean;
}

export interface TimelineStyle {
  /** Activity categories in stacking order, bottom up; the engine's "drop" and "other" may be placed among them. */
  barOrder: readonly string[];
  /** Colour of each category and event kind (bars, sampled ticks, dots). */
  colors: Readonly<Record<string, string>>;
  /** Legend names of categories that need more than their name. */
  legend: Readonly<Record<string, string>>;
  /** Marks that are not plain dots, by kind. */
  marks: Readonly<Record<string, MarkStyle>>;
  /** How band rows read; absent: the model draws none. */
  bands?: {
    /** What a band is, plural, for the page's counts ("logs", "groups"). */
    noun: string;
    /** Heading of the band rows. */
    title: string;
    /** What a segment's members are called ("replicas", "voters"). */
    membersName: string;
    /** Lanes of this role get the leader colours (leaders are nodes of that role). */
    leaderRole: string;
  };
  /** Kinds of a record's events that tell its story in one line in the violation list. */
  storyKinds: readonly string[];
  /** What the model's marks mean, for the note under the chart ("red crosses: peers lost"). */
  legendNote: string;
}

/** The band and records a violation names, and its classification. */
export interface ViolationSubjects {
  classification: string | null;
  band: string | null;
  records: { record: number; offset: number | null }[];
}

export interface ModelTimeline {
  /** Lane roles in their order within an AZ (a node's role shows under its name). */
  roles: readonly string[];
  /** Each node's role, from the trace's resolved scenario; nodes left out are "node". */
  laneRoles(scenario: Record<string, unknown>, nodes: readonly string[]): ReadonlyMap<string, string>;
  /** Draws one of the model's events. Called in trace order. */
  draw(e: TimelineModelEvent, canvas: TimelineCanvas): void;
  /** Order of the band rows (default: by name). */
  compareBands?(a: string, b: string): number;
  style: TimelineStyle;
  /** What a checker's violation names (from a replayed run, with every detail the checker gave). */
  violationSubjects?(violation: Violation): ViolationSubjects;
  /** What a violation names, read from its message alone (a trace's footer keeps only messages). */
  subjectsFromMessage?(message: string): ViolationSubjects;
}
