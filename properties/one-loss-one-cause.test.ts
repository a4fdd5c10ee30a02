// One loss, one cause: the checkers that meet the same lost records (lost-write, the replicas'
// log-divergence, a consumer's inconsistent-offsets) classify them alike. Found by a fresh-user
// trial of `ksim check` on Kafka 4.0 (seed 2): b1, the last ISR member after two controlled
// shutdowns, lost its page cache to power loss and led again: lost-write and inconsistent-offsets
// said "permitted by the simulated version" (KIP-966's last replica standing) while log-divergence
// said "permitted by the fault load" for the same offsets.
import { describe, expect, it } from 'vitest';
import checkSmall from '../models/kafka/presets/check-small.scenario.json' with { type: 'json' };
import { runScenario } from '../models/kafka/testing/scenario-run.ts';

const lastReplicaStanding = {
  ...structuredClone(checkSmall),
  seed: '0',
  faults: [{ atMs: 5760, kind: 'power-loss', node: '@leader:orders-0', durationMs: 1800 }],
  operations: [
    { atMs: 0, kind: 'producer-restart', producer: 'p1' },
    { atMs: 3454, kind: 'controlled-shutdown', broker: '@leader:orders-0', durationMs: 1800 },
    { atMs: 3456, kind: 'controlled-shutdown', broker: '@leader:orders-0', durationMs: 1794 },
  ],
};

const classes = (version: string) => {
  const { report } = runScenario(lastReplicaStanding, ['preset=apache', `kafkaVersion=${version}`, 'min.insync.replicas=2']);
  const of = (property: string) => [...new Set(report.violations.filter((v) => v.property === property).map((v) => `${v.classification}/${v.permittedBy ?? ''}`))];
  return { lostWrite: of('lost-write'), logDivergence: of('log-divergence'), inconsistentOffsets: of('inconsistent-offsets') };
};

describe("the last replica standing's loss", () => {
  it('Kafka 4.0: lost-write and inconsistent-offsets both name the version (KIP-966), not the fault load for one of them', () => {
    const c = classes('4.0');
    expect(c.lostWrite).toEqual(['permitted/version']);
    expect(c.inconsistentOffsets).toEqual(['permitted/version']);
    // The replicas that still hold the lost records are out of the ISR at the end (they truncate
    // when they rejoin): log-divergence counts only the ISR's logs, so it names no second cause.
    expect(c.logDivergence).toEqual([]);
  });

  it('Kafka 4.1 (ELR): nothing lost, the replicas agree', () => {
    const c = classes('4.1');
    expect([...c.lostWrite, ...c.logDivergence]).toEqual([]);
  });
});
