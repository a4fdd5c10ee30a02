// The bug zoo's scenario and cases, shared by the zoo suite (properties/bug-zoo.test.ts) and the
// bench (src/cli/bench.ts, which reports runs to the first counterexample, wall time and shrunk
// size per bug). The scenario: 3 brokers over 3 AZs, 1 controller, one topic of 2 partitions with
// RF 3, one keyed acks=all idempotent producer at 50 records/s for 10 s (500 records). Short
// timeouts (session 3 s, replica lag 2 s, request timeout 2 s) let elections, ISR changes and
// retries happen inside the fault window; flushing every message keeps power loss from losing
// acknowledged data on its own (a loss permitted by the fault load); one request in flight keeps
// runs short and ordered.

import type { ModelBug } from '../models/kafka/model-bugs.ts';

export const ZOO_SCENARIO = {
  model: 'kafka',
  durationMs: 10_000,
  seed: '1',
  cluster: { brokers: 3, controllers: 1 },
  topics: [{ name: 'zoo', partitions: 2, 'replication.factor': 3 }],
  producers: [{ name: 'p1', az: 'use1-az1', topic: 'zoo', ratePerSec: 50, keys: 4 }],
};

export const ZOO_SETTINGS = [
  'log.flush.interval.messages=1',
  'request.timeout.ms=2000',
  'max.in.flight.requests.per.connection=1',
  'broker.session.timeout.ms=3000',
  'broker.heartbeat.interval.ms=1000',
  'replica.lag.time.max.ms=2000',
];

export interface ZooCase {
  bug: ModelBug;
  /** The property that must catch it, as a breach. */
  property: string;
  /** Generated runs until the first failure must not exceed this (seed 1). */
  runsMax: number;
  /** Faults the shrunk counterexample may keep: what the bug needs to show. */
  faultsMax: number;
}

export const ZOO_CASES: ZooCase[] = [
  { bug: 'ack-before-isr', property: 'uncommitted-ack', runsMax: 5, faultsMax: 0 },
  { bug: 'hw-skips-isr-member', property: 'hw-above-isr-leo', runsMax: 5, faultsMax: 0 },
  { bug: 'sticky-keyed-records', property: 'key-partition', runsMax: 5, faultsMax: 1 },
  { bug: 'forget-idempotent-dedup', property: 'duplicate', runsMax: 30, faultsMax: 2 },
  { bug: 'skip-truncation', property: 'log-divergence', runsMax: 60, faultsMax: 2 },
  { bug: 'elect-outside-isr', property: 'hw-above-isr-leo', runsMax: 80, faultsMax: 2 },
];
