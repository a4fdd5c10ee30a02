// A compacted topic takes keyed records only (Kafka's LogValidator: "Compacted topic cannot accept
// message without key"): a scenario whose producer sends null keys there is refused, naming the
// producer's field, rather than run with acknowledgements Kafka would never give.

import { describe, expect, it } from 'vitest';
import { resolveScenario } from '../../../src/scenario/resolve-scenario.ts';
import { MODELS } from '../../index.ts';
import { refusal } from '../testing/scenario-run.ts';

const scenario = (policy: string, producer: Record<string, unknown>) => ({
  model: 'kafka',
  durationMs: 10000,
  topics: [{ name: 't', partitions: 3, config: { 'cleanup.policy': policy } }],
  producers: [{ name: 'p1', az: 'use1-az1', topic: 't', ratePerSec: 10, ...producer }],
});

describe('null keys on a compacted topic', () => {
  it('refuses a producer of null keys, naming producers[i].keys', () => {
    expect(refusal(scenario('compact', { keys: 0 }))).toMatch(/^invalid scenario: "producers\[0\]\.keys": producer "p1" sends records without a key to "t", a compacted topic/);
  });

  it('refuses a scripted send without a key, naming producers[i].sends', () => {
    expect(refusal(scenario('compact', { keys: 5, ratePerSec: 0, sends: [{ atMs: 10, key: 'a' }, { atMs: 20 }] }))).toMatch(/^invalid scenario: "producers\[0\]\.sends"/);
  });

  it('accepts keyed producers on a compacted topic and null keys on a delete-policy one (decoys)', () => {
    expect(() => resolveScenario(scenario('compact', { keys: 5 }), MODELS)).not.toThrow();
    expect(() => resolveScenario(scenario('delete', { keys: 0 }), MODELS)).not.toThrow();
  });
});
