// The writers' unavailability on the default run (msk-3az-outage, seed 1), where a fresh user read
// it wrong: AZ use1-az2 loses power at 30 s. orders-3's follower there stalls its high watermark
// on b3 until the controller fences that broker (37.3 s). orders-1, also led by b3, has no record
// waiting (it does not stall), yet p1's acks=all requests to b3 carry orders-3's batches, b3
// answers each only when orders-3 commits and reads p1's next request only then, so none of p1's
// writes to orders-1 is acknowledged either; p2 was down with the AZ. The figure used to show
// orders-1's 7.3 s of the b1 isolation only; now it shows the outage's as held behind another
// partition's produce request, and agrees with p1's acknowledgements.

import { describe, expect, it } from 'vitest';
import msk3azOutage from '../models/kafka/presets/msk-3az-outage.scenario.json' with { type: 'json' };
import { resolveScenario } from '../src/scenario/resolve-scenario.ts';
import { runResolved } from '../src/scenario/run-scenario.ts';
import { kafkaDefinition } from '../models/kafka/kafka-definition.ts';
import { readKafkaRunSummary } from '../models/kafka/checkers/run-summary-checker.ts';

describe('head-of-line blocking on the default run', () => {
  it("orders-1's writers wait behind stalled orders-3 on b3 through the AZ outage: counted apart, as long as p1 went without an acknowledgement", () => {
    const acksUs: number[] = [];
    const report = runResolved(resolveScenario(msk3azOutage, [kafkaDefinition]), {
      checkers: [
        {
          name: 'orders-1 acks',
          onEvent: (timeUs, _node, ev) => {
            if (ev.type === 'send-ok' && ev.partition === 'orders-1' && ev.producer === 'p1') acksUs.push(timeUs);
          },
          finish: () => [],
        },
      ],
    });
    const summary = readKafkaRunSummary(report)!;
    const row = (clients: string) => summary.unavailablePartitions.find((r) => r.partition === 'orders-1' && r.clients === clients)!;

    // p1's acknowledgements of orders-1 stop from the outage to the fencing.
    const lastBeforeUs = Math.max(...acksUs.filter((t) => t < 30_000_000));
    const firstAfterUs = Math.min(...acksUs.filter((t) => t >= 30_000_000));
    const gapMs = (firstAfterUs - lastBeforeUs) / 1000;
    expect(gapMs).toBeGreaterThan(7000);

    const writers = row('acks=all');
    expect(writers.headOfLineBlockedMs).toBeLessThanOrEqual(gapMs);
    expect(writers.headOfLineBlockedMs).toBeGreaterThan(gapMs - 100);
    expect(writers).toMatchObject({ hwStalledMs: 0, isrBelowMinMs: 0, spells: 2 });
    // Readers wait on no produce request: only the isolation of orders-1's first leader b1.
    expect(row('readers').unavailableMs).toBeCloseTo(writers.unavailableMs - writers.headOfLineBlockedMs, 6);
    expect(summary.unavailabilityByClients.find((t) => t.clients === 'acks=all')!.headOfLineBlockedMs).toBe(writers.headOfLineBlockedMs);
  });
});
