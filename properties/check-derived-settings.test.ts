// A counterexample names the keys exploration left to Kafka's rules because they follow from a key
// the user fixed (derivedSettingsOf): with --set acks=all, enable.idempotence is not drawn, and on
// Kafka 2.1 it is off by that version's default, which is what permits the duplicates and reorders
// such a run finds. The report's settings line alone did not say so.
import { describe, expect, it } from 'vitest';
import { MODELS, SCENARIO_PRESETS } from '../models/index.ts';
import { derivedSettingsOf } from '../src/explore/check-runner.ts';

const noFaults = { settings: [], faults: [], operations: [], runSeed: '1' };
const opts = (settings: string[]) => ({ raw: SCENARIO_PRESETS['check-small'], models: MODELS, settings });

describe('derivedSettingsOf', () => {
  it('names enable.idempotence, with its value and source, when acks is fixed', () => {
    expect(derivedSettingsOf(opts(['acks=all', 'kafkaVersion=2.1']), noFaults)).toEqual(['enable.idempotence=false (version 2.1)']);
    expect(derivedSettingsOf(opts(['acks=all']), noFaults)).toEqual(['enable.idempotence=true (default)']);
    expect(derivedSettingsOf(opts(['acks=1']), noFaults)).toEqual([expect.stringMatching(/^enable\.idempotence=false \(implicit: KafkaProducer turns idempotence off/)]);
  });

  it('names nothing when no key it derives from is fixed, or the derived key itself is', () => {
    expect(derivedSettingsOf(opts(['kafkaVersion=2.1']), noFaults)).toEqual([]);
    expect(derivedSettingsOf(opts(['acks=all', 'enable.idempotence=true']), noFaults)).toEqual([]);
  });
});
