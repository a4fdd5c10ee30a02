// The refusals of the upgrade operations: each mistake a one-line UserError naming the field.
import { describe, expect, it } from 'vitest';
import { resolveScenario } from '../../../src/scenario/resolve-scenario.ts';
import { MODELS } from '../../index.ts';
import { refusal, type Scenario } from '../testing/scenario-run.ts';

const accepted = (s: Scenario) => expect(() => resolveScenario(s, MODELS, { settings: [] })).not.toThrow();

const cluster = (over: Scenario): Scenario => ({
  name: 'upgrade-refusals',
  model: 'kafka',
  seed: '1',
  durationMs: 60000,
  preset: 'apache',
  kafkaVersion: '3.6',
  metadataMode: 'kraft',
  cluster: { brokers: 3, controllers: 1 },
  topics: [{ name: 't', partitions: 1, 'replication.factor': 3 }],
  ...over,
});

describe('upgrade: refused with the field named', () => {
  it('a downgrade, or the version the broker already runs', () => {
    expect(refusal(cluster({ operations: [{ atMs: 1000, kind: 'upgrade', broker: 'b1', to: '3.5' }] }))).toMatch(/operations\[0\]\.to.*3\.5 is not newer than 3\.6, which broker "b1" runs.*not downgrades/);
    expect(refusal(cluster({ operations: [{ atMs: 1000, kind: 'upgrade', broker: 'b1', to: '3.6' }] }))).toMatch(/operations\[0\]\.to.*not newer/);
    // named as a downgrade even where the older version could not run the cluster at all (MSK KRaft before 3.7)
    expect(refusal(cluster({ preset: 'msk', kafkaVersion: '3.7', operations: [{ atMs: 1000, kind: 'upgrade', to: '3.6' }] }))).toMatch(/operations\[0\]\.to.*3\.6 is not newer than 3\.7.*not downgrades/);
    // An earlier upgrade counts: b1 runs 3.7 from 1 s.
    const twice = [
      { atMs: 1000, kind: 'upgrade', broker: 'b1', to: '3.7' },
      { atMs: 30000, kind: 'upgrade', brokers: ['b2', 'b1'], to: '3.7' },
    ];
    expect(refusal(cluster({ operations: twice }))).toMatch(/operations\[1\]\.to.*3\.7 is not newer than 3\.7, which broker "b1" runs at 30000 ms/);
  });

  it('a version outside the table', () => {
    expect(refusal(cluster({ operations: [{ atMs: 1000, kind: 'upgrade', broker: 'b1', to: '5.0' }] }))).toMatch(/operations\[0\]\.to/);
  });

  it('a ZooKeeper cluster to 4.0: KRaft only, migrate first', () => {
    const zk = cluster({ kafkaVersion: '3.9', metadataMode: 'zookeeper', operations: [{ atMs: 1000, kind: 'upgrade', to: '4.0' }] });
    expect(refusal(zk)).toMatch(/operations\[0\]\.to.*Kafka 4\.0 cannot run this ZooKeeper-mode cluster: migrate the cluster to KRaft first \(KIP-866/);
  });

  it('a version MSK never offered, under the msk preset', () => {
    expect(refusal(cluster({ preset: 'msk', kafkaVersion: '2.8', metadataMode: 'zookeeper', operations: [{ atMs: 1000, kind: 'upgrade', to: '3.0' }] }))).toMatch(/operations\[0\]\.to.*MSK never offered Kafka 3\.0/);
  });

  it('an unknown broker, a broker twice, and broker with brokers', () => {
    expect(refusal(cluster({ operations: [{ atMs: 1000, kind: 'upgrade', broker: 'b9', to: '3.7' }] }))).toMatch(/operations\[0\]\.broker.*unknown broker "b9"/);
    expect(refusal(cluster({ operations: [{ atMs: 1000, kind: 'upgrade', brokers: ['b1', 'b1'], to: '3.7' }] }))).toMatch(/operations\[0\]\.brokers\[1\].*twice/);
    expect(refusal(cluster({ operations: [{ atMs: 1000, kind: 'upgrade', broker: 'b1', brokers: ['b2'], to: '3.7' }] }))).toMatch(/operations\[0\]\.brokers.*not both/);
  });
});

describe('the final step: refused with the field named', () => {
  const upgraded = { atMs: 1000, kind: 'upgrade', to: '3.7' };

  it('update-features before every broker runs the version, below the current level, or in ZooKeeper mode', () => {
    const early = [{ atMs: 1000, kind: 'upgrade', brokers: ['b1', 'b2'], to: '3.7' }, { atMs: 50000, kind: 'update-features', 'metadata.version': '3.7' }];
    expect(refusal(cluster({ operations: early }))).toMatch(/operations\[1\]\.metadata\.version.*broker "b3" runs Kafka 3\.6 at 50000 ms, which does not know metadata\.version 3\.7: upgrade every broker/);
    expect(refusal(cluster({ operations: [upgraded, { atMs: 50000, kind: 'update-features', 'metadata.version': '3.5' }] }))).toMatch(/operations\[1\]\.metadata\.version.*3\.5 is below 3\.6/);
    const zk = cluster({ kafkaVersion: '2.8', metadataMode: 'zookeeper', operations: [{ atMs: 1000, kind: 'update-features', 'metadata.version': '2.8' }] });
    expect(refusal(zk)).toMatch(/operations\[0\]\.metadata\.version.*ZooKeeper-mode cluster has no metadata\.version; raise inter\.broker\.protocol\.version with a "rolling-restart"/);
  });

  it('update-features before a rolling upgrade can have restarted every broker: each is down for its durationMs, after earlier rolling operations', () => {
    const rolling = { atMs: 1000, kind: 'upgrade', to: '3.7', durationMs: 10000 };
    const features = (atMs: number) => ({ atMs, kind: 'update-features', 'metadata.version': '3.7' });
    // b1 back at 11 s, b2 at 21 s, b3 at 31 s at the earliest
    expect(refusal(cluster({ operations: [rolling, features(5000)] }))).toMatch(
      /operations\[1\]\.metadata\.version.*brokers "b1", "b2", "b3" are still on older software at 5000 ms.*3\.7 before 31000 ms.*move this operation after the upgrade has finished/,
    );
    expect(refusal(cluster({ operations: [rolling, features(25000)] }))).toMatch(/broker "b3" is still on older software at 25000 ms.*31000 ms/);
    accepted(cluster({ operations: [rolling, features(31000)] }));
    // A rolling restart before it holds the upgrade back: three brokers down 20 s each, so the upgrade starts at 61 s.
    const restart = { atMs: 1000, kind: 'rolling-restart', durationMs: 20000 };
    expect(refusal(cluster({ durationMs: 120000, operations: [restart, rolling, features(80000)] }))).toMatch(/operations\[2\]\.metadata\.version.*before 91000 ms/);
    accepted(cluster({ durationMs: 120000, operations: [restart, rolling, features(91000)] }));
  });

  it('inter.broker.protocol.version in KRaft, or above what a broker runs', () => {
    const ibp = (version: string) => ({ atMs: 50000, kind: 'rolling-restart', durationMs: 1000, 'inter.broker.protocol.version': version });
    expect(refusal(cluster({ operations: [upgraded, ibp('3.7')] }))).toMatch(/operations\[1\]\.inter\.broker\.protocol\.version.*"update-features"/);
    const zk = (ops: object[]) => cluster({ kafkaVersion: '2.0', metadataMode: 'zookeeper', operations: ops });
    expect(refusal(zk([ibp('2.1')]))).toMatch(/operations\[0\]\.inter\.broker\.protocol\.version.*broker "b1" runs Kafka 2\.0 at 50000 ms, which does not know inter\.broker\.protocol\.version 2\.1/);
    expect(refusal(zk([{ atMs: 1000, kind: 'upgrade', to: '2.1' }, ibp('1.1')]))).toMatch(/operations\[1\]\.inter\.broker\.protocol\.version.*1\.1 is below 2\.0/);
  });
});
