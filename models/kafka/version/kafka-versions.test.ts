// Versions by number: a scenario's kafkaVersion gives that release's protocol capabilities (the
// same fixes' releases the eras use), its Apache defaults where they changed (each value's source
// says "version <x>", and --set still wins), the metadata mode it ran, and refuses the modes it
// never had. The README holds the generated version table.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveScenario } from '../../../src/scenario/resolve-scenario.ts';
import { CONFIG_CATALOG } from '../config/config-catalog.ts';
import { configEntryIn } from '../config/config-catalog.ts';
import { kafkaDefinition } from '../kafka-definition.ts';
import { built, resolve, sourcesOf } from '../testing/resolved-config.ts';
import { atLeastVersion, CONFIG_DEFAULT_HISTORY, featuresOfVersion, KAFKA_VERSION_NAMES, kafkaVersionTable, protocolLabel, protocolOf, type KafkaVersion } from './kafka-versions.ts';
import { CAPABILITY_GATES, PROTOCOL_FEATURES } from './protocol-features.ts';
import { refusal as errorOf } from '../testing/scenario-run.ts';
import { MODELS, SCENARIO_PRESETS } from '../../index.ts';

const base = (extra: Record<string, unknown> = {}) => ({
  model: 'kafka',
  durationMs: 10000,
  topics: [{ name: 't', partitions: 1 }],
  producers: [{ name: 'p1', az: 'use1-az1', topic: 't', ratePerSec: 10, keys: 5 }],
  consumerGroups: [{ 'group.id': 'g', topics: ['t'], members: 1 }],
  ...extra,
});


