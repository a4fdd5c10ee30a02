// Schedule mutations: every kind happens, mutants stay inside the fault window and the fault
// count, come sorted by time, leave the parent as it was, and are the same for the same seed.
import { describe, expect, it } from 'vitest';
import type { Fault } from '../faults/fault.ts';
import { SeededChoices } from '../sim/seeded-choices.ts';
import { mutateSchedule, MUTATIONS, type Mutation } from './schedule-mutation.ts';
import { shrinkCandidates } from './schedule-shrink.ts';

const parent: Fault[] = [
  { atMs: 1000, kind: 'crash', node: 'b1', durationMs: 2000 },
  { atMs: 5000, kind: 'partition', groups: [['b1'], ['b2', 'b3']], durationMs: 3000 },
];
const donor: Fault[] = [
  { atMs: 300, kind: 'crash', node: 'b3', durationMs: 700 },
  { atMs: 9000, kind: 'pause', node: 'b2', durationMs: 4000 },
];
const space = { windowMs: 12_000, faultsMax: 3, durationsMs: [1500, 6500, 30_000] };

describe('mutateSchedule', () => {
  it('makes every kind of mutant, each inside the window and the fault count, sorted, parent untouched', () => {
    const choice = new SeededChoices('m').stream('x');
    const before = JSON.stringify(parent);
    const seen = new Set<Mutation>();
    for (let i = 0; i < 200; i++) {
      const { faults, mutation } = mutateSchedule(parent, donor, space, choice);
      seen.add(mutation);
      expect(faults.length).toBeLessThanOrEqual(space.faultsMax);
      for (const f of faults) {
        expect(f.atMs).toBeGreaterThanOrEqual(0);
        expect(f.atMs + (f as { durationMs: number }).durationMs).toBeLessThanOrEqual(space.windowMs);
      }
      expect(faults.map((f) => f.atMs)).toEqual([...faults.map((f) => f.atMs)].sort((a, b) => a - b));
      if (mutation === 'add') expect(faults).toHaveLength(3);
      if (mutation === 'retarget') expect(faults.some((f) => f.kind === 'crash' && (f as { node: string }).node === 'b3')).toBe(true);
    }
    expect([...seen].sort()).toEqual([...MUTATIONS].sort());
    expect(JSON.stringify(parent)).toBe(before);
  });

  it('is the same for the same seed, and adds to an empty schedule', () => {
    const a = mutateSchedule(parent, donor, space, new SeededChoices('s').stream('x'));
    const b = mutateSchedule(parent, donor, space, new SeededChoices('s').stream('x'));
    expect(a).toEqual(b);
    expect(mutateSchedule([], donor, space, new SeededChoices('s').stream('x')).mutation).toBe('add');
  });

  it('retargets only to a fault of the same kind aimed elsewhere; with none it shifts', () => {
    const sameTargets: Fault[] = [{ atMs: 50, kind: 'crash', node: 'b1', durationMs: 10 }];
    for (let i = 0; i < 50; i++) {
      const { faults, mutation } = mutateSchedule([parent[0]], sameTargets, { ...space, faultsMax: 1 }, new SeededChoices(`r${i}`).stream('x'));
      expect(mutation).not.toBe('retarget');
      expect(mutation).not.toBe('add');
      expect(faults).toHaveLength(1);
    }
  });
});

describe('shrinkCandidates', () => {
  it('drops each fault, then halves each duration, then halves each start', () => {
    const c = { settings: [], runSeed: '1', faults: parent, operations: [] };
    const out = shrinkCandidates(c).map((x) => x.faults);
    expect(out.slice(0, 2)).toEqual([[parent[1]], [parent[0]]]);
    expect(out[2][0]).toMatchObject({ atMs: 1000, durationMs: 1000 });
    expect(out[3][1]).toMatchObject({ atMs: 5000, durationMs: 1500 });
    expect(out[4][0]).toMatchObject({ atMs: 500, kind: 'crash' });
    expect(out[5][1]).toMatchObject({ atMs: 2500, kind: 'partition' });
    expect(out).toHaveLength(6);
    expect(shrinkCandidates({ settings: [], runSeed: '1', faults: [], operations: [] })).toEqual([]);
  });

  it('drops each operation first, a consumer-close with the consumer-start that ends it', () => {
    const operations = [
      { atMs: 100, kind: 'consumer-close', member: 'g-1' },
      { atMs: 300, kind: 'preferred-leader-election' },
      { atMs: 1500, kind: 'consumer-start', member: 'g-1' },
    ];
    const out = shrinkCandidates({ settings: [], runSeed: '1', faults: [], operations });
    expect(out.map((x) => x.operations.map((op) => op.kind))).toEqual([['preferred-leader-election'], ['consumer-close', 'consumer-start']]);
  });
});
