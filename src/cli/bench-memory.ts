// The body of bench-memory.mjs: one run of the default scenario in the variant given as JSON in
// argv[2], then one JSON line: events, CPU ms, records sent, the process's peak RSS, and the RSS
// the run added per record sent (peak RSS minus the RSS before the run). Wall-clock and resource
// reads are allowed here: this is the CLI, not simulation code.

import { DEFAULT_SCENARIO, MODELS } from '../../models/index.ts';
import { resolveScenario } from '../scenario/resolve-scenario.ts';
import { runResolved } from '../scenario/run-scenario.ts';
import { benchVariant, type BenchVariant } from './bench-variant.ts';

const variant = JSON.parse(process.argv[2] ?? '{}') as BenchVariant;
const res = resolveScenario(benchVariant(DEFAULT_SCENARIO, variant), MODELS);
const rssBeforeB = process.memoryUsage().rss;
const cpu0 = process.cpuUsage();
const report = runResolved(res);
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
    violations: report.violations.length,
  }) + '\n',
);
