// The catalog's defaults are Kafka's and MSK's documented ones; a wrong default silently changes
// every run, so they are pinned here.

import { describe, expect, expectTypeOf, it } from 'vitest';
import { CONFIG_CATALOG, CONFIG_ENTRIES_BY_KEY, CONFIG_KEYS, configEntryIn } from './config-catalog.ts';
import { JAVA_INT_MAX, JAVA_LONG_MAX, type ConfigScope } from './config-entry.ts';
import { BROKER_CONFIGS, BROKER_DEFAULTS, type BrokerConfig } from './broker-configs.ts';
import { CONSUMER_DEFAULTS, type ConsumerConfig } from './consumer-configs.ts';
import { PRODUCER_DEFAULTS, type ProducerConfig } from './producer-configs.ts';
import { TOPIC_DEFAULTS, topicDefaultsOf, type TopicConfig } from './topic-configs.ts';
import { MSK_OVERRIDES, presetDefault } from './config-presets.ts';
import { closestKey, editDistance } from '../../../src/scenario/closest-name.ts';

describe('config catalog', () => {
  it('holds Apache Kafka’s current defaults, per scope', () => {
    expect(BROKER_DEFAULTS).toEqual({
      'min.insync.replicas': 1,
      'unclean.leader.election.enable': false,
      'log.flush.interval.messages': JAVA_LONG_MAX,
      'log.flush.interval.ms': null,
      'log.retention.ms': 604800000,
      'log.retention.bytes': -1,
      'log.segment.bytes': 1073741824,
      'log.roll.ms': 604800000,
      ...{ 'log.cleanup.policy': 'delete', 'log.cleaner.min.cleanable.ratio': 0.5, 'log.cleaner.backoff.ms': 15000, 'log.cleaner.enable': true },
      'replica.lag.time.max.ms': 30000,
      'replica.fetch.wait.max.ms': 500,
      'replica.fetch.backoff.ms': 1000,
      ...{ 'socket.receive.buffer.bytes': 102400, 'replica.socket.timeout.ms': 30000 },
      'request.timeout.ms': 30000,
      'controller.socket.timeout.ms': 30000,
      'replica.high.watermark.checkpoint.interval.ms': 5000,
      'replica.fetch.max.bytes': 1048576,
      'auto.leader.rebalance.enable': true,
      'leader.imbalance.check.interval.seconds': 300,
      'leader.imbalance.per.broker.percentage': 10,
      'controlled.shutdown.enable': true,
      'broker.session.timeout.ms': 9000,
      'broker.heartbeat.interval.ms': 2000,
      'zookeeper.session.timeout.ms': 18000,
      'default.replication.factor': 1,
      'num.partitions': 1,
      'log.retention.check.interval.ms': 300000,
      'log.flush.scheduler.interval.ms': JAVA_LONG_MAX,
      'log.initial.task.delay.ms': 30000,
      'producer.id.expiration.ms': 86400000,
      'producer.id.expiration.check.interval.ms': 600000,
      'offsets.topic.num.partitions': 50,
      'offsets.topic.replication.factor': 3,
      'offsets.topic.segment.bytes': 104857600,
      'offsets.commit.timeout.ms': 5000,
      'group.min.session.timeout.ms': 6000,
      'group.max.session.timeout.ms': 1800000,
      ...{ 'group.initial.rebalance.delay.ms': 3000, 'log.message.format.version': null }, // unset: the IBP (version/message-format.ts)
    });
    // CommonClientConfigs: the reconnect and connection setup keys are the same for both clients.
    const connection = {
      'reconnect.backoff.ms': 50,
      'reconnect.backoff.max.ms': 1000,
      'socket.connection.setup.timeout.ms': 10000,
      'socket.connection.setup.timeout.max.ms': 30000,
    };
    expect(PRODUCER_DEFAULTS).toEqual({
      acks: 'all',
      'enable.idempotence': true,
      retries: JAVA_INT_MAX,
      'retry.backoff.ms': 100,
      'request.timeout.ms': 30000,
      'delivery.timeout.ms': 120000,
      'linger.ms': 5,
      ...{ 'batch.size': 16384, 'send.buffer.bytes': 131072 },
      'max.in.flight.requests.per.connection': 5,
      'metadata.max.age.ms': 300000,
      ...connection,
    });
    expect(CONSUMER_DEFAULTS).toEqual({
      'group.instance.id': null,
      'session.timeout.ms': 45000,
      'heartbeat.interval.ms': 3000,
      'max.poll.interval.ms': 300000,
      'max.poll.records': 500,
      'fetch.min.bytes': 1,
      'fetch.max.wait.ms': 500,
      'max.partition.fetch.bytes': 1048576,
      'enable.auto.commit': true,
      'auto.commit.interval.ms': 5000,
      'auto.offset.reset': 'latest',
      'partition.assignment.strategy': 'range',
      'request.timeout.ms': 30000,
      'retry.backoff.ms': 100,
      'metadata.max.age.ms': 300000,
      ...connection,
    });
  });

  it('lets scopes share a key, each entry with its own default and doc', () => {
    expect(CONFIG_ENTRIES_BY_KEY.get('request.timeout.ms')!.map((e) => e.scope)).toEqual(['broker', 'producer', 'consumer']);
    expect(configEntryIn('retry.backoff.ms', 'consumer')!.doc).not.toBe(configEntryIn('retry.backoff.ms', 'producer')!.doc);
    expect(configEntryIn('linger.ms', 'consumer')).toBeUndefined();
    expect(CONFIG_KEYS.filter((k) => k === 'request.timeout.ms')).toHaveLength(1);
  });

  it('MSK differs exactly where the seed table says', () => {
    expect(MSK_OVERRIDES).toEqual({ 'default.replication.factor': 3, 'min.insync.replicas': 2, 'unclean.leader.election.enable': true });
    const msk = (key: string, scope: ConfigScope) => presetDefault('msk', configEntryIn(key, scope)!);
    expect(msk('num.partitions', 'broker')).toBe(1);
    expect(msk('auto.leader.rebalance.enable', 'broker')).toBe(true);
    expect(msk('acks', 'producer')).toBe('all');
    expect(msk('min.insync.replicas', 'topic')).toBe(2);
  });

  it('has one entry per key and scope, each documented, numeric ones with a range containing the default', () => {
    expect(new Set(CONFIG_CATALOG.map((e) => `${e.scope} ${e.key}`)).size).toBe(CONFIG_CATALOG.length);
    for (const e of CONFIG_CATALOG) {
      expect(e.doc.length).toBeGreaterThan(10);
      if (e.type === 'int' || e.type === 'long' || (e.type === 'nullable-long' && e.default !== null)) {
        expect(e.min).toBeDefined();
        expect(e.max).toBeDefined();
        expect(e.default as number).toBeGreaterThanOrEqual(e.min!);
        expect(e.default as number).toBeLessThanOrEqual(e.max!);
      }
    }
  });
});

