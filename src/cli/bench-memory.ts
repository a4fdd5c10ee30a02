// The body of bench-memory.mjs: one run of the default scenario in the variant given as JSON in
// argv[2], then one JSON line: events, CPU ms, records sent, the process's peak RSS, the RSS the
// run added per record sent (peak RSS minus the RSS before the run), and the heap the run retains
// per record sent: live heap (with the typed arrays' buffers outside it) after a full GC once every
// checker has finished (the run's records, histories and analyses all still held), minus the same
// before the run. Peak RSS includes
// the garbage collector's headroom and compiled code; the retained heap is what a record costs.
// Wall-clock and resource reads are allowed here: this is the CLI, not simulation code.

import v8 from 'node:v8';
import vm from 'node:vm';
import type { Checker } from '../check/checker.ts';
import { DEFAULT_SCENARIO, MODELS } from '../../models/index.ts';
import { resolveScenario } from '../scenario/resolve-scenario.ts';
import { runResolved } from '../scenario/run-scenario.ts';
import { benchVariant, type BenchVariant } from './bench-variant.ts';

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;
/** Live JS heap plus memory outside it that JS objects hold (typed arrays' buffers), after a full GC. */
const liveHeapB = (): number => {
  gc();
  return v8.getHeapStatistics().used_heap_size + process.memoryUsage().external;
};

const variant = JSON.parse(process.argv[2] ?? '{}') as BenchVariant;
// The row measures memory, so the run's projected-memory refusal (limits.memoryMb, projected
// conservatively) is lifted; the child's heap cap still bounds it.
const res = resolveScenario(benchVariant(DEFAULT_SCENARIO, variant), MODELS, { settings: ['limits.memoryMb=16384'] });
let retainedB = 0;
/** Finishes last (extra checkers follow the model's): measures with everything the run built still live. */
const meter: Checker = {
  name: 'bench-memory',
  finish: () => {
    retainedB = liveHeapB();
    return [];
  },
};
const heapBeforeB = liveHeapB();
const rssBeforeB = process.memoryUsage().rss;
const cpu0 = process.cpuUsage();
const report = runResolved(res, { checkers: [meter] });
const cpu = process.cpuUsage(cpu0);
const peakRssB = process.resourceUsage().maxRSS * 1024;
const recordsSent = Number((report.stats.model as Record<string, unknown>).recordsSent ?? 0);
process.stdout.write(
  JSON.stringify({
    events: report.events,
    cpuMs: (cpu.user + cpu.system) / 1000,
    virtualMs: report.virtualMs,
    recordsSent,
    peakRssMB: peakRssB / 2 ** 20,
    rssPerRecordB: recordsSent > 0 ? (peakRssB - rssBeforeB) / recordsSent : 0,
    retainedPerRecordB: recordsSent > 0 ? (retainedB - heapBeforeB) / recordsSent : 0,
    violations: report.violations.length,
    traceHash: report.traceHash,
  }) + '\n',
);
