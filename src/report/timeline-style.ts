// How the timeline page shows what the kernel draws (messages received and dropped, timers, node
// outages, faults) next to what the model draws: the model's style (src/scenario/model-timeline.ts)
// completed with the kernel's categories, colours and marks, and the lane order within an AZ.

import type { ModelTimeline, TimelineStyle } from '../scenario/model-timeline.ts';

/** The kernel's activity categories that stack with the model's ("drop", "other") and their look. */
const KERNEL_COLORS: Readonly<Record<string, string>> = { drop: '#e377c2', recv: '#c7c7c7', timer: '#e0e0e0', other: '#bbbbbb' };
const KERNEL_LEGEND: Readonly<Record<string, string>> = { drop: 'dropped messages', recv: 'messages received', timer: 'timers' };
const KERNEL_BARS = ['drop', 'other'];

/** Node outages and faults: ticks for down/up, nothing for a fault (its band says it). */
const KERNEL_MARKS: TimelineStyle['marks'] = {
  down: { shape: 'tick', color: '#333', keepWhenCrowded: true },
  pause: { shape: 'tick', color: '#333' },
  up: { shape: 'tick', color: '#2e7d32', keepWhenCrowded: true },
  resume: { shape: 'tick', color: '#2e7d32' },
};

const NO_MODEL_STYLE: TimelineStyle = { barOrder: [], colors: {}, legend: {}, marks: {}, storyKinds: [], legendNote: '' };

/** The page's style: the model's, with the kernel's categories and marks (stacked last unless the model places them). */
export function timelineStyle(timeline: ModelTimeline | undefined): TimelineStyle {
  const model = timeline?.style ?? NO_MODEL_STYLE;
  return {
    ...model,
    barOrder: [...model.barOrder, ...KERNEL_BARS.filter((c) => !model.barOrder.includes(c))],
    colors: { ...KERNEL_COLORS, ...model.colors },
    legend: { ...KERNEL_LEGEND, ...model.legend },
    marks: { ...KERNEL_MARKS, ...model.marks },
  };
}

/** Roles in lane order within an AZ: the model's, then "node". */
export function roleOrder(timeline: ModelTimeline | undefined): string[] {
  return [...(timeline?.roles ?? []), 'node'];
}
