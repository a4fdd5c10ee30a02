// With Eligible Leader Replicas (KIP-966: on by default from Kafka 4.1, KRaft) the controller lets
// the last ISR member leave: PartitionChangeBuilder ("If ELR is enabled, the ISR is allowed to be
// empty") moves it into the ELR and leaves the partition leaderless until a replica of the ELR
// comes back. Found by `ksim check` on check-small at 4.1 (seed 11, shrunk to three controlled
// shutdowns of orders-0's leader in a row): isr-outside-replicas called that empty ISR a breach.
import { describe, expect, it } from 'vitest';
import checkSmall from '../models/kafka/presets/check-small.scenario.json' with { type: 'json' };
import { runScenario } from '../models/kafka/testing/scenario-run.ts';

const shutdowns = {
  ...structuredClone(checkSmall),
  seed: '0',
  operations: [
    { atMs: 101, kind: 'controlled-shutdown', broker: '@leader:orders-0', durationMs: 1800 },
    { atMs: 900, kind: 'controlled-shutdown', broker: '@leader:orders-0', durationMs: 1800 },
    { atMs: 945, kind: 'controlled-shutdown', broker: '@leader:orders-0', durationMs: 1 },
  ],
};

/** The shrinks that left an ISR empty. */
const emptyIsrs = (events: ReturnType<typeof runScenario>['events']) => events.filter((e) => e[2].type === 'isr-shrink' && (e[2].isr as string[]).length === 0);

describe('controlled shutdowns of every ISR member in a row', () => {
  it('Kafka 4.1 (ELR): the ISR empties, no invariant is broken and nothing is lost', () => {
    const { report, events } = runScenario(shutdowns, ['preset=apache', 'kafkaVersion=4.1']);
    expect(emptyIsrs(events).length).toBeGreaterThan(0);
    expect(report.violations.filter((v) => v.property === 'isr-outside-replicas')).toEqual([]);
    expect(report.violations.filter((v) => v.classification === 'breach')).toEqual([]);
  });

  it('Kafka 4.0 (no ELR): the controller keeps the last member in the ISR', () => {
    const { report, events } = runScenario(shutdowns, ['preset=apache', 'kafkaVersion=4.0']);
    expect(emptyIsrs(events)).toEqual([]);
    expect(report.violations.filter((v) => v.classification === 'breach')).toEqual([]);
  });
});
