// The bug zoo: each deliberate model bug (models/kafka/model-bugs.ts), switched on with
// `--set bugs=["name"]`, must be caught by `ksim check` (runCheck) on a small cluster within a
// stated number of generated runs, by the property that names it, with a small shrunk
// counterexample; and the same scenario without the bug must pass the same number of runs, so the
// catch is the bug's doing. Bounds were measured with fast-check seed 1 (runs to the first failure
// in brackets) and leave room for model changes that shift the seeded streams.
//
// The scenario: 3 brokers over 3 AZs, 1 controller, one topic of 2 partitions with RF 3, one keyed
// acks=all idempotent producer at 50 records/s for 10 s (500 records). Short timeouts (session 3 s,
// replica lag 2 s, request timeout 2 s) let elections, ISR changes and retries happen inside the
// fault window; flushing every message keeps power loss from losing acknowledged data on its own
// (a loss permitted by the fault load, which `ksim check` would report too); one request in flight
// per connection avoids a known simplification of the producer model (an epoch bump re-sequences a
// batch whose earlier attempt may have been appended, which duplicates it).

import { describe, expect, it } from 'vitest';
import { MODELS } from '../models/index.ts';
import type { ModelBug } from '../models/kafka/model-bugs.ts';
import { runCheck, type CheckOutcome } from '../src/explore/check-runner.ts';

const raw = {
  model: 'kafka',
  durationMs: 10_000,
  seed: '1',
  cluster: { brokers: 3, controllers: 1 },
  topics: [{ name: 'zoo', partitions: 2, 'replication.factor': 3 }],
  producers: [{ name: 'p1', az: 'use1-az1', topic: 'zoo', ratePerSec: 50, keys: 4 }],
};
const RECORDS_SENT = 500;

// The consumer-group bugs need a group: the same scenario plus two after-processing members of
// group g on topic zoo, with a short session (1.5 s, allowed by group.min.session.timeout.ms=1000)
// so a fault of a few hundred ms can fence a member and move its partitions to the other one.
const groupRaw = {
  ...raw,
  consumerGroups: [
    {
      'group.id': 'g',
      topics: ['zoo'],
      members: 2,
      processingMs: 1,
      commit: 'after-processing',
      config: { 'session.timeout.ms': 1500, 'heartbeat.interval.ms': 500, 'auto.offset.reset': 'earliest' },
    },
  ],
};
const GROUP_SETTINGS = ['group.min.session.timeout.ms=1000', 'group.initial.rebalance.delay.ms=0'];
const GROUP_RUNS = 150;

const SETTINGS = [
  'log.flush.interval.messages=1',
  'request.timeout.ms=2000',
  'max.in.flight.requests.per.connection=1',
  'broker.session.timeout.ms=3000',
  'broker.heartbeat.interval.ms=1000',
  'replica.lag.time.max.ms=2000',
];

const RUNS = 100;

interface ZooCase {
  bug: ModelBug;
  /** The property that must catch it, as a breach. */
  property: string;
  /** Generated runs until the first failure must not exceed this (measured in brackets). */
  runsMax: number;
  /** Faults the shrunk counterexample may keep: what the bug needs to show. */
  faultsMax: number;
  /** Runs on the consumer-group scenario (groupRaw) instead of raw. */
  group?: boolean;
}

const ZOO: ZooCase[] = [
  // Caught in the first run, with no fault at all: acks=all answered before the HW moved [1].
  { bug: 'ack-before-isr', property: 'uncommitted-ack', runsMax: 5, faultsMax: 0 },
  // The HW passes the skipped follower's LEO on the first produce [1].
  { bug: 'hw-skips-isr-member', property: 'hw-above-isr-leo', runsMax: 5, faultsMax: 0 },
  // Keyed records spread over both partitions by the sticky partitioner [1].
  { bug: 'sticky-keyed-records', property: 'key-partition', runsMax: 5, faultsMax: 1 },
  // A lost produce response makes the producer retry an appended batch [1].
  { bug: 'forget-idempotent-dedup', property: 'duplicate', runsMax: 30, faultsMax: 2 },
  // A replica that lost its tail, or led alone, keeps records the new leader does not have [6].
  { bug: 'skip-truncation', property: 'log-divergence', runsMax: 60, faultsMax: 2 },
  // A follower dropped from the ISR is elected when the leader fails [19].
  { bug: 'elect-outside-isr', property: 'hw-above-isr-leo', runsMax: 80, faultsMax: 2 },
  // The first rebalance with both members hands one partition to both [1].
  { bug: 'assign-partition-twice', property: 'double-assignment', runsMax: 5, faultsMax: 1, group: true },
  // A member cut off briefly commits with its old generation after the other took its partition
  // over and committed further; shrunk to one 69 ms one-way partition [73].
  { bug: 'accept-stale-generation-commit', property: 'committed-offset-backwards', runsMax: 140, faultsMax: 2, group: true },
];

function check(bugs: readonly ModelBug[], group = false): CheckOutcome {
  const settings = [...SETTINGS, ...(group ? GROUP_SETTINGS : []), `bugs=${JSON.stringify(bugs)}`];
  return runCheck({ raw: group ? groupRaw : raw, models: MODELS, settings, runs: group ? GROUP_RUNS : RUNS, seed: 1 });
}

describe('bug zoo', () => {
  it(`the zoo scenario without bugs passes ${RUNS} runs`, () => {
    const out = check([]);
    expect(out.failed).toBe(false);
    expect(out.runs).toBe(RUNS);
    // The runs did reach what the bugs need: failovers, ISR changes, retries.
    expect(out.coverage['clean leader failover']).toBeGreaterThan(0);
    expect(out.coverage['ISR shrink']).toBeGreaterThan(0);
    expect(out.coverage['produce retried']).toBeGreaterThan(0);
  }, 60_000);

  it(`the consumer-group zoo scenario without bugs passes ${GROUP_RUNS} runs`, () => {
    const out = check([], true);
    expect(out.failed).toBe(false);
    expect(out.runs).toBe(GROUP_RUNS);
  }, 60_000);

  for (const z of ZOO) {
    it(`${z.bug} is caught by ${z.property} within ${z.runsMax} runs, shrunk to at most ${z.faultsMax} faults`, () => {
      const out = check([z.bug], z.group);
      expect(out.failed).toBe(true);
      expect(out.runs).toBeLessThanOrEqual(z.runsMax);
      const cx = out.counterexample!;
      const caught = cx.report.violations.filter((v) => v.property === z.property && v.classification === 'breach');
      expect(caught.map((v) => v.property)).toContain(z.property);
      expect(cx.case.faults.length).toBeLessThanOrEqual(z.faultsMax);
      // The workload is the scenario's (500 records); shrinking acts on faults and settings.
      expect(cx.report.stats.model.recordsSent).toBeLessThanOrEqual(RECORDS_SENT + 1);
    }, 60_000);
  }
});
