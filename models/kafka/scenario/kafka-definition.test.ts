// The Kafka scenario format end to end through resolveScenario: defaults, --set, presets, bad
// input (each error names its field) and the KafkaScenario that create() hands the model.

import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it, vi } from 'vitest';
import { Topology } from '../../../src/net/topology.ts';
import { resolveScenario } from '../../../src/scenario/resolve-scenario.ts';
import { SeededChoices } from '../../../src/sim/seeded-choices.ts';
import { buildKafkaScenario } from './build-kafka-scenario.ts';
import { kafkaDefinition } from '../kafka-definition.ts';
import type { KafkaScenarioInput } from './kafka-scenario-schema.ts';
import { FSYNC_MS_DEFAULTS, LINUX_WRITEBACK_DEFAULTS, type KafkaScenario } from './kafka-scenario.ts';
import { refusal as errorOf } from '../testing/scenario-run.ts';

const EBS_LINUX = { type: 'ebs', ...LINUX_WRITEBACK_DEFAULTS, fsyncMs: FSYNC_MS_DEFAULTS.ebs };

// The model itself is another module's business; here it only has to receive the scenario.
vi.mock('../kafka-model.ts', () => ({
  KafkaModel: class {
    constructor(
      readonly setup: unknown,
      readonly scenario: unknown,
    ) {}
  },
}));

const PRESETS_DIR = new URL('../presets/', import.meta.url);
const presetFiles = readdirSync(PRESETS_DIR).filter((f) => f.endsWith('.scenario.json'));
const loadPreset = (file: string) => JSON.parse(readFileSync(new URL(file, PRESETS_DIR), 'utf8')) as Record<string, unknown>;

const base = () => ({
  model: 'kafka',
  durationMs: 10000,
  topics: [{ name: 't', partitions: 3 }],
  producers: [{ name: 'p1', az: 'use1-az1', topic: 't', ratePerSec: 10, keys: 5 }],
});

const resolve = (raw: Record<string, unknown>, settings: string[] = []) => resolveScenario(raw, [kafkaDefinition], { settings });
const kafkaOf = (raw: Record<string, unknown>, settings: string[] = [], seed = '1'): KafkaScenario => {
  const { scenario } = resolve(raw, settings);
  return buildKafkaScenario(scenario as unknown as KafkaScenarioInput, new SeededChoices(seed).stream('kafka.assignment'));
};

describe('defaults', () => {
  it('fills in an MSK-like cluster', () => {
    const { scenario, topology } = resolve(base());
    expect(scenario.preset).toBe('msk');
    expect(scenario.era).toBe('current');
    expect(scenario.metadataMode).toBe('kraft');
    expect(scenario.cluster).toEqual({
      brokers: [
        { name: 'b1', id: 1, az: 'use1-az1', storage: EBS_LINUX },
        { name: 'b2', id: 2, az: 'use1-az2', storage: EBS_LINUX },
        { name: 'b3', id: 3, az: 'use1-az4', storage: EBS_LINUX },
      ],
      azs: ['use1-az1', 'use1-az2', 'use1-az4'],
      storage: EBS_LINUX,
      controllers: [
        { name: 'c1', az: 'use1-az1' },
        { name: 'c2', az: 'use1-az2' },
        { name: 'c3', az: 'use1-az4' },
      ],
      'broker.rack': 'az',
    });
    expect(topology.names).toEqual(['b1', 'b2', 'b3', 'c1', 'c2', 'c3', 'p1']);
    expect(topology.azOf).toEqual(['use1-az1', 'use1-az2', 'use1-az4', 'use1-az1', 'use1-az2', 'use1-az4', 'use1-az1']);
  });

  it('resolves topics from the preset’s broker defaults and places replicas across AZs', () => {
    const k = kafkaOf(base());
    expect(k.topics[0].replicationFactor).toBe(3);
    expect(k.topics[0].config['min.insync.replicas']).toBe(2);
    expect(k.topics[0].config['unclean.leader.election.enable']).toBe(true);
    expect(k.brokers.map((b) => b.rack)).toEqual(['use1-az1', 'use1-az2', 'use1-az4']);
    for (const r of k.topics[0].replicas) expect(new Set(r.map((b) => k.brokers[b].az)).size).toBe(3);
    expect(k.producers[0].config.acks).toBe('all');
    expect(k.producers[0].config['enable.idempotence']).toBe(true);
  });

  it('with preset apache, takes Apache Kafka’s defaults', () => {
    const k = kafkaOf({ ...base(), preset: 'apache' });
    expect(k.topics[0].replicationFactor).toBe(1);
    expect(k.topics[0].config['min.insync.replicas']).toBe(1);
    expect(k.topics[0].config['unclean.leader.election.enable']).toBe(false);
    expect(k.brokerConfig['default.replication.factor']).toBe(1);
  });

  it('is deterministic for a seed', () => {
    const raw = { ...base(), cluster: { brokers: 6 }, topics: [{ name: 't', partitions: 12 }] };
    expect(kafkaOf(raw, [], '5')).toEqual(kafkaOf(raw, [], '5'));
  });
});

