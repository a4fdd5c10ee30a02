// Shared by the Kafka property suites: a small cluster (3 brokers over 3 AZs, 3 controllers, one
// 2-partition topic with RF 3, one keyed producer at 100 records/s) that `ksim check` explores
// with generated fault schedules, so one run costs ~100 ms and a suite a few seconds.
import { MODELS } from '../models/index.ts';
import { runCheck, type CheckOutcome } from '../src/explore/check-runner.ts';

export const SMALL_CLUSTER = {
  model: 'kafka',
  preset: 'msk',
  durationMs: 20_000,
  cluster: { brokers: 3, controllers: 3 },
  topics: [{ name: 'orders', partitions: 2, 'replication.factor': 3 }],
  producers: [{ name: 'p1', az: 'use1-az1', topic: 'orders', ratePerSec: 100, keys: 10 }],
};

export function checkKafka(
  settings: string[],
  runs: number,
  seed: number,
  extra: Record<string, unknown> = {},
  properties?: string[],
): CheckOutcome {
  return runCheck({ raw: { ...SMALL_CLUSTER, ...extra }, models: MODELS, settings, runs, seed, properties });
}

/** The properties a counterexample violates. */
export function propertiesOf(o: CheckOutcome): string[] {
  return [...new Set(o.counterexample?.report.violations.map((v) => v.property) ?? [])].sort();
}
