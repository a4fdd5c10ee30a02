// FaultNames keeps its answers by node and time (the end-of-run analyses ask again for the same
// losses): an answer given while the fired list was shorter must not hide a fault fired since.

import { describe, expect, it } from 'vitest';
import type { Fault } from '../../../src/faults/fault.ts';
import type { FaultData } from '../../../src/faults/fault-actions.ts';
import { FaultNames } from './fault-names.ts';

const azOf = (node: string) => ({ b1: 'az1', b2: 'az2' })[node];

describe('FaultNames', () => {
  it('names the faults that hit a node or its AZ at a time, again the same when asked again', () => {
    const planned: Fault[] = [
      { atMs: 1000, kind: 'power-loss', node: 'b1', durationMs: 2000 },
      { atMs: 1000, kind: 'az-outage', az: 'az2', durationMs: 2000 },
    ];
    const names = new FaultNames(planned, azOf);
    expect(names.hitting('b1', 1_500_000)).toEqual(['power-loss of b1 at 1.000s']);
    expect(names.named([{ node: 'b2', timeUs: 1_500_000 }, { node: 'b1', timeUs: 1_500_000 }])).toBe(' (az-outage of az2 at 1.000s; power-loss of b1 at 1.000s)');
    expect(names.hitting('b1', 1_500_000)).toEqual(['power-loss of b1 at 1.000s']);
    expect(names.hitting('b1', 5_000_000)).toEqual([]);
  });

  it('asks the fired faults afresh once more have fired', () => {
    const fired: FaultData[] = [{ atMs: 1000, kind: 'crash', node: 'b2', durationMs: 2000 } as FaultData];
    const names = new FaultNames([], azOf, fired);
    expect(names.hitting('b1', 1_500_000)).toEqual([]);
    fired.push({ atMs: 1200, kind: 'power-loss', node: 'b1', durationMs: 2000 } as FaultData);
    expect(names.hitting('b1', 1_500_000)).toEqual(['power-loss of b1 at 1.200s']);
  });
});