describe('cluster', () => {
  it('accepts an explicit broker list and derives the AZs from it', () => {
    const { scenario } = resolve({
      ...base(),
      cluster: {
        brokers: [
          { name: 'x', az: 'a' },
          { name: 'y', az: 'b', storage: 'instance-store' },
          { name: 'z', az: 'c' },
        ],
        controllers: 1,
      },
      producers: [{ name: 'p1', az: 'b', topic: 't', ratePerSec: 1 }],
    });
    const cluster = scenario.cluster as KafkaScenarioInput['cluster'];
    expect(cluster.azs).toEqual(['a', 'b', 'c']);
    expect(cluster.brokers[1]).toEqual({ name: 'y', id: 2, az: 'b', storage: { ...EBS_LINUX, type: 'instance-store', fsyncMs: 0.1 } });
    expect(cluster.controllers).toEqual([{ name: 'c1', az: 'a' }]);
  });

  it('takes the page cache writeback in cluster.storage, overridden per broker field by field', () => {
    const { scenario } = resolve({
      ...base(),
      cluster: {
        brokers: [
          { name: 'x', az: 'a' },
          { name: 'y', az: 'b', storage: 'instance-store' },
          { name: 'z', az: 'c', storage: { dirtyWritebackMs: 0 } },
          { name: 'w', az: 'c', storage: { type: 'instance-store', fsyncMs: 0.5 } },
        ],
        storage: { dirtyExpireMs: 10_000, fsyncMs: 3 },
      },
      producers: [{ name: 'p1', az: 'b', topic: 't', ratePerSec: 1 }],
    });
    const cluster = scenario.cluster as KafkaScenarioInput['cluster'];
    expect(cluster.storage).toEqual({ type: 'ebs', dirtyExpireMs: 10_000, dirtyWritebackMs: 5000, fsyncMs: 3 });
    // a broker that changes the type without fsyncMs takes the new type's
    expect(cluster.brokers.map((b) => b.storage)).toEqual([
      { type: 'ebs', dirtyExpireMs: 10_000, dirtyWritebackMs: 5000, fsyncMs: 3 },
      { type: 'instance-store', dirtyExpireMs: 10_000, dirtyWritebackMs: 5000, fsyncMs: 0.1 },
      { type: 'ebs', dirtyExpireMs: 10_000, dirtyWritebackMs: 0, fsyncMs: 3 },
      { type: 'instance-store', dirtyExpireMs: 10_000, dirtyWritebackMs: 5000, fsyncMs: 0.5 },
    ]);
    // A resolved scenario (a trace header) resolves to itself.
    const again = resolve({ ...base(), cluster: scenario.cluster, producers: [{ name: 'p1', az: 'b', topic: 't', ratePerSec: 1 }] });
    expect(again.scenario.cluster).toEqual(scenario.cluster);
    expect(kafkaOf({ ...base(), cluster: { storage: 'instance-store' } }).brokers[0].storage).toEqual({ ...EBS_LINUX, type: 'instance-store', fsyncMs: 0.1 });
  });

  it('names the field of a bad storage', () => {
    const forms = 'must be "ebs", "instance-store" or an object {"type", "dirtyExpireMs", "dirtyWritebackMs", "fsyncMs"}';
    expect(errorOf({ ...base(), cluster: { storage: 'ssd' } })).toBe(`invalid scenario: "cluster.storage": ${forms}`);
    expect(errorOf({ ...base(), cluster: { storage: 7 } })).toBe(`invalid scenario: "cluster.storage": ${forms}`);
    expect(errorOf({ ...base(), cluster: { storage: { type: 'ssd' } } })).toBe('invalid scenario: "cluster.storage.type" must be one of "ebs", "instance-store"');
    expect(errorOf({ ...base(), cluster: { storage: { dirtyExpireMs: -1 } } })).toContain('"cluster.storage.dirtyExpireMs"');
    expect(errorOf({ ...base(), cluster: { storage: { dirtyExpireCentisecs: 3000 } } })).toContain('unknown field "cluster.storage.dirtyExpireCentisecs"');
    // Inside the unions (a count or a list of brokers; a type or an object), the field meant is named.
    expect(errorOf({ ...base(), cluster: { brokers: [{ name: 'b1', az: 'use1-az1', storage: { dirtyWritebackMs: 0.5 } }] } })).toBe(
      'invalid scenario: "cluster.brokers[0].storage.dirtyWritebackMs" must be a whole number',
    );
    expect(errorOf({ ...base(), cluster: { brokers: [{ name: 'b1', az: 'use1-az1', storage: 'ssd' }] } })).toBe(
      `invalid scenario: "cluster.brokers[0].storage": ${forms}`,
    );
  });

  it('maps broker.rack aliases and leaves racks unset with none', () => {
    expect(kafkaOf({ ...base(), cluster: { 'broker.rack': 'naive' } }).brokers.every((b) => b.rack === null)).toBe(true);
    expect(kafkaOf({ ...base(), cluster: { 'broker.rack': 'aware' } }).brokers[0].rack).toBe('use1-az1');
  });

  it('names the field of a bad cluster', () => {
    expect(errorOf({ ...base(), cluster: { brokers: [{ name: 'b1', az: 'mars' }], azs: ['use1-az1'] } })).toBe(
      'invalid scenario: "cluster.brokers[0].az": unknown AZ "mars"; cluster.azs is "use1-az1"',
    );
    expect(errorOf({ ...base(), cluster: { 'broker.rack': 'yes' } })).toContain('"cluster.broker.rack" must be one of');
    expect(errorOf({ ...base(), cluster: { brokers: 0 } })).toContain('"cluster.brokers"');
    expect(errorOf({ ...base(), cluster: { azs: ['a', 'a'] } })).toContain('"cluster.azs[1]": duplicate AZ "a"');
    expect(
      errorOf({
        ...base(),
        cluster: {
          brokers: [
            { name: 'b1', az: 'use1-az1' },
            { name: 'b1', az: 'use1-az2' },
          ],
        },
      }),
    ).toContain('"cluster.brokers[1].name": duplicate node name "b1"');
    expect(errorOf({ ...base(), producers: [{ name: 'c1', az: 'use1-az1', topic: 't', ratePerSec: 1 }] })).toContain(
      '"producers[0].name": duplicate node name "c1" (also cluster.controllers[0].name)',
    );
  });
});

