// "Our MSK configuration loses nothing under an AZ outage", as a property suite: one pinned run of
// the outage, the same check over generated fault schedules, and the weaker setting we refuse,
// shown to lose writes. ksim runs are deterministic: a failure prints the command that repeats it.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { kafkaFaults, kafkaProperty, ksimMatchers, runScenario, scenario, type KsimMatchers } from 'ksim';

expect.extend(ksimMatchers);
declare module 'vitest' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface Assertion<T> extends KsimMatchers<void> {}
}

// Our production settings on the 3-AZ MSK preset (3 brokers, one per AZ; an AZ fails mid-run).
const ours = scenario('msk-3az-outage')
  .set('acks', 'all')
  .set('min.insync.replicas', 2)
  .set('unclean.leader.election.enable', false)
  .set('enable.idempotence', true)
  .build();

describe('our MSK config', () => {
  it('loses nothing and duplicates nothing when an AZ goes down', () => {
    const run = runScenario(ours, { seed: 1 });
    expect(run).toHold('lost-write');
    expect(run).toHold('duplicate');
    expect(run).toHold();
  }, 120_000);

  it('keeps every acknowledged write under generated fault schedules', () => {
    const small = scenario('check-small').set('acks', 'all').set('min.insync.replicas', 2).set('durationMs', 8000).build();
    fc.assert(
      fc.property(kafkaFaults(small, { faultsMax: 2 }), fc.integer({ min: 1, max: 1000 }), (faults, seed) => {
        const run = runScenario({ ...small, faults }, { seed });
        expect(run).toHold('lost-write');
      }),
      { numRuns: 5, seed: 7 },
    );
  }, 120_000);

  it('model-checks like ksim check: no lost write in generated runs', kafkaProperty('check-small', { runs: 5, seed: 1, settings: ['acks=all', 'min.insync.replicas=2'], properties: ['lost-write'] }), 120_000);

  it('acks=1 with unclean election, the setting we refuse, does lose writes', () => {
    const run = runScenario('unclean-election');
    expect(run).toViolate('lost-write');
    expect(run.violations.find((v) => v.property === 'lost-write')!.verdictClass).toBe('configuration');
  }, 120_000);
});
