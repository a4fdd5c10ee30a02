// A scenario field made invalid by a `--set` is refused naming the flag first (and the field it
// wrote), so the user fixes the command line, not a scenario file they never wrote; a field the
// scenario itself got wrong keeps the scenario's message, whatever other flags were given.

import { describe, expect, it } from 'vitest';
import { refusal } from '../testing/scenario-run.ts';

const scenario = () => ({
  model: 'kafka',
  durationMs: 10000,
  topics: [{ name: 't', partitions: 3 }],
  producers: [{ name: 'p1', az: 'use1-az1', topic: 't', ratePerSec: 10, keys: 5, config: { acks: 'all' } }],
  consumerGroups: [{ 'group.id': 'g', topics: ['t'], members: 2 }],
});

describe('an invalid value written by --set', () => {
  it('names the cluster-wide flag and the field it wrote', () => {
    expect(refusal(scenario(), ['acks=7'])).toBe(`--set acks=7: "config.acks": acks must be 0, 1, -1 or "all", got 7`);
  });

  it('names a flag addressed to one producer', () => {
    expect(refusal(scenario(), ['producers.p1.acks=9'])).toBe(`--set producers.p1.acks=9: "producers[0].config.acks": acks must be 0, 1, -1 or "all", got 9`);
  });

  it('names the flag that made a field it did not write invalid, or every flag when none does alone', () => {
    expect(refusal(scenario(), ['cluster.brokers=2'])).toMatch(/^--set cluster\.brokers=2: "default\.replication\.factor \(the msk preset's default\)": replication factor 3 for topic "t" is more than the 2 brokers/);
    expect(refusal(scenario(), ['acks=1', 'cluster.brokers=2'])).toMatch(/^--set cluster\.brokers=2: "default\.replication\.factor/);
    // each fits alone; together the run would not fit in memory
    expect(refusal(scenario(), ['durationMs=3600000', 'producers.p1.ratePerSec=50000'])).toMatch(
      /^--set durationMs=3600000 --set producers\.p1\.ratePerSec=50000: "limits\.memoryMb": the run would need about/,
    );
    // a scenario wrong without any flag keeps its own error
    expect(refusal({ ...scenario(), topics: [{ name: 't', partitions: 3, 'replication.factor': 9 }] }, ['acks=1'])).toMatch(/^invalid scenario: "topics\[0\]\.replication\.factor"/);
  });

  it('blames the broker count, not a cluster-wide key that ends like the topic field it did not write (decoy)', () => {
    const explicit = { ...scenario(), topics: [{ name: 't', partitions: 3, 'replication.factor': 3 }] };
    expect(refusal(explicit, ['cluster.brokers=2', 'default.replication.factor=3'])).toMatch(/^--set cluster\.brokers=2: "topics\[0\]\.replication\.factor": replication factor 3/);
    expect(refusal(explicit, ['default.replication.factor=3', 'cluster.brokers=2'])).toMatch(/^--set cluster\.brokers=2: /);
  });

  it('names a scenario-field flag', () => {
    expect(refusal(scenario(), ['durationMs=-5'])).toMatch(/^--set durationMs=-5: "durationMs" must be more than 0/);
  });

  it('names a flag that wrote a whole list or object holding the bad field', () => {
    expect(refusal(scenario(), ['faults=[{"atMs":-1,"kind":"crash","node":"b1","durationMs":100}]'])).toMatch(/^--set faults=\[.*\]: "faults\[0\]\.atMs"/);
    expect(refusal(scenario(), ['network={"lossRate":2}'])).toMatch(/^--set network=\{"lossRate":2\}: "network\.lossRate"/);
  });

  it("names a flag addressed to one topic's field, replication.factor included", () => {
    expect(refusal(scenario(), ['topics.t.replication.factor=9'])).toMatch(/^--set topics\.t\.replication\.factor=9: "topics\[0\]\.replication\.factor": replication factor 9 for topic "t" is more than the \d+ brokers/);
  });

  it('names the flag that gave every member one group.instance.id, with the per-member --set form', () => {
    expect(refusal(scenario(), ['group.instance.id=x'])).toMatch(
      /^--set group\.instance\.id=x: "config\.group\.instance\.id": "x" is every member's group\.instance\.id here.*or one --set groups\.g\.members\.g-1\.group\.instance\.id=\.\.\. per member/,
    );
  });

  it('leaves an error of the scenario itself to the scenario, though other flags were given (decoy)', () => {
    const bad = scenario();
    bad.producers[0].config.acks = 'most';
    expect(refusal(bad, ['group.instance.id=x', 'producers.p1.linger.ms=3'])).toMatch(/^invalid scenario: "producers\[0\]\.config\.acks": /);
    const shared = { ...scenario(), config: { 'group.instance.id': 's' } };
    expect(refusal(shared, ['acks=1', 'session.timeout.ms=10000'])).toMatch(/^invalid scenario: "config\.group\.instance\.id": /);
  });
});