describe('config', () => {
  it('--set writes Kafka keys to the cluster config and broker.rack to the cluster', () => {
    const { scenario } = resolve(base(), ['acks=1', 'min.insync.replicas=1', 'broker.rack=none', 'era=kip-101', 'preset=apache']);
    expect(scenario.config).toEqual({ acks: '1', 'min.insync.replicas': 1 });
    expect((scenario.cluster as KafkaScenarioInput['cluster'])['broker.rack']).toBe('none');
    expect(scenario.era).toBe('kip-101');
    expect(scenario.preset).toBe('apache');
    const k = kafkaOf(base(), ['acks=all', 'unclean.leader.election.enable=false']);
    expect(k.producers[0].config.acks).toBe('all');
    expect(k.brokerConfig['unclean.leader.election.enable']).toBe(false);
  });

  it('a kafkaVersion decides the protocol: the resolved scenario shows no era, and resolves to itself', () => {
    const { scenario } = resolve(base(), ['kafkaVersion=2.1', 'preset=apache']);
    expect(scenario.kafkaVersion).toBe('2.1');
    expect(Object.hasOwn(scenario, 'era')).toBe(false);
    expect(resolve(JSON.parse(JSON.stringify(scenario))).scenario).toEqual(scenario);
    expect(resolve(base(), ['era=kip-101']).scenario.era).toBe('kip-101');
  });

  it('applySetting also takes the top-level keys it lists', () => {
    const raw: Record<string, unknown> = {};
    expect(kafkaDefinition.applySetting!(raw, 'era', 'kip-279')).toBe(true);
    expect(kafkaDefinition.applySetting!(raw, 'linger.ms', '0')).toBe(true);
    expect(raw).toEqual({ era: 'kip-279', config: { 'linger.ms': '0' } });
  });

  it('--set suggests the closest keys for an unknown one, scenario fields and Kafka keys alike, and where every key is listed', () => {
    const everyKey = `; the README's "Scenario format" lists every field and config key`;
    expect(errorOf(base(), ['min.insync.replica=2'])).toBe(`--set min.insync.replica: unknown config key "min.insync.replica" (did you mean "min.insync.replicas"?)${everyKey}`);
    // A scenario field misspelt: no list of every Kafka key, the field it was meant to be.
    expect(errorOf(base(), ['durationMss=1000'])).toBe(`--set durationMss: unknown config key "durationMss" (did you mean "durationMs"?)${everyKey}`);
    expect(errorOf(base(), ['consumerGroup=[]'])).toBe(`--set consumerGroup: unknown config key "consumerGroup" (did you mean "consumerGroups"?)${everyKey}`);
    expect(errorOf(base(), ['flush.messages=1'])).toContain('is the topic-level name; cluster-wide, use --set log.flush.interval.messages=');
    expect(errorOf(base(), ['qqqq=1'])).toBe(`--set qqqq: unknown config key "qqqq"${everyKey}`);
  });

  it('--set values are range-checked with the flag and the field named', () => {
    expect(errorOf(base(), ['min.insync.replicas=0'])).toBe(
      '--set min.insync.replicas=0: "config.min.insync.replicas": min.insync.replicas must be an integer from 1 to 2147483647 (Integer.MAX_VALUE), got 0',
    );
    expect(errorOf(base(), ['acks=2'])).toBe('--set acks=2: "config.acks": acks must be 0, 1, -1 or "all", got 2');
    // A near miss of a named value gets the value it is closest to.
    expect(errorOf(base(), ['acks=al'])).toBe('--set acks=al: "config.acks": acks must be 0, 1, -1 or "all", got "al" (did you mean "all"?)');
    expect(errorOf(base(), ['auto.offset.reset=lates'])).toMatch(/auto\.offset\.reset must be one of "earliest", "latest", "none", got "lates" \(did you mean "latest"\?\)$/);
  });

  it('points a config key written beside a producer\'s config into it', () => {
    const p = { ...base().producers[0], acks: 'all' };
    expect(errorOf({ ...base(), producers: [p] })).toMatch(/^invalid scenario: unknown field "producers\[0\]\.acks" \(a config key: move it into "producers\[0\]\.config"\);/);
    // Not a config key: the usual spelling hint.
    expect(errorOf({ ...base(), producers: [{ ...base().producers[0], topc: 't' }] })).toMatch(/unknown field "producers\[0\]\.topc" \(did you mean "topic"\?\)/);
    // A version setting stays text: log.message.format.version=0.10 is not the number 0.1.
    expect(kafkaOf(base(), ['kafkaVersion=2.1', 'preset=apache', 'log.message.format.version=0.10']).brokerConfig['log.message.format.version']).toBe('0.10');
  });

  it('names the field of bad topic and producer configs', () => {
    expect(errorOf({ ...base(), topics: [{ name: 't', config: { 'flush.mesages': 1 } }] })).toBe(
      'invalid scenario: "topics[0].config.flush.mesages": unknown topic config key "flush.mesages" (did you mean "flush.messages"?)',
    );
    const p = { ...base().producers[0], config: { 'linger.ms': -5 } };
    expect(errorOf({ ...base(), producers: [p] })).toContain('"producers[0].config.linger.ms": linger.ms must be an integer from 0');
  });

  it('applies topic and producer overrides over the cluster config', () => {
    const k = kafkaOf({
      ...base(),
      config: { acks: 1, 'min.insync.replicas': 1 },
      topics: [{ name: 't', partitions: 3, config: { 'min.insync.replicas': '2', 'flush.messages': 1 } }],
      producers: [{ ...base().producers[0], config: { acks: -1 } }],
    });
    expect(k.topics[0].config['min.insync.replicas']).toBe(2);
    expect(k.topics[0].config['log.flush.interval.messages']).toBe(1);
    expect(k.brokerConfig['min.insync.replicas']).toBe(1);
    expect(k.producers[0].config.acks).toBe('all');
  });

  it('--set is the last word: it replaces a value stated for one topic, producer, group or member', () => {
    const raw = {
      ...base(),
      topics: [{ name: 't', partitions: 3, config: { 'retention.ms': 5000, 'min.insync.replicas': 2 } }],
      producers: [{ ...base().producers[0], config: { acks: '1' } }],
      consumerGroups: [
        {
          'group.id': 'g',
          topics: ['t'],
          members: [{ name: 'm1', az: 'use1-az1', config: { 'max.poll.records': 7 } }, { name: 'm2', az: 'use1-az2' }],
          config: { 'max.poll.records': 500 },
        },
      ],
    };
    const k = kafkaOf(raw, ['max.poll.records=50', 'log.retention.ms=60000', 'acks=all']);
    expect(k.consumerGroups![0].members.map((m) => m.config['max.poll.records'])).toEqual([50, 50]);
    expect(k.topics[0].config['log.retention.ms']).toBe(60000);
    expect(k.topics[0].config['min.insync.replicas']).toBe(2); // not --set: the topic's own value stands
    expect(k.producers[0].config.acks).toBe('all');
    // ksim check leaves every key the scenario states anywhere as it is.
    expect(kafkaDefinition.exploration!.keysSetIn!(raw).sort()).toEqual(['acks', 'log.retention.ms', 'max.poll.records', 'min.insync.replicas']);
  });
});

