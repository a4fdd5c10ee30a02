// Faults aimed at roles: how a role reference in a fault's node fields resolves to the nodes that
// hold it when the fault fires, and when such a fault has nothing to act on.
import { describe, expect, it } from 'vitest';
import { faultKindOf, type Fault } from './fault.ts';
import { describeRole, namesRoles, resolveRoles } from './fault-roles.ts';

const HOLDERS: Record<string, string[]> = {
  '@leader:t-0': ['b2'],
  '@followers:t-0': ['b1', 'b3'],
  '@active-controller': ['c1'],
  '@leader:t-1': [],
};
const resolve = (f: Fault) => resolveRoles(faultKindOf(f.kind).schema.shape, f, (ref) => HOLDERS[ref] ?? []);

describe('faults aimed at roles', () => {
  it('are told from faults naming nodes only', () => {
    const shape = (f: Fault) => faultKindOf(f.kind).schema.shape;
    const aimed: Fault = { atMs: 0, kind: 'crash', node: '@leader:t-0' };
    const fixed: Fault = { atMs: 0, kind: 'partition', groups: [['b1'], ['b2']] };
    expect(namesRoles(shape(aimed), aimed)).toBe(true);
    expect(namesRoles(shape(fixed), fixed)).toBe(false);
  });

  it('resolve each side of a cut to the holders now, and keep the role references for the trace', () => {
    const r = resolve({ atMs: 5, kind: 'partition', groups: [['@leader:t-0'], ['@followers:t-0', 'c2']], durationMs: 10 });
    expect(r.fault).toEqual({
      atMs: 5,
      kind: 'partition',
      groups: [['b2'], ['b1', 'b3', 'c2']],
      durationMs: 10,
      roles: { groups: [['@leader:t-0'], ['@followers:t-0', 'c2']] },
    });
    expect(r.named).toEqual(['leader of t-0 (b2)', 'followers of t-0 (b1, b3)']);
  });

  it('leave a node named on an earlier side off a later one', () => {
    const r = resolve({ atMs: 0, kind: 'partition', groups: [['@active-controller'], ['b1', 'c1', 'c2']] });
    expect((r.fault as { groups: string[][] }).groups).toEqual([['c1'], ['b1', 'c2']]);
  });

  it('resolve a one-node field to the first holder, and a one-way cut never from a node to itself', () => {
    expect((resolve({ atMs: 0, kind: 'crash', node: '@followers:t-0' }).fault as { node: string }).node).toBe('b1');
    const oneWay = resolve({ atMs: 0, kind: 'partition-one-way', from: ['@leader:t-0'], to: ['b2', 'b3'] }).fault as { from: string[]; to: string[] };
    expect([oneWay.from, oneWay.to]).toEqual([['b2'], ['b3']]);
  });

  it('do nothing when nobody holds the role, a side is empty or a link joins a node to itself', () => {
    expect(resolve({ atMs: 0, kind: 'crash', node: '@leader:t-1' })).toEqual({ fault: null, named: ['leader of t-1 (nobody)'] });
    expect(resolve({ atMs: 0, kind: 'partition', groups: [['@leader:t-0'], ['b2']] }).fault).toBeNull();
    expect(resolve({ atMs: 0, kind: 'hold', from: '@leader:t-0', to: 'b2' }).fault).toBeNull();
    expect(resolve({ atMs: 0, kind: 'hold', from: '@leader:t-0', to: 'b3' }).fault).not.toBeNull();
  });

  it('are described by role and argument', () => {
    expect(describeRole('@leader:orders-0')).toBe('leader of orders-0');
    expect(describeRole('@active-controller')).toBe('active controller');
    expect(describeRole('@coordinator:g1')).toBe('coordinator of g1');
  });
});
