// The keys a misspelt one was probably meant to be: typos by edit distance, nearest first; a
// fragment only when nothing is a typo of it; nothing for a different word.
import { describe, expect, it } from 'vitest';
import { closestKeys, didYouMean, didYouMeanOneOf } from './closest-name.ts';

const keys = ['durationMs', 'acks', 'broker.rack', 'retry.backoff.ms', 'latencyUsMean', 'latencyUsMin', 'latencyUsMax', 'min.insync.replicas', 'linger.ms'];

describe('closestKeys', () => {
  it('typos nearest first, at most three, ties in the given order', () => {
    expect(closestKeys('durationMss', keys)).toEqual(['durationMs']);
    expect(closestKeys('latencyUsMeen', keys)).toEqual(['latencyUsMean', 'latencyUsMin', 'latencyUsMax']);
    expect(closestKeys('latencyUsMeen', keys, 1)).toEqual(['latencyUsMean']);
  });

  it('a fragment only when nothing is a typo of it: "ack" is acks, not broker.rack', () => {
    expect(closestKeys('ack', keys)).toEqual(['acks']);
    expect(closestKeys('insync', keys)).toEqual(['min.insync.replicas']);
  });

  it('a key the input begins beats a typo two edits away: "rate" is ratePerSec, not name', () => {
    const fields = ['name', 'az', 'topic', 'ratePerSec', 'config'];
    expect(closestKeys('rate', fields)).toEqual(['ratePerSec', 'name']);
    expect(didYouMean('rate', fields)).toBe(' (did you mean "ratePerSec"?)');
    expect(closestKeys('nme', fields)).toEqual(['name']); // one edit away still wins
  });

  it('nothing for a different word or an input too long to be a typo', () => {
    expect(closestKeys('qqqq', keys)).toEqual([]);
    expect(closestKeys('x'.repeat(201), ['x'.repeat(201)])).toEqual([]);
  });

  it('says one or several', () => {
    expect(didYouMeanOneOf('durationMss', keys)).toBe(' (did you mean "durationMs"?)');
    expect(didYouMeanOneOf('latencyUsMeen', keys)).toBe(' (did you mean "latencyUsMean", "latencyUsMin" or "latencyUsMax"?)');
    expect(didYouMeanOneOf('qqqq', keys)).toBe('');
  });
});