describe('cross-field checks', () => {
  it('replication factor above the broker count', () => {
    expect(errorOf({ ...base(), topics: [{ name: 't', 'replication.factor': 4 }] })).toBe(
      'invalid scenario: "topics[0].replication.factor": replication factor 4 for topic "t" is more than the 3 brokers; add brokers or lower it',
    );
    expect(errorOf({ ...base(), cluster: { brokers: 2 } })).toContain(
      '"default.replication.factor (the msk preset\'s default)": replication factor 3 for topic "t" is more than the 2 brokers',
    );
  });

  it('min.insync.replicas above the replication factor with an acks=all writer', () => {
    expect(errorOf({ ...base(), topics: [{ name: 't', 'replication.factor': 1 }] })).toContain(
      '"min.insync.replicas (the msk preset\'s default)": min.insync.replicas 2 is more than topic "t"\'s replication factor 1, so every acks=all write (producer "p1") would fail with NotEnoughReplicas',
    );
    expect(errorOf({ ...base(), topics: [{ name: 't', 'replication.factor': 2, config: { 'min.insync.replicas': 3 } }] })).toContain(
      '"topics[0].config.min.insync.replicas"',
    );
    // Harmless when nobody writes with acks=all.
    expect(() => resolve({ ...base(), topics: [{ name: 't', 'replication.factor': 1 }] }, ['acks=1'])).not.toThrow();
  });

  it('unknown references', () => {
    expect(errorOf({ ...base(), producers: [{ ...base().producers[0], topic: 'nope' }] })).toBe(
      'invalid scenario: "producers[0].topic": unknown topic "nope"; topics are "t"',
    );
    expect(errorOf({ ...base(), producers: [{ ...base().producers[0], az: 'mars' }] })).toContain('"producers[0].az": unknown AZ "mars"');
    expect(errorOf({ ...base(), operations: [{ atMs: 1, kind: 'controlled-shutdown', broker: 'b9', durationMs: 5 }] })).toContain(
      '"operations[0].broker": unknown broker "b9"',
    );
    expect(errorOf({ ...base(), topics: [{ name: 't', replicas: [['b1', 'b7']] }] })).toContain('"topics[0].replicas[0][1]": unknown broker "b7"');
  });

  it('duplicates and inconsistent explicit replicas', () => {
    expect(errorOf({ ...base(), topics: [{ name: 't' }, { name: 't' }] })).toContain('"topics[1].name": duplicate topic name "t"');
    expect(errorOf({ ...base(), topics: [{ name: 't', replicas: [['b1', 'b1']] }] })).toContain('"topics[0].replicas[0][1]": broker "b1" appears twice');
    expect(errorOf({ ...base(), topics: [{ name: 't', replicas: [['b1', 'b2'], ['b1']] }] })).toContain('"topics[0].replicas[1]"');
    expect(errorOf({ ...base(), topics: [{ name: 't', partitions: 2, replicas: [['b1', 'b2', 'b3']] }] })).toContain('"topics[0].partitions"');
  });

  it('explicit replicas are used as given', () => {
    const k = kafkaOf({ ...base(), topics: [{ name: 't', replicas: [['b3', 'b1', 'b2'], ['b2', 'b3', 'b1']] }] });
    expect(k.topics[0].partitions).toBe(2);
    expect(k.topics[0].replicationFactor).toBe(3);
    expect(k.topics[0].replicas).toEqual([
      [2, 0, 1],
      [1, 2, 0],
    ]);
  });

  it('timing against the run', () => {
    expect(errorOf({ ...base(), producers: [{ ...base().producers[0], startMs: 20000 }] })).toContain(
      '"producers[0].startMs": 20000 is after durationMs 10000',
    );
    expect(errorOf({ ...base(), producers: [{ ...base().producers[0], startMs: 500, stopMs: 100 }] })).toContain('"producers[0].stopMs"');
    expect(errorOf({ ...base(), producers: [{ ...base().producers[0], ratePerSec: 0 }] })).toContain('"producers[0].ratePerSec"');
  });
});

