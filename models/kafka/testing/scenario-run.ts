// Test kit: runs a raw Kafka scenario as the CLI would and hands back its report, final state and
// model events (read from the trace lines as they are written), or the one-line refusal a
// scenario gets. Shared by the scenario-level tests of operations and reassignments.

import { resolveScenario } from '../../../src/scenario/resolve-scenario.ts';
import type { RunReport } from '../../../src/scenario/run-report.ts';
import { runResolved } from '../../../src/scenario/run-scenario.ts';
import { UserError } from '../../../src/scenario/user-error.ts';
import { MODELS } from '../../index.ts';
import type { KafkaFinalState } from '../kafka-events.ts';
import checkSmall from '../presets/check-small.scenario.json' with { type: 'json' };

export type Scenario = Record<string, unknown>;
export type Ev = { type: string; [field: string]: unknown };

export interface ScenarioRun {
  report: RunReport;
  final: KafkaFinalState;
  /** The model's events: [time µs, node, event]. */
  events: [number, string, Ev][];
}

/** Runs raw with `--set` settings; events as the trace logs them. */
export function runScenario(raw: Scenario, settings: string[] = []): ScenarioRun {
  const events: ScenarioRun['events'] = [];
  const sink = {
    line: (_i: number, text: string) => {
      if (!text.includes('"ev"')) return;
      const [t, kind, node, ev] = JSON.parse(text) as [number, string, string, Ev];
      if (kind === 'ev') events.push([t, node, ev]);
    },
  };
  const report = runResolved(resolveScenario(raw, MODELS, { settings }), { lineSink: sink });
  return { report, final: report.outcome.final as KafkaFinalState, events };
}

/** The UserError message raw (with `--set` settings) is refused with; throws if it is accepted. */
export function refusal(raw: Scenario, settings: string[] = []): string {
  try {
    resolveScenario(raw, MODELS, { settings });
  } catch (e) {
    if (e instanceof UserError) return e.message;
    throw e;
  }
  throw new Error('the scenario was accepted');
}

/**
 * A schedule `ksim check` drew on check-small (its seed, faults, operations), run with `settings`
 * on a given kafkaVersion: the violations, by version. The shape of the version-pair regression tests.
 */
export function checkSmallViolationsByVersion(drawn: Scenario, settings: string[]): (kafkaVersion: string) => RunReport['violations'] {
  return (kafkaVersion) => runScenario({ ...structuredClone(checkSmall), ...drawn }, [...settings, `kafkaVersion=${kafkaVersion}`]).report.violations;
}

/** Settings under which every acknowledged record must survive: acks=all, min ISR 2, no unclean election. */
export const STRICT_DURABILITY = ['acks=all', 'min.insync.replicas=2', 'unclean.leader.election.enable=false'];

/**
 * check-small for 25 s with the consumer group `ksim check` hunts with (g1: m1 in use1-az1, m2 in
 * use1-az2, 5 ms processing, auto commit, auto.offset.reset=earliest), then `overrides` (seed,
 * version, faults, operations...). The shape of the regression tests drawn from hunts.
 */
export function checkSmallWithGroup(overrides: Scenario): Scenario {
  return {
    ...structuredClone(checkSmall),
    durationMs: 25000,
    consumerGroups: [
      {
        'group.id': 'g1',
        topics: ['orders'],
        processingMs: 5,
        commit: 'auto',
        config: { 'auto.offset.reset': 'earliest' },
        members: [
          { name: 'm1', az: 'use1-az1' },
          { name: 'm2', az: 'use1-az2' },
        ],
      },
    ],
    ...overrides,
  };
}
