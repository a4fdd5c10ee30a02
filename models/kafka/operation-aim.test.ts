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