describe('presets', () => {
  it('exist', () => {
    expect(presetFiles).toEqual(expect.arrayContaining(['msk-3az-outage.scenario.json', 'apache-defaults.scenario.json', 'unclean-election.scenario.json']));
  });

  it.each(presetFiles)('%s resolves and builds', (file) => {
    const raw = loadPreset(file);
    const { scenario, topology } = resolve(raw);
    expect(scenario.name).toBe(file.replace('.scenario.json', ''));
    const k = buildKafkaScenario(scenario as unknown as KafkaScenarioInput, new SeededChoices(scenario.seed).stream('kafka.assignment'));
    expect(topology.size).toBe(k.brokers.length + k.controllers.length + (k.consumerGroups ?? []).reduce((n, g) => n + g.members.length, 0) + k.producers.length);
    for (const t of k.topics) expect(t.replicas).toHaveLength(t.partitions);
  });

  it('msk-3az-outage is the MSK-like default scenario', () => {
    const { scenario } = resolve(loadPreset('msk-3az-outage.scenario.json'));
    const k = buildKafkaScenario(scenario as unknown as KafkaScenarioInput, new SeededChoices('1').stream('kafka.assignment'));
    expect(k.brokers).toHaveLength(6);
    expect(new Set(k.brokers.map((b) => b.az)).size).toBe(3);
    expect(k.controllers).toHaveLength(3);
    expect(k.topics[0]).toMatchObject({ partitions: 6, replicationFactor: 3 });
    expect(k.producers.every((p) => p.config.acks === 'all' && p.keys > 0)).toBe(true);
    expect(scenario.faults.map((f) => f.kind)).toEqual(['isolate-node', 'az-outage']);
    expect(scenario.faults.every((f) => 'durationMs' in f && f.durationMs !== undefined && f.atMs + f.durationMs < scenario.durationMs!)).toBe(true);
  });

  it('unclean-election runs acks=1 with unclean election on', () => {
    const { scenario } = resolve(loadPreset('unclean-election.scenario.json'));
    const k = buildKafkaScenario(scenario as unknown as KafkaScenarioInput, new SeededChoices('1').stream('kafka.assignment'));
    expect(k.producers[0].config.acks).toBe('1');
    expect(k.producers[0].config['enable.idempotence']).toBe(false);
    expect(k.topics[0].config['unclean.leader.election.enable']).toBe(true);
  });
});