describe('kafkaVersion: defaults', () => {
  it('2.4 under the apache preset: replica.lag.time.max.ms 10000, consumer session.timeout.ms 10000, acks 1, linger.ms 0, each from "version 2.4"', () => {
    const s = sourcesOf(base({ preset: 'apache', kafkaVersion: '2.4' }));
    expect(s.brokers['replica.lag.time.max.ms']).toEqual({ value: 10000, source: 'version 2.4' });
    expect(s.brokers['zookeeper.session.timeout.ms']).toEqual({ value: 6000, source: 'version 2.4' });
    expect(s.brokers['unclean.leader.election.enable']).toEqual({ value: false, source: 'default' });
    expect(s['consumers.g-1']['session.timeout.ms']).toEqual({ value: 10000, source: 'version 2.4' });
    expect(s['producers.p1'].acks).toEqual({ value: '1', source: 'version 2.4' });
    expect(s['producers.p1']['enable.idempotence']).toEqual({ value: false, source: 'version 2.4' });
    expect(s['producers.p1']['linger.ms']).toEqual({ value: 0, source: 'version 2.4' });
    expect(s['producers.p1'].retries).toEqual({ value: 2147483647, source: 'default' });
    const k = built(base({ preset: 'apache', kafkaVersion: '2.4' }));
    expect(k.brokerConfig['replica.lag.time.max.ms']).toBe(10000);
    expect(k.producers[0].config.acks).toBe('1');
    expect(k.consumerGroups![0].members[0].config['session.timeout.ms']).toBe(10000);
  });

  it('3.7: 30000 and 45000 (the catalog defaults, source "default"), acks all with idempotence, linger.ms still 0', () => {
    const s = sourcesOf(base({ preset: 'apache', kafkaVersion: '3.7' }));
    expect(s.brokers['replica.lag.time.max.ms']).toEqual({ value: 30000, source: 'default' });
    expect(s['consumers.g-1']['session.timeout.ms']).toEqual({ value: 45000, source: 'default' });
    expect(s['producers.p1'].acks).toEqual({ value: 'all', source: 'default' });
    expect(s['producers.p1']['enable.idempotence']).toEqual({ value: true, source: 'default' });
    expect(s['producers.p1']['linger.ms']).toEqual({ value: 0, source: 'version 3.7' });
  });

  it('0.10: unclean election on and retries 0; 3.0 and 3.1: acks all but idempotence off (KAFKA-13598); 3.2 on', () => {
    const old = sourcesOf(base({ preset: 'apache', kafkaVersion: '0.10' }));
    expect(old.brokers['unclean.leader.election.enable']).toEqual({ value: true, source: 'version 0.10' });
    expect(old['producers.p1'].retries).toEqual({ value: 0, source: 'version 0.10' });
    for (const v of ['3.0', '3.1']) {
      const p = sourcesOf(base({ preset: 'apache', kafkaVersion: v }))['producers.p1'];
      expect(p.acks.value, v).toBe('all');
      expect(p['enable.idempotence'], v).toEqual({ value: false, source: `version ${v}` });
    }
    expect(sourcesOf(base({ preset: 'apache', kafkaVersion: '3.2' }))['producers.p1']['enable.idempotence'].value).toBe(true);
  });

  it('the msk preset keeps MSK\'s own defaults over the version\'s; the scenario and --set win over both', () => {
    const msk = sourcesOf(base({ kafkaVersion: '2.4' }));
    expect(msk.brokers['unclean.leader.election.enable']).toEqual({ value: true, source: 'preset msk' });
    expect(msk['consumers.g-1']['session.timeout.ms']).toEqual({ value: 10000, source: 'version 2.4' });
    const set = sourcesOf(base({ preset: 'apache', kafkaVersion: '2.4', config: { acks: 'all' } }), ['replica.lag.time.max.ms=20000']);
    expect(set.brokers['replica.lag.time.max.ms']).toEqual({ value: 20000, source: '--set replica.lag.time.max.ms' });
    expect(set['producers.p1'].acks).toEqual({ value: 'all', source: 'scenario config.acks' });
    expect(built(base({ preset: 'apache', kafkaVersion: '2.4' }), ['replica.lag.time.max.ms=20000']).brokerConfig['replica.lag.time.max.ms']).toBe(20000);
  });

  it('without kafkaVersion nothing comes from a version (eras keep current defaults)', () => {
    const s = sourcesOf(base({ preset: 'apache', era: 'kip-101', metadataMode: 'zookeeper' }));
    expect(s['producers.p1']['linger.ms']).toEqual({ value: 5, source: 'default' });
    expect(s.brokers['replica.lag.time.max.ms']).toEqual({ value: 30000, source: 'default' });
  });

  it('each default history ends at the catalog default and starts at the oldest version', () => {
    for (const [scoped, steps] of Object.entries(CONFIG_DEFAULT_HISTORY)) {
      const [scope, key] = scoped.split(' ');
      const entry = configEntryIn(key, scope as 'broker');
      expect(entry, scoped).toBeDefined();
      expect(steps.at(-1)![1], scoped).toEqual(entry!.default);
      expect(steps[0][0], scoped).toBe(KAFKA_VERSION_NAMES[0]);
    }
    expect(CONFIG_CATALOG.length).toBeGreaterThan(0);
  });
});

