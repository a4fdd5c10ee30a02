// The timeline's aggregation: bucket counts add up to the events read, bucket widths adapt to the
// run's length, the model's drawing (the ping fixture's timeline) lands where it says, and a
// million-event trace aggregates within the caps into a page of bounded size.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as v8 from 'node:v8';
import * as vm from 'node:vm';
import { describe, expect, it } from 'vitest';
import { pingDefinition } from '../scenario/testing/ping-definition.ts';
import { TraceReader } from '../trace/trace-reader.ts';
import { aggregateTrace, chooseBucketUs } from './timeline-aggregator.ts';
import { BUCKETS_MAX, MARKS_MAX, SAMPLE_MAX } from './timeline-data.ts';
import { renderTimelineHtml } from './timeline-html.ts';
import { writeSyntheticTrace } from './testing/synthetic-trace.ts';

/** The page's size bound for a million-event run (stated in the README's timeline section). */
const MILLION_EVENT_HTML_BYTES_MAX = 4 * 1024 * 1024;

function sum(lanes: Record<string, number[]>[], category: string): number {
  let total = 0;
  for (const lane of lanes) for (const n of lane[category] ?? []) total += n;
  return total;
}

describe('timeline aggregation', () => {
  it('picks 1-2-5 bucket widths of at least 1 ms, at most BUCKETS_MAX buckets', () => {
    expect(chooseBucketUs(1)).toBe(1000);
    expect(chooseBucketUs(2_000_000)).toBe(1000);
    expect(chooseBucketUs(2_000_001)).toBe(2000);
    expect(chooseBucketUs(45_000_000)).toBe(50_000);
    expect(chooseBucketUs(60_000_000)).toBe(50_000);
    for (const us of [7, 3_999_999, 123_456_789, 86_400_000_000]) expect(Math.ceil(us / chooseBucketUs(us))).toBeLessThanOrEqual(BUCKETS_MAX);
  });

  it('bucket counts add up to the events read', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ksim-agg-'));
    const file = path.join(dir, 'small.jsonl');
    const counts = writeSyntheticTrace(file, 20_000, 250);
    const reader = TraceReader.open(file);
    const data = aggregateTrace(reader, { violations: [], violationsNote: '', timeline: pingDefinition.timeline });
    reader.close();
    expect(data.eventLines).toBe(counts.events);
    expect(sum(data.activity, 'recv')).toBe(counts.recv);
    expect(sum(data.activity, 'timer')).toBe(counts.timer);
    expect(sum(data.activity, 'drop')).toBe(counts.drop);
    expect(sum(data.activity, 'boot')).toBe(counts.boot);
    expect(sum(data.activity, 'lost')).toBe(counts.lost);
    expect(data.activityTotals.found).toBe(counts.found);
    // The model's drawing: lost and found are marks (on the node's view band), views are band segments.
    expect(data.marks.filter((m) => m[2] === 'lost')).toHaveLength(counts.lost);
    expect(data.marks.find((m) => m[2] === 'found')?.[4]).toMatch(/^n\d view$/);
    expect(data.bands.flatMap((b) => b.segments)).toHaveLength(counts.views);
    expect(data.style.bands?.noun).toBe('views');
    // Every sampled event is kept in trace order and within the run.
    expect(data.sample.every((e, i) => i === 0 || e[0] >= data.sample[i - 1][0])).toBe(true);
    expect(data.azs.map((g) => g.az)).toEqual(['az-a', 'az-b', 'az-c']);
    expect(data.azs[0].lanes.map((l) => data.lanes[l].name)).toEqual(['n1', 'n4']);
    expect(data.lanes.every((l) => l.role === 'pinger')).toBe(true);
  });

  it("draws a model without a timeline: its events are \"other\" activity, its lanes plain nodes", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ksim-agg-'));
    const file = path.join(dir, 'plain.jsonl');
    const counts = writeSyntheticTrace(file, 5_000, 250);
    const reader = TraceReader.open(file);
    const data = aggregateTrace(reader, { violations: [], violationsNote: '' });
    reader.close();
    expect(sum(data.activity, 'other')).toBe(counts.boot + counts.lost + counts.found + counts.views);
    expect(data.bands).toEqual([]);
    expect(data.lanes.every((l) => l.role === 'node')).toBe(true);
    expect(data.style.barOrder).toEqual(['drop', 'other']);
  });

  it('aggregates a 1,000,000-event trace in bounded memory into a page under the size bound', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ksim-agg-'));
    const file = path.join(dir, 'million.jsonl');
    const counts = writeSyntheticTrace(file, 1_000_000);
    const traceBytes = fs.statSync(file).size;
    // Retained heap, measured after full collections, so garbage the collector has not reached yet
    // under a loaded machine does not count.
    v8.setFlagsFromString('--expose-gc');
    const gc = vm.runInNewContext('gc') as () => void;
    gc();
    const heapBefore = process.memoryUsage().heapUsed;
    const started = performance.now();
    const reader = TraceReader.open(file);
    const data = aggregateTrace(reader, { violations: [], violationsNote: '', timeline: pingDefinition.timeline });
    reader.close();
    const html = renderTimelineHtml(data);
    const wallMs = performance.now() - started;
    gc();
    const heapGrowthBytes = process.memoryUsage().heapUsed - heapBefore;
    const htmlBytes = Buffer.byteLength(html);
    console.log(
      `1,000,000 events (${(traceBytes / 2 ** 20).toFixed(1)} MiB trace): aggregated and rendered in ${wallMs.toFixed(0)} ms wall, ` +
        `heap growth ${(heapGrowthBytes / 2 ** 20).toFixed(1)} MiB, page ${(htmlBytes / 2 ** 20).toFixed(2)} MiB, ` +
        `${data.bucketCount} buckets of ${data.bucketUs} µs, ${data.sample.length} sampled events, ${data.marks.length} marks`,
    );
    fs.rmSync(dir, { recursive: true, force: true });
    expect(data.eventLines).toBe(counts.events);
    expect(sum(data.activity, 'boot') + sum(data.activity, 'recv') + sum(data.activity, 'timer')).toBe(counts.boot + counts.recv + counts.timer);
    expect(data.bucketCount).toBeLessThanOrEqual(BUCKETS_MAX);
    expect(data.sample.length).toBeLessThanOrEqual(SAMPLE_MAX);
    expect(data.marks.length).toBeLessThanOrEqual(MARKS_MAX);
    expect(data.faults.length).toBe(counts.faults);
    expect(htmlBytes).toBeLessThan(MILLION_EVENT_HTML_BYTES_MAX);
    // Holding the trace's lines would take more than the file's size; the aggregation keeps a
    // small fraction of it.
    expect(heapGrowthBytes).toBeLessThan(traceBytes / 2);
  });
});
