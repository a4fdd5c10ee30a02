// KafkaNames' lookups, above all partition(): the run's invariants share one instance and it
// remembers the last name asked, so a run of questions in any order must get each name's own answer.
import { describe, expect, it } from 'vitest';
import type { KafkaScenario } from '../scenario/kafka-scenario.ts';
import { KafkaNames } from './kafka-names.ts';

const scenario = {
  brokers: [{ name: 'b1' }, { name: 'b2' }],
  topics: [
    { name: 'orders', partitions: 3, replicas: [[0, 1], [1, 0], [0, 1]] },
    { name: 'audit', partitions: 1, replicas: [[1, 0]] },
  ],
  producers: [],
} as unknown as KafkaScenario;

describe('KafkaNames', () => {
  it('answers each partition by its own index, whatever was asked before', () => {
    const names = new KafkaNames(scenario);
    const asked = ['orders-1', 'orders-1', 'audit-0', 'orders-0', 'nope-9', 'orders-2', 'nope-9', 'orders-2', 'audit-0', ''];
    // Fresh strings, equal to the scenario's names but other objects (events carry the model's).
    const answers = asked.map((n) => names.partition(`${n}`.slice(0)));
    expect(answers).toEqual([1, 1, 3, 0, -1, 2, -1, 2, 3, -1]);
  });

  it('is one instance the invariants share: a reassignment one of them records is what all read', () => {
    const names = new KafkaNames(scenario);
    expect(names.partition('audit-0')).toBe(3);
    names.onReassignment({ type: 'reassignment', partition: 'audit-0', replicas: ['b2'] } as never);
    expect(names.replicas[3]).toEqual([1]);
    expect(names.partition('orders-0')).toBe(0);
  });
});