describe('kafkaVersion: protocol', () => {
  it('maps each era onto its release: 0.10 = hw-truncation, 0.11 and 1.1 = kip-101, 2.0 = kip-279, 3.7-4.0 = current', () => {
    const capabilities = (f: object) => Object.entries(f).filter(([k]) => k !== 'summary' && k !== 'kafka');
    expect(capabilities(featuresOfVersion('0.10'))).toEqual(capabilities(PROTOCOL_FEATURES['hw-truncation']));
    expect(capabilities(featuresOfVersion('0.11'))).toEqual(capabilities(PROTOCOL_FEATURES['kip-101']));
    expect(capabilities(featuresOfVersion('1.1'))).toEqual(capabilities(PROTOCOL_FEATURES['kip-101']));
    expect(capabilities(featuresOfVersion('2.0'))).toEqual(capabilities(PROTOCOL_FEATURES['kip-279']));
    for (const v of ['3.7', '3.9', '4.0'] as const) expect(capabilities(featuresOfVersion(v)), v).toEqual(capabilities(PROTOCOL_FEATURES.current));
  });

  it('versions between eras have exactly the fixes released by then', () => {
    const f21 = featuresOfVersion('2.1');
    expect([f21.isrJoinNeedsLeaderEpochStart, f21.followerTruncatesAfterMissedEpoch, f21.fetchCarriesLeaderEpoch]).toEqual([true, true, true]);
    expect([f21.controllerDetectsBrokerBounce, f21.unknownProducerAcceptsAnySequence]).toEqual([false, false]);
    expect(featuresOfVersion('2.2').controllerDetectsBrokerBounce).toBe(true);
    expect(featuresOfVersion('2.4').unknownProducerAcceptsAnySequence).toBe(false);
    expect(featuresOfVersion('2.5').unknownProducerAcceptsAnySequence).toBe(true);
    expect(featuresOfVersion('3.4').alterPartitionCarriesBrokerEpochs).toBe(false);
    expect(featuresOfVersion('3.5').alterPartitionCarriesBrokerEpochs).toBe(true);
    expect(featuresOfVersion('3.6').hwWaitsForMinIsr).toBe(false);
  });

  it("KIP-320's client side came after the brokers' (2.1): clients' metadata refuses older leader epochs from 2.2 (KAFKA-7738), consumers validate positions from 2.3 (KAFKA-7440, KAFKA-7747)", () => {
    const clients = (v: KafkaVersion) => {
      const f = featuresOfVersion(v);
      return [f.fetchCarriesLeaderEpoch, f.metadataRefusesOlderLeaderEpochs, f.consumerValidatesPositions];
    };
    expect(clients('2.0')).toEqual([false, false, false]);
    expect(clients('2.1')).toEqual([true, false, false]);
    expect(clients('2.2')).toEqual([true, true, false]);
    expect(clients('2.3')).toEqual([true, true, true]);
    // The clients run the scenario's version: their own code decides, whatever the brokers' protocol level.
    expect([CAPABILITY_GATES.metadataRefusesOlderLeaderEpochs.gate, CAPABILITY_GATES.consumerValidatesPositions.gate]).toEqual(['software', 'software']);
    expect(CAPABILITY_GATES.fetchCarriesLeaderEpoch).toMatchObject({ gate: 'protocol', level: '2.1' });
  });

  it('the scenario runs its version\'s protocol, not its era, and verdicts name the version', () => {
    const k = built(base({ kafkaVersion: '2.1' }));
    expect(k.kafkaVersion).toBe('2.1');
    expect(protocolOf(k).controllerDetectsBrokerBounce).toBe(false);
    expect(protocolOf(k).fetchCarriesLeaderEpoch).toBe(true);
    expect(protocolLabel(k)).toBe('Kafka 2.1');
    const byEra = built(base({ era: 'kip-279' }));
    expect(byEra.kafkaVersion).toBeUndefined();
    expect(protocolLabel(byEra)).toBe('era kip-279');
  });

  it('--set kafkaVersion=3.0 (a JSON number) is version "3.0"; 0.1 is "0.10"', () => {
    expect(resolve(base({ preset: 'apache' }), ['kafkaVersion=3.0']).scenario.kafkaVersion).toBe('3.0');
    expect(resolve(base({ preset: 'apache' }), ['kafkaVersion=0.10']).scenario.kafkaVersion).toBe('0.10');
    expect(resolve(base(), ['kafkaVersion=2.8']).scenario.kafkaVersion).toBe('2.8');
    // Kept as typed: 2.10 is not read as the number 2.1, nor 4.10 as 4.1.
    expect(errorOf(base({ preset: 'apache' }), ['kafkaVersion=2.10'])).toMatch(/^--set kafkaVersion=2\.10: "kafkaVersion" must be one of /);
    expect(errorOf(base({ preset: 'apache' }), ['kafkaVersion=4.10'])).toMatch(/^--set kafkaVersion=4\.10: "kafkaVersion" must be one of /);
    expect(errorOf(base(), ['kafkaVersion=4.2'])).toMatch(/^--set kafkaVersion=4\.2: "kafkaVersion" must be one of "0.10", .*"4\.1"$/);
    // a patch release of a line ksim has: the line to use and the release it simulates
    expect(errorOf(base({ preset: 'apache', kafkaVersion: '2.0.1' }))).toBe(
      'invalid scenario: "kafkaVersion": ksim simulates one release of each line, named without its patch number: use "2.0" (Apache Kafka 2.0.0; ksim versions lists each line\'s release and MSK\'s)',
    );
    expect(errorOf(base({ kafkaVersion: '0.10.2' }))).toMatch(/use "0\.10" \(Apache Kafka 0\.10\.2;/);
    expect(errorOf(base({ kafkaVersion: '4.2.0' }))).toMatch(/^invalid scenario: "kafkaVersion" must be one of /);
  });
});

describe('kafkaVersion: metadata mode', () => {
  it('unstated, follows the version: ZooKeeper before 3.3 (before 3.7 under msk), KRaft after, KRaft only on 4.0; without a version, kraft', () => {
    const mode = (extra: Record<string, unknown>) => resolve(base(extra)).scenario.metadataMode;
    expect(mode({})).toBe('kraft');
    expect(mode({ kafkaVersion: '2.8' })).toBe('zookeeper');
    expect(mode({ kafkaVersion: '3.5' })).toBe('zookeeper');
    expect(mode({ kafkaVersion: '3.5', preset: 'apache' })).toBe('kraft');
    expect(mode({ kafkaVersion: '3.2', preset: 'apache' })).toBe('zookeeper');
    expect(mode({ kafkaVersion: '3.7' })).toBe('kraft');
    expect(mode({ kafkaVersion: '4.0' })).toBe('kraft');
    expect(mode({ kafkaVersion: '4.1' })).toBe('kraft'); // MSK 4.1.x (2025-10-15)
    expect(mode({ kafkaVersion: '3.9', metadataMode: 'zookeeper' })).toBe('zookeeper');
  });

  it('refuses modes the version never had in production, saying which', () => {
    expect(errorOf(base({ kafkaVersion: '4.0', metadataMode: 'zookeeper' }))).toBe(
      'invalid scenario: "metadataMode": "zookeeper" with kafkaVersion "4.0": Kafka 4.0 has no ZooKeeper mode (removed in 4.0); use metadataMode "kraft" or a kafkaVersion up to 3.9',
    );
    expect(errorOf(base({ kafkaVersion: '2.5', metadataMode: 'kraft' }))).toMatch(/Kafka 2\.5 has no KRaft mode \(KRaft first shipped, as early access, in 2\.8\)/);
    expect(errorOf(base({ kafkaVersion: '2.8', metadataMode: 'kraft', preset: 'apache' }))).toMatch(/KRaft in Kafka 2\.8 was early access, not for production \(production-ready from 3\.3, KIP-833\)/);
    expect(errorOf(base({ kafkaVersion: '3.1', metadataMode: 'kraft', preset: 'apache' }))).toMatch(/KRaft in Kafka 3\.1 was a preview/);
    expect(errorOf(base({ kafkaVersion: '3.5', metadataMode: 'kraft' }))).toMatch(/MSK offers KRaft clusters from 3\.7\.x only/);
    expect(errorOf(base({ metadataMode: 'zookeeper' }), ['kafkaVersion=4.0'])).toMatch(/"metadataMode": "zookeeper" with kafkaVersion "4\.0"/);
    expect(resolve(base({ kafkaVersion: '3.5', metadataMode: 'kraft', preset: 'apache' })).scenario.metadataMode).toBe('kraft');
  });

  it('an era before current stands for a ZooKeeper-only release: ZooKeeper unstated, KRaft refused naming the era; current and a stated kafkaVersion keep their own rules', () => {
    const mode = (extra: Record<string, unknown>) => resolve(base(extra)).scenario.metadataMode;
    for (const era of ['hw-truncation', 'kip-101', 'kip-279']) expect(mode({ era })).toBe('zookeeper');
    expect(mode({ era: 'current' })).toBe('kraft');
    expect(mode({ era: 'current', metadataMode: 'zookeeper' })).toBe('zookeeper');
    expect(errorOf(base({ era: 'kip-279', metadataMode: 'kraft' }))).toBe(
      'invalid scenario: "metadataMode": "kraft" with era "kip-279" (Kafka 2.0): Kafka 2.0 has no KRaft mode (KRaft first shipped, as early access, in 2.8); use metadataMode "zookeeper"',
    );
    expect(errorOf(base({ metadataMode: 'kraft' }), ['era=hw-truncation'])).toMatch(/^--set era=hw-truncation: "metadataMode": "kraft" with era "hw-truncation" \(Kafka 0\.10\)/);
    expect(errorOf(base({ kafkaVersion: '2.0', preset: 'msk' }))).toBe(
      'invalid scenario: "kafkaVersion": MSK never offered Kafka 2.0 (it offers 1.1, 2.1, 2.2, 2.3, 2.4, 2.5, 2.6, 2.7, 2.8, 3.1, 3.2, 3.3, 3.4, 3.5, 3.6, 3.7, 3.8, 3.9, 4.0, 4.1: see ksim versions); use one of those, or preset "apache" (--set preset=apache)',
    );
    expect(built(base({ kafkaVersion: '2.0', preset: 'apache' })).brokerConfig['zookeeper.session.timeout.ms']).toBe(6000);
    // An era keeps today's defaults: its release's 6 s ZooKeeper session is not implied.
    expect(built(base({ era: 'hw-truncation' })).brokerConfig['zookeeper.session.timeout.ms']).toBe(18000);
  });

  it('refuses an era beside a kafkaVersion: one of them would be ignored', () => {
    expect(errorOf(base({ era: 'kip-101', kafkaVersion: '3.7' }))).toBe(
      'invalid scenario: "era": "kip-101" and kafkaVersion "3.7" both choose the protocol; drop era (kafkaVersion decides it) or drop kafkaVersion',
    );
    expect(errorOf(base({ era: 'kip-279' }), ['kafkaVersion=2.1'])).toMatch(/^--set kafkaVersion=2\.1: "era": "kip-279" and kafkaVersion "2\.1" both choose/);
    expect(resolve(base({ era: 'current', kafkaVersion: '3.7' })).scenario.kafkaVersion).toBe('3.7');
  });
});

describe('kafkaVersion on a preset that states no metadataMode', () => {
  const presetMode = (name: string, settings: string[]) => {
    const r = resolveScenario(SCENARIO_PRESETS[name], MODELS, { settings });
    return { mode: r.scenario.metadataMode, notes: r.notes };
  };

  it('the default scenario under --set kafkaVersion=2.1 runs ZooKeeper and says why; 3.7 keeps KRaft; none and era current say nothing', () => {
    expect(presetMode('msk-3az-outage', ['kafkaVersion=2.1'])).toEqual({
      mode: 'zookeeper',
      notes: ['metadataMode "zookeeper", chosen by kafkaVersion "2.1": Kafka 2.1 has no KRaft mode; state metadataMode to choose'],
    });
    expect(presetMode('msk-3az-outage', ['kafkaVersion=3.5']).mode).toBe('zookeeper');
    expect(presetMode('msk-3az-outage', ['kafkaVersion=3.5']).notes[0]).toMatch(/MSK offers KRaft clusters from 3\.7\.x only/);
    expect(presetMode('msk-3az-outage', ['kafkaVersion=3.7'])).toEqual({
      mode: 'kraft',
      notes: ['metadataMode "kraft", chosen by kafkaVersion "3.7": Kafka 3.7 runs KRaft in production; state metadataMode to choose'],
    });
    expect(presetMode('apache-defaults', ['kafkaVersion=3.1']).mode).toBe('zookeeper');
    expect(presetMode('apache-defaults', ['era=kip-101']).notes).toEqual(['metadataMode "zookeeper", chosen by era "kip-101" (Kafka 0.11): Kafka 0.11 has no KRaft mode; state metadataMode to choose']);
    expect(presetMode('msk-3az-outage', [])).toEqual({ mode: 'kraft', notes: [] });
    expect(presetMode('msk-3az-outage', ['metadataMode=zookeeper', 'kafkaVersion=3.9'])).toEqual({ mode: 'zookeeper', notes: [] });
  });

  it('says when a KRaft controller before 3.9 ignores unclean.leader.election.enable=true (KAFKA-12670)', () => {
    const notes = (settings: string[]) => presetMode('msk-3az-outage', settings).notes.filter((n) => n.includes('unclean'));
    expect(notes(['kafkaVersion=3.8', 'metadataMode=kraft', 'unclean.leader.election.enable=true'])[0]).toMatch(
      /^unclean\.leader\.election\.enable=true has no effect here: the KRaft controller of Kafka 3\.8 ignores it \(it honours it from 3\.9, KAFKA-12670\)/,
    );
    expect(notes(['kafkaVersion=3.8', 'metadataMode=kraft', 'topics.orders.unclean.leader.election.enable=true'])).toHaveLength(1);
    expect(notes(['kafkaVersion=3.9', 'metadataMode=kraft', 'unclean.leader.election.enable=true'])).toEqual([]);
    expect(notes(['kafkaVersion=3.8', 'metadataMode=zookeeper', 'unclean.leader.election.enable=true'])).toEqual([]);
    expect(notes(['kafkaVersion=3.8', 'metadataMode=kraft'])).toEqual([]);
  });

  it('a mode the user states beside a version it cannot run is still refused, naming both fields and the fix', () => {
    expect(errorOf(SCENARIO_PRESETS['msk-3az-outage'], ['metadataMode=kraft', 'kafkaVersion=2.1'])).toBe(
      '--set metadataMode=kraft: "metadataMode": "kraft" with kafkaVersion "2.1": Kafka 2.1 has no KRaft mode (KRaft first shipped, as early access, in 2.8); use metadataMode "zookeeper"',
    );
  });
});

describe('the README', () => {
  it('holds the version table as kafka-versions.ts generates it', () => {
    const readme = readFileSync(join(import.meta.dirname, '..', '..', '..', 'README.md'), 'utf8');
    const table = kafkaVersionTable();
    expect(table.split('\n')).toHaveLength(2 + KAFKA_VERSION_NAMES.length);
    expect(table).toMatch(/\n\| 2\.4 \| 2\.4\.0 \| 2\.4\.1 \| ZooKeeper \| KIP-903, KIP-360, KAFKA-10554, KAFKA-15583 \(KIP-966\), KIP-966 \(ELR\) \| replica\.lag\.time\.max\.ms=10000, /);
    // a key the producer and consumer share is listed once; one only a scope's default changed names the scope
    const row = (v: string) => table.split('\n').find((l) => l.startsWith(`| ${v} |`))!;
    expect(row('1.1')).toContain(', consumer request.timeout.ms=305000');
    expect(row('1.1')).not.toMatch(/(\| |, )request\.timeout\.ms/);
    expect(row('2.6')).toMatch(/\| acks="1", enable\.idempotence=false, linger\.ms=0, /);
    expect(readme.includes(table), 'README version table stale: run npm run readme').toBe(true);
  });
});

describe('atLeastVersion', () => {
  it('follows the version it reads as an upgrade changes it', () => {
    const broker: { software: KafkaVersion } = { software: '1.0' };
    const keepsSessions = atLeastVersion(() => broker.software, '1.1');
    expect(keepsSessions()).toBe(false);
    broker.software = '2.0';
    expect(keepsSessions()).toBe(true);
    expect(keepsSessions()).toBe(true);
    broker.software = '0.11';
    expect(keepsSessions()).toBe(false);
  });
});