describe('closest key', () => {
  const keys = CONFIG_CATALOG.map((e) => e.key);
  it('suggests the intended key for typos and fragments', () => {
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(closestKey('min.insync.replica', keys)).toBe('min.insync.replicas');
    expect(closestKey('ack', keys)).toBe('acks');
    expect(closestKey('linger', keys)).toBe('linger.ms');
    expect(closestKey('unclean.leader.election', keys)).toBe('unclean.leader.election.enable');
  });
  it('suggests nothing for unrelated words', () => {
    expect(closestKey('zz', keys)).toBeUndefined();
    expect(closestKey('compression.type', keys)).toBeUndefined();
  });
});

describe('config shapes and defaults derived from the catalog', () => {
  it('types each key by its entry (checked by the type checker)', () => {
    expectTypeOf<ProducerConfig['acks']>().toEqualTypeOf<'0' | '1' | 'all'>();
    expectTypeOf<ProducerConfig['linger.ms']>().toEqualTypeOf<number>();
    expectTypeOf<TopicConfig['log.cleanup.policy']>().toEqualTypeOf<'delete' | 'compact'>();
    expectTypeOf<TopicConfig['log.flush.interval.ms']>().toEqualTypeOf<number | null>();
    expectTypeOf<ConsumerConfig['group.instance.id']>().toEqualTypeOf<string | null>();
    expectTypeOf<ConsumerConfig['partition.assignment.strategy']>().toEqualTypeOf<'range' | 'roundrobin' | 'sticky' | 'cooperative-sticky'>();
    expectTypeOf<BrokerConfig['unclean.leader.election.enable']>().toEqualTypeOf<boolean>();
    expectTypeOf<keyof BrokerConfig>().toEqualTypeOf<keyof TopicConfig | (typeof BROKER_CONFIGS)[number]['key']>();
  });

  it('gives each scope exactly its keys, with the catalog’s defaults', () => {
    const pick = (scopes: string[]) => Object.fromEntries(CONFIG_CATALOG.filter((e) => scopes.includes(e.scope)).map((e) => [e.key, e.default]));
    expect(BROKER_DEFAULTS).toEqual(pick(['topic', 'broker']));
    expect(TOPIC_DEFAULTS).toEqual(pick(['topic']));
    expect(PRODUCER_DEFAULTS).toEqual(pick(['producer']));
    expect(CONSUMER_DEFAULTS).toEqual(pick(['consumer']));
    expect(topicDefaultsOf({ ...BROKER_DEFAULTS, 'log.retention.ms': 7 })).toEqual({ ...TOPIC_DEFAULTS, 'log.retention.ms': 7 });
  });

  it('keeps MSK defaults valid for their key', () => {
    for (const e of CONFIG_CATALOG)
      if (e.mskDefault !== undefined) {
        expect(typeof e.mskDefault).toBe(typeof e.default);
        if (e.min !== undefined && typeof e.mskDefault === 'number') expect(e.mskDefault).toBeGreaterThanOrEqual(e.min);
      }
  });
});
