// Shared by the Kafka property suites: the `check-small` preset (3 brokers over 3 AZs, 3
// controllers, one 2-partition topic with RF 3, one keyed producer at 100 records/s), which
// `ksim check` explores with generated fault schedules; one run costs ~100 ms.
import { MODELS, SCENARIO_PRESETS } from '../models/index.ts';
import { runCheck, type CheckOutcome } from '../src/explore/check-runner.ts';
import type { VerdictClass } from '../src/scenario/verdict.ts';

/** The `check-small` preset (models/kafka/presets/check-small.scenario.json). */
export const SMALL_CLUSTER: Record<string, unknown> = SCENARIO_PRESETS['check-small'];

export function checkKafka(
  settings: string[],
  runs: number,
  seed: number,
  extra: Record<string, unknown> = {},
  properties?: string[],
  failOn?: VerdictClass[],
  shrinkRunsMax = Infinity,
): CheckOutcome {
  // A capped shrink stops after the run in progress and keeps the smallest counterexample so far.
  let shrinkRuns = 0;
  return runCheck({
    raw: { ...SMALL_CLUSTER, ...extra },
    models: MODELS,
    settings,
    runs,
    seed,
    properties,
    failOn,
    onProgress: (p) => void (shrinkRuns = p.shrinkRuns),
    shouldStop: () => shrinkRuns >= shrinkRunsMax,
  });
}

/** The properties a counterexample violates. */
export function propertiesOf(o: CheckOutcome): string[] {
  return [...new Set(o.counterexample?.report.violations.map((v) => v.property) ?? [])].sort();
}
