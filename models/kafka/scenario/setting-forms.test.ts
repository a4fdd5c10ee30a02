// `--set` forms a Kafka user reaches for that the scenario states another way: a field of the
// string-form storage, Kafka's hours/minutes time keys, a JSON value with a typo, a required field
// left out of a list item. Each is applied or refused with the fix in one line.

import { describe, expect, it } from 'vitest';
import { resolveScenario } from '../../../src/scenario/resolve-scenario.ts';
import { kafkaDefinition } from '../kafka-definition.ts';
import { refusal } from '../testing/scenario-run.ts';
import type { KafkaScenarioInput } from './kafka-scenario-schema.ts';

const scenario = (storage: unknown = 'ebs') => ({
  model: 'kafka',
  durationMs: 10000,
  cluster: { brokers: 3, storage },
  topics: [{ name: 't', partitions: 3 }],
  producers: [{ name: 'p1', az: 'use1-az1', topic: 't', ratePerSec: 10, keys: 5 }],
});

const storageOf = (raw: Record<string, unknown>, settings: string[]) =>
  (resolveScenario(raw, [kafkaDefinition], { settings }).scenario as unknown as KafkaScenarioInput).cluster?.storage;

describe('--set cluster.storage.<field>', () => {
  it('sets one field over the string form, keeping its type', () => {
    expect(storageOf(scenario('instance-store'), ['cluster.storage.fsyncMs=5'])).toMatchObject({ type: 'instance-store', fsyncMs: 5 });
  });

  it('sets one field over the object form as before (decoy: the other fields stay)', () => {
    expect(storageOf(scenario({ type: 'ebs', dirtyExpireMs: 1000 }), ['cluster.storage.fsyncMs=5'])).toMatchObject({ type: 'ebs', dirtyExpireMs: 1000, fsyncMs: 5 });
  });

  it('sets the type over an object form and keeps its fields, so flag order does not matter (a --grid over both)', () => {
    for (const settings of [
      ['cluster.storage.fsyncMs=5', 'cluster.storage=instance-store'],
      ['cluster.storage=instance-store', 'cluster.storage.fsyncMs=5'],
    ])
      expect(storageOf(scenario('ebs'), settings)).toMatchObject({ type: 'instance-store', fsyncMs: 5 });
    // decoy: a string over a string is the string form (the type's own fsync time)
    expect(storageOf(scenario('ebs'), ['cluster.storage=instance-store'])).toMatchObject({ type: 'instance-store', fsyncMs: 0.1 });
  });

  it('still refuses a misspelt field with the closest name', () => {
    expect(refusal(scenario(), ['cluster.storage.fsyncMz=5'])).toMatch(/unknown field "cluster\.storage\.fsyncMz" \(did you mean "fsyncMs"\?\)/);
  });
});

describe("Kafka's coarser time keys", () => {
  it('refuses log.retention.hours with the .ms key and the value converted', () => {
    expect(refusal(scenario(), ['log.retention.hours=5'])).toBe(
      `--set log.retention.hours: "log.retention.hours" is Kafka's hours form of log.retention.ms; ksim takes the .ms key only (in Kafka it wins over the coarser ones): write log.retention.ms=18000000`,
    );
  });

  it('says the same of a scenario config map, and a negative retention is unlimited (-1)', () => {
    expect(refusal({ ...scenario(), config: { 'log.retention.minutes': -5 } })).toMatch(/"config\.log\.retention\.minutes": .*write log\.retention\.ms=-1$/);
    expect(refusal({ ...scenario(), config: { 'log.roll.hours': 'soon' } })).toMatch(/write log\.roll\.ms \(hours x 3600000\)$/);
  });

  it('leaves unknown keys to the closest-name error (decoy)', () => {
    expect(refusal(scenario(), ['log.retention.weeks=5'])).toMatch(/unknown config key "log\.retention\.weeks"/);
  });
});

describe('a --set value meant as JSON', () => {
  it('says it is not valid JSON rather than only that a string came', () => {
    expect(refusal(scenario(), ['producers=[{"name":"p1"}'])).toMatch(/^--set producers=.*: "producers": expected array, received string; the value is not valid JSON \(.+\): check its brackets/);
    expect(refusal(scenario(), ['network={"lossRate":0.1'])).toMatch(/"network": expected object, received string; the value is not valid JSON/);
  });

  it('a plain word where a list goes gets the type fix (decoy)', () => {
    expect(refusal(scenario(), ['producers=none'])).toMatch(/"producers": expected array, received string; give a JSON array$/);
  });

  it('a field left out of a list item is required, not "received undefined"', () => {
    expect(refusal(scenario(), ['consumerGroups=[{"group.id":"g","topics":["t"]}]'])).toMatch(/"consumerGroups\[0\]\.members" is required: give a JSON number or array$/);
  });
});
