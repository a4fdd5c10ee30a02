// Controlled shutdowns aimed at roles (operation-aim.ts): resolved when they fire, to whoever
// holds the role then, acting exactly as the same operation naming that broker would, logged with
// the aimed faults by time, and refused with a one-line error when the role is not a broker's or
// names no partition of the scenario.
import { describe, expect, it } from 'vitest';
import { resolveScenario } from '../../src/scenario/resolve-scenario.ts';
import { runResolved } from '../../src/scenario/run-scenario.ts';
import { MODELS, SCENARIO_PRESETS } from '../index.ts';
import type { KafkaFinalState } from './kafka-events.ts';

function run(operations: object[], faults: object[] = []) {
  return runResolved(resolveScenario({ ...SCENARIO_PRESETS['check-small'], operations, faults }, MODELS, { seed: '1' }));
}

const shutdown = (atMs: number, broker: string) => ({ atMs, kind: 'controlled-shutdown', broker, durationMs: 2000 });
const AIMED = [shutdown(3000, '@leader:orders-0'), shutdown(3500, '@leader:orders-0'), shutdown(9000, '@follower:orders-1')];
const brokerIn = (line: string) => /\((b\d)\)$/.exec(line)![1];

describe('controlled shutdowns aimed at roles', () => {
  const aimed = run(AIMED, [{ atMs: 3200, kind: 'crash', node: '@leader:orders-1', durationMs: 1000 }]);
  const lines = aimed.aimedFaults!;

  it('stop whoever holds the role when they fire: the second leader of orders-0 is not the first; logged with the aimed faults, by time', () => {
    expect(lines).toHaveLength(4);
    expect(lines[0]).toMatch(/^3\.000s controlled-shutdown: leader of orders-0 \(b\d\)$/);
    expect(lines[1]).toMatch(/^3\.200s crash: leader of orders-1 \(b\d\)$/);
    expect(lines[2]).toMatch(/^3\.500s controlled-shutdown: leader of orders-0 \(b\d\)$/);
    expect(lines[3]).toMatch(/^9\.000s controlled-shutdown: follower of orders-1 \(b\d\)$/);
    expect(brokerIn(lines[2])).not.toBe(brokerIn(lines[0]));
    expect(aimed.stats.model['elections.controlled-shutdown']).toBeGreaterThanOrEqual(2);
  });

  it('act as the same operations naming the brokers they resolved to, and replay to the same trace', () => {
    const fixed = run(
      [shutdown(3000, brokerIn(lines[0])), shutdown(3500, brokerIn(lines[2])), shutdown(9000, brokerIn(lines[3]))],
      [{ atMs: 3200, kind: 'crash', node: brokerIn(lines[1]), durationMs: 1000 }],
    );
    expect(fixed.aimedFaults).toBeUndefined();
    const state = (r: typeof aimed) => (r.outcome.final as KafkaFinalState).partitions.map((p) => [p.partition, p.leader, p.leaderEpoch, p.isr, p.logs.map((l) => l.logEndOffset)]);
    expect(state(aimed)).toEqual(state(fixed));
    expect(aimed.stats.model).toEqual(fixed.stats.model);
    expect(run(AIMED, [{ atMs: 3200, kind: 'crash', node: '@leader:orders-1', durationMs: 1000 }]).traceHash).toBe(aimed.traceHash);
  });

  it('do nothing when no broker is up to act', () => {
    const r = run([shutdown(5000, '@leader:orders-0')], [{ atMs: 4000, kind: 'crash', node: 'b1', durationMs: 3000 }, { atMs: 4000, kind: 'crash', node: 'b2', durationMs: 3000 }, { atMs: 4000, kind: 'crash', node: 'b3', durationMs: 3000 }]);
    expect(r.aimedFaults).toBeUndefined(); // no broker's timer fires
    expect(r.stats.model['elections.controlled-shutdown']).toBeUndefined();
  });

  it('are refused when the role is not a broker\'s, or names no partition of the scenario', () => {
    expect(() => run([shutdown(1000, '@leader:orders-7')])).toThrow(
      /^invalid scenario: "operations\[0\]\.broker": unknown role "@leader:orders-7"; roles are @leader:orders-0, @leader:orders-1$/,
    );
    expect(() => run([shutdown(1000, '@active-controller')])).toThrow(/"operations\[0\]\.broker": a controlled shutdown stops one broker; "@active-controller" is not a broker's role: aim it at "@leader:<topic>-<partition>"/);
    expect(() => run([shutdown(1000, '@followers:orders-0')])).toThrow(/"@followers:orders-0" is not a broker's role/);
    expect(() => run([shutdown(1000, '@leader:orders-x')])).toThrow(/unknown role "@leader:orders-x"/);
    // a partition a create-partitions adds before the shutdown exists by then
    expect(() => run([{ atMs: 500, kind: 'create-partitions', topic: 'orders', totalCount: 3 }, shutdown(1000, '@follower:orders-2')])).not.toThrow();
  });
});

// KIP-279's fast failover in three entries ksim check draws (version-cases.test.ts scripts it in
// four fixed faults): the first follower of orders-0 cut from the partition's other replicas (it
// lags, stays in the ISR, and the other follower cannot truncate to it), then a leader chain: the
// leader's controlled shutdown (the lagging follower leads and takes acks=1 writes), and the next
// leader's a second later (the other follower leads with records the lagging one never had).
describe('a follower cut from its replicas, then a leader chain', () => {
  const entries = {
    faults: [{ atMs: 2000, kind: 'partition', groups: [['@follower:orders-0'], ['@leader:orders-0', '@followers:orders-0']], durationMs: 5000 }],
    operations: [shutdown(3000, '@leader:orders-0'), shutdown(4000, '@leader:orders-0')].map((op) => ({ ...op, durationMs: 3000 })),
  };
  const divergence = (version: string, seed: string, drawn: object = entries) =>
    runResolved(resolveScenario({ ...SCENARIO_PRESETS['check-small'], ...drawn }, MODELS, { seed, settings: ['preset=apache', `kafkaVersion=${version}`, 'acks=1'] }))
      .violations.filter((v) => v.property === 'log-divergence')
      .map((v) => String(v.reason));

  it.each(['1', '2', '3'])('diverges on Kafka 1.1, blamed on KIP-279 (seed %s); not on Kafka 2.0', (seed) => {
    expect(divergence('1.1', seed)).toEqual([expect.stringMatching(/^Kafka 1\.1: KIP-279 \(KAFKA-6361\), fixed in Kafka 2\.0/)]);
    expect(divergence('2.0', seed)).toEqual([]);
  });

  it('needs the cut: without it the other follower truncates to the interim leader at once, and nothing diverges', () => {
    expect(divergence('1.1', '1', { ...entries, faults: [] })).toEqual([]);
  });
});
