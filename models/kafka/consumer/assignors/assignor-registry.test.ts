// The registry maps each partition.assignment.strategy name to its assignor, and refuses others.
import { describe, expect, it } from 'vitest';
import { assignorFor } from './assignor-registry.ts';

describe('assignorFor', () => {
  it('finds each assignor by its own name, with its rebalance protocol', () => {
    const found = ['range', 'roundrobin', 'sticky', 'cooperative-sticky'].map((s) => [assignorFor(s).name, assignorFor(s).rebalanceProtocol]);
    expect(found).toEqual([
      ['range', 'eager'],
      ['roundrobin', 'eager'],
      ['sticky', 'eager'],
      ['cooperative-sticky', 'cooperative'],
    ]);
  });

  it('refuses an unknown strategy, including names an object literal would inherit', () => {
    expect(() => assignorFor('uniform')).toThrow(/unknown partition.assignment.strategy uniform/);
    expect(() => assignorFor('toString')).toThrow(/unknown/);
  });
});
