import { describe, expect, it } from 'vitest';
import { cellVerdict } from './cell-figures.ts';

const run = (seed: string, counts: Partial<Record<'breach' | 'configuration' | 'version' | 'fault-load', number>>) => ({
  seed,
  traceHash: `h${seed}`,
  violationsByClass: { breach: 0, configuration: 0, version: 0, 'fault-load': 0, ...counts },
});

describe('the verdict rule over a sweep cell', () => {
  const runs = [run('1', {}), run('2', { 'fault-load': 2 }), run('3', { configuration: 1, 'fault-load': 1 }), run('4', { breach: 1 })];

  it('counts the runs a --fail-on fails, and the runs with violations of each class', () => {
    expect(cellVerdict(runs, ['breach', 'configuration'])).toEqual({
      failOn: ['breach', 'configuration'],
      runsFailed: 2,
      runsByClass: { breach: 1, configuration: 1, version: 0, 'fault-load': 2 },
    });
    expect(cellVerdict(runs, ['fault-load']).runsFailed).toBe(2);
    expect(cellVerdict(runs, []).runsFailed).toBe(0);
  });

  it('counts runs that could not judge a property apart: neither failed nor passed', () => {
    const unjudged = [{ ...run('1', {}), notJudged: ['liveness-after-heal'] }, { ...run('2', { breach: 1 }), notJudged: ['liveness-after-heal'] }, run('3', {})];
    expect(cellVerdict(unjudged, ['breach', 'configuration'])).toEqual({
      failOn: ['breach', 'configuration'],
      runsFailed: 1,
      runsByClass: { breach: 1, configuration: 0, version: 0, 'fault-load': 0 },
      runsNotJudged: { 'liveness-after-heal': 2 },
    });
    expect(cellVerdict(runs, ['breach']).runsNotJudged).toBeUndefined();
  });

  it('leaves out runs persisted before the classes were kept', () => {
    expect(cellVerdict([{ seed: '1', traceHash: 'h' }], ['breach']).runsFailed).toBe(0);
  });
});
