// MetadataBackoff per version: constant retry.backoff.ms before 3.7 (no jitter drawn), KIP-580's
// growth from 3.7 on responses that bring no newer leader epoch and on failed requests, and
// KAFKA-8933 (2.5): before it a failed request does not back off.
import { describe, expect, it } from 'vitest';
import type { Choice } from '../../../src/sim/choice.ts';
import { SeededChoices } from '../../../src/sim/seeded-choices.ts';
import { MetadataBackoff } from './metadata-backoff.ts';

const MAX_AGE_MS = 300_000;
const noDraws: Choice = {
  below: () => {
    throw new Error('drew');
  },
  unit: () => {
    throw new Error('drew');
  },
};
const constant = (failedRequestBacksOff = true) => new MetadataBackoff({ 'retry.backoff.ms': 100, 'retry.backoff.max.ms': 100, 'metadata.max.age.ms': MAX_AGE_MS }, failedRequestBacksOff, noDraws);
const kip580 = (seed = '1') => new MetadataBackoff({ 'retry.backoff.ms': 100, 'retry.backoff.max.ms': 1000, 'metadata.max.age.ms': MAX_AGE_MS }, true, new SeededChoices(seed).stream('test'));

/** The waits (ms) after n responses in a row, each at the earliest time allowed, none with a newer epoch after the first. */
function waitsAfterEquivalentResponses(backoff: MetadataBackoff, n: number): number[] {
  let nowUs = 0;
  backoff.onResponse(nowUs, true);
  const waits: number[] = [];
  for (let i = 0; i < n; i++) {
    const allowedUs = backoff.allowedAt(nowUs);
    waits.push((allowedUs - nowUs) / 1000);
    nowUs = allowedUs;
    backoff.onResponse(nowUs, false);
  }
  return waits;
}

describe('MetadataBackoff', () => {
  it('before 3.7: retry.backoff.ms after every response, however many bring nothing new, and no jitter drawn', () => {
    const backoff = constant();
    expect(backoff.allowedAt(0)).toBe(-Infinity); // the first request goes at once
    expect(waitsAfterEquivalentResponses(backoff, 6)).toEqual([100, 100, 100, 100, 100, 100]);
  });

  it('3.7 (KIP-580): responses without a newer epoch double the wait, with 20% jitter, up to retry.backoff.max.ms', () => {
    for (const seed of ['1', '2', '3']) {
      const waits = waitsAfterEquivalentResponses(kip580(seed), 7);
      const bounds = [[80, 120], [80, 120], [160, 240], [320, 480], [640, 960], [800, 1000], [800, 1000]];
      waits.forEach((w, i) => {
        expect(w, `seed ${seed} wait ${i}`).toBeGreaterThanOrEqual(bounds[i][0]);
        expect(w, `seed ${seed} wait ${i}`).toBeLessThanOrEqual(bounds[i][1]);
      });
    }
  });

  it('3.7: a response with a newer leader epoch, or a refresh due to metadata.max.age.ms, starts again from retry.backoff.ms', () => {
    const backoff = kip580();
    waitsAfterEquivalentResponses(backoff, 5);
    const t = 10_000_000;
    backoff.onResponse(t, false);
    expect(backoff.allowedAt(t) - t).toBeGreaterThanOrEqual(640_000);
    backoff.onResponse(t, true);
    expect(backoff.allowedAt(t) - t).toBeLessThanOrEqual(120_000);
    backoff.onResponse(t, false);
    backoff.onResponse(t, false);
    backoff.onResponse(t, false);
    expect(backoff.allowedAt(t) - t).toBeGreaterThanOrEqual(320_000);
    // past metadata.max.age.ms since the last response: the periodic refresh is not held back
    expect(backoff.allowedAt(t + MAX_AGE_MS * 1000)).toBeLessThanOrEqual(t + 120_000);
  });

  it('3.7: failed requests in a row double the wait too; a response resets them', () => {
    const backoff = kip580();
    const waits: number[] = [];
    let nowUs = 0;
    for (let i = 0; i < 5; i++) {
      backoff.onFailedRequest(nowUs);
      const allowedUs = backoff.allowedAt(nowUs);
      waits.push((allowedUs - nowUs) / 1000);
      nowUs = allowedUs;
    }
    expect(waits[0]).toBeLessThanOrEqual(120);
    expect(waits[4]).toBeGreaterThanOrEqual(800);
    backoff.onResponse(nowUs, true);
    expect(backoff.allowedAt(nowUs) - nowUs).toBeLessThanOrEqual(120_000);
  });

  it('KAFKA-8933 (2.5): a failed request backs off; before it, the next request goes when the last response allows', () => {
    const from25 = constant(true);
    from25.onResponse(0, true);
    from25.onFailedRequest(500_000);
    expect(from25.allowedAt(500_000)).toBe(600_000);
    const before25 = constant(false);
    before25.onResponse(0, true);
    before25.onFailedRequest(500_000);
    expect(before25.allowedAt(500_000)).toBe(100_000);
  });
});
