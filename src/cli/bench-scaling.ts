// `npm run bench`, the figures of issue 15 (flat cost per event, bounded memory, free timers):
//  - cost per event of the default scenario at 15 s, 60 s and 240 s virtual, and at 6, 24 and 96
//    partitions (CPU time of the run; faults that would start after a shorter end dropped), with
//    the spread max/min - 1 of each row (the target is under 25%);
//  - the event queue's work on a 60 s run: timers set and cancelled, cancelled entries that still
//    reached the top of the heap, the heap's peak length;
//  - memory: peak RSS, RSS added per record sent and heap retained per record sent (live heap
//    after a full GC once the run's checkers have finished), each variant in its own process
//    (bench-memory.mjs): 60 s, a virtual hour, and 60 s with both producers at 20,000 records/s.
// CPU time (process.cpuUsage) rather than wall time: this machine is shared and noisy.

import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { DEFAULT_SCENARIO, MODELS } from '../../models/index.ts';
import { resolveScenario } from '../scenario/resolve-scenario.ts';
import { runResolved } from '../scenario/run-scenario.ts';
import type { RunReport } from '../scenario/run-report.ts';
import { benchVariant, describeVariant, type BenchVariant } from './bench-variant.ts';

const MEMORY_CHILD = fileURLToPath(new URL('./bench-memory.mjs', import.meta.url));
/** Heap cap of a memory child: past it the row says so rather than paging for minutes (the targets are 400-500 MB). */
const MEMORY_CHILD_HEAP_MB = 1024;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[s.length >> 1];
}

/** Median CPU ns per dispatched event over `repeats` runs, after one untimed run. */
function nsPerEvent(v: BenchVariant, repeats: number): { ns: number; report: RunReport } {
  const res = resolveScenario(benchVariant(DEFAULT_SCENARIO, v), MODELS);
  let report = runResolved(res);
  const ns: number[] = [];
  for (let i = 0; i < repeats; i++) {
    const c0 = process.cpuUsage();
    report = runResolved(res);
    const c = process.cpuUsage(c0);
    ns.push(((c.user + c.system) * 1000) / report.events);
  }
  return { ns: median(ns), report };
}

function flatnessRow(label: string, variants: BenchVariant[], repeats: (v: BenchVariant) => number): void {
  const figures: number[] = [];
  const cells: string[] = [];
  for (const v of variants) {
    const { ns, report } = nsPerEvent(v, repeats(v));
    figures.push(ns);
    cells.push(`${describeVariant(v)}: ${Math.round(ns).toLocaleString('en-US')} ns/event (${report.events.toLocaleString('en-US')} events)`);
  }
  const spread = Math.max(...figures) / Math.min(...figures) - 1;
  console.log(`  ${label}`);
  for (const c of cells) console.log(`    ${c}`);
  console.log(`    spread ${(spread * 100).toFixed(0)}%   (target < 25%)`);
}

function queueWork(): void {
  const report = runResolved(resolveScenario(DEFAULT_SCENARIO, MODELS));
  const k = report.stats.kernel;
  console.log(
    `  default scenario, ${report.virtualMs / 1000} s: ${k.timersFired.toLocaleString('en-US')} timers fired, ${k.timersCancelled.toLocaleString('en-US')} cancelled; ` +
      `${k.cancelledPopped.toLocaleString('en-US')} cancelled entries reached the heap top (${((100 * k.cancelledPopped) / report.events).toFixed(1)}% of ` +
      `${report.events.toLocaleString('en-US')} events); heap peak ${k.queueLengthMax.toLocaleString('en-US')} entries`,
  );
}

function memoryRow(v: BenchVariant): void {
  const r = spawnSync(process.execPath, [`--max-old-space-size=${MEMORY_CHILD_HEAP_MB}`, MEMORY_CHILD, JSON.stringify(v)], { encoding: 'utf8', maxBuffer: 1 << 20 });
  if (r.status !== 0) {
    // out of memory is a figure too: say so and go on
    const reason = /heap out of memory/i.test(r.stderr) ? `ran out of heap (capped at ${MEMORY_CHILD_HEAP_MB} MB)` : `exit ${r.status ?? r.signal}: ${r.stderr.trim().split('\n').pop()}`;
    console.log(`  ${describeVariant(v).padEnd(48)} FAILED: ${reason}`);
    return;
  }
  const m = JSON.parse(r.stdout) as { events: number; cpuMs: number; virtualMs: number; recordsSent: number; peakRssMB: number; rssPerRecordB: number; retainedPerRecordB: number };
  console.log(
    `  ${describeVariant(v).padEnd(48)} peak RSS ${m.peakRssMB.toFixed(0).padStart(5)} MB  ${Math.round(m.rssPerRecordB).toLocaleString('en-US').padStart(6)} B/record RSS, ` +
      `${Math.round(m.retainedPerRecordB).toLocaleString('en-US').padStart(5)} B/record heap retained ` +
      `(${m.recordsSent.toLocaleString('en-US')} records, ${m.events.toLocaleString('en-US')} events, ${(m.virtualMs / m.cpuMs).toFixed(0)}x virtual/CPU)`,
  );
}

/** Prints the scaling, queue and memory figures. */
export function benchScaling(): void {
  console.log('');
  console.log('cost per event (default scenario, CPU time, median of warm runs)');
  // Warm the JIT on whole runs first: run alone (--only scaling), the first row would otherwise pay
  // for compiling the model (15 s runs measured 5,504 ns/event cold against 2,273 warm).
  for (let i = 0; i < 2; i++) runResolved(resolveScenario(DEFAULT_SCENARIO, MODELS));
  flatnessRow('by run length', [{ durationMs: 15_000 }, { durationMs: 60_000 }, { durationMs: 240_000 }], (v) => (v.durationMs! > 60_000 ? 1 : 3));
  // The default scenario's own length (120 s): enough events to amortize each partition's setup and end-of-run analysis.
  flatnessRow('by partitions (120 s)', [{ partitions: 6 }, { partitions: 24 }, { partitions: 96 }], () => 2);
  console.log('');
  console.log('event queue (timers cost nothing once cancelled)');
  queueWork();
  console.log('');
  console.log('memory (default scenario, one process per row; target: a virtual hour under 400 MB, 2x20,000 records/s under 500 MB)');
  memoryRow({ durationMs: 60_000 });
  memoryRow({ durationMs: 3_600_000 });
  memoryRow({ durationMs: 60_000, ratePerSec: 20_000 });
}