describe('create', () => {
  it('hands the model and the checkers a KafkaScenario built from the "kafka.assignment" stream', () => {
    const { scenario, topology } = resolve(base());
    const choices = new SeededChoices('1');
    const instance = kafkaDefinition.create({ topology: topology as Topology, choices, config: scenario as never, durationUs: 1e7 });
    const model = instance.model as unknown as { scenario: KafkaScenario };
    expect(model.scenario).toEqual(kafkaOf(base()));
    expect(instance.checkers.length).toBeGreaterThan(0);
  });
});

describe('consumer groups in the scenario', () => {
  const withGroup = (group: Record<string, unknown>, config: Record<string, unknown> = {}) => ({
    ...base(),
    config,
    consumerGroups: [{ 'group.id': 'g', topics: ['t'], members: 2, ...group }],
  });

  it('adds members as nodes after the producers and creates __consumer_offsets', () => {
    const { topology } = resolve(withGroup({}));
    expect(topology.names.slice(-3)).toEqual(['p1', 'g-1', 'g-2']);
    const k = kafkaOf(withGroup({}, { 'offsets.topic.num.partitions': 5 }));
    expect(k.offsetsTopic?.partitions).toBe(5);
    expect(k.offsetsTopic?.replicationFactor).toBe(3);
    expect(k.offsetsTopic?.config['log.cleanup.policy']).toBe('compact');
    const m = k.consumerGroups![0].members[0];
    expect(m.config['session.timeout.ms']).toBe(45000);
    expect(m.config['enable.auto.commit']).toBe(false);
    expect(m.commit).toBe('after-processing');
  });

  it('refuses one group.instance.id for two members, naming where it was set and the per-member form', () => {
    const perMember = `a static member id is one consumer's (KIP-345): state it in each member's own config (consumerGroups[0].members as a list of {"name", "config": {"group.instance.id"}}, or one --set groups.g.members.g-1.group.instance.id=... per member)`;
    expect(errorOf(withGroup({ config: { 'group.instance.id': 's' } }))).toBe(
      `invalid scenario: "consumerGroups[0].config.group.instance.id": "s" is every member's group.instance.id here, so "g-1" and "g-2" share it; ${perMember}, or leave it unset`,
    );
    expect(errorOf(withGroup({}, { 'group.instance.id': 's' }))).toMatch(/^invalid scenario: "config\.group\.instance\.id": "s" is every member's/);
    const members = (ids: string[]) => ids.map((id, i) => ({ name: `m${i}`, az: 'use1-az1', config: { 'group.instance.id': id } }));
    expect(errorOf(withGroup({ members: members(['a', 'b', 'a']) }))).toBe(
      `invalid scenario: "consumerGroups[0].members[2].config.group.instance.id": duplicate group.instance.id "a": member "m0" of the group has it too; a static member id is one consumer's (KIP-345): give each member its own`,
    );
    // unique within a group only: another group may use the same id
    const twoGroups = { ...withGroup({ members: members(['a', 'b']) }), consumerGroups: [
      { 'group.id': 'g', topics: ['t'], members: members(['a', 'b']) },
      { 'group.id': 'h', topics: ['t'], members: [{ name: 'h0', az: 'use1-az1', config: { 'group.instance.id': 'a' } }] },
    ] };
    expect(kafkaOf(twoGroups).consumerGroups!.map((g) => g.members.map((m) => m.config['group.instance.id']))).toEqual([['a', 'b'], ['a']]);
    expect(kafkaOf(withGroup({ members: members(['a', 'b']) })).consumerGroups![0].members.map((m) => m.config['group.instance.id'])).toEqual(['a', 'b']);
  });

  it('names a misspelt key of an operation, not the key it left missing', () => {
    expect(errorOf({ ...base(), operations: [{ atMs: 1000, kind: 'upgrade', too: '4.0' }] })).toBe(
      `invalid scenario: unknown field "operations[0].too" (did you mean "to"?); remove it or check the spelling: the README's "Scenario format" lists every field and config key`,
    );
  });

  it('refuses an unknown consumer config key, naming the field', () => {
    expect(errorOf(withGroup({ config: { 'session.timeout': 1000 } }))).toMatch(/consumerGroups\.0\.config\.session\.timeout|consumerGroups\[0\]\.config/);
    expect(errorOf(withGroup({ config: { 'session.timeout': 1000 } }))).toMatch(/unknown consumer config key "session\.timeout"/);
  });

  it('refuses impossible consumer values, naming the field', () => {
    expect(errorOf(withGroup({ config: { 'auto.offset.reset': 'oldest' } }))).toMatch(/auto\.offset\.reset must be one of "earliest", "latest", "none"/);
    expect(errorOf(withGroup({ config: { 'heartbeat.interval.ms': 50000 } }))).toMatch(/"consumerGroups\[0\]\.config\.heartbeat\.interval\.ms": 50000 is not below session\.timeout\.ms/);
    expect(errorOf(withGroup({ config: { 'session.timeout.ms': 2000, 'heartbeat.interval.ms': 500 } }))).toMatch(/INVALID_SESSION_TIMEOUT/);
    expect(errorOf(withGroup({ topics: ['nope'] }))).toMatch(/"consumerGroups\[0\]\.topics\[0\]": unknown topic "nope"/);
    expect(errorOf(withGroup({ commit: 'auto' }, { 'enable.auto.commit': false }))).toMatch(/"config\.enable\.auto\.commit"/);
  });
});
