// Layering (preset < cluster config < producer config) and Kafka's producer rules.

import { describe, expect, it } from 'vitest';
import { BROKER_DEFAULTS } from './broker-configs.ts';
import { resolveBrokerConfig, resolveConsumerConfig, resolveProducerConfig, resolveTopicConfig } from './resolve-config.ts';

describe('resolveBrokerConfig and resolveTopicConfig', () => {
  it('start from the preset and apply the cluster config', () => {
    expect(resolveBrokerConfig('apache', {})['min.insync.replicas']).toBe(1);
    expect(resolveBrokerConfig('msk', {})['min.insync.replicas']).toBe(2);
    expect(resolveBrokerConfig('msk', { 'min.insync.replicas': 1 })['min.insync.replicas']).toBe(1);
  });

  it('let a topic override topic-level keys only', () => {
    const broker = resolveBrokerConfig('msk', {});
    expect(resolveTopicConfig(broker, { 'unclean.leader.election.enable': false })).toEqual({
      'min.insync.replicas': 2,
      'unclean.leader.election.enable': false,
      'log.flush.interval.messages': Number.MAX_SAFE_INTEGER,
      'log.flush.interval.ms': null,
      'log.retention.ms': 604800000,
      'log.retention.bytes': -1,
      'log.segment.bytes': 1073741824,
      'log.roll.ms': 604800000,
      'log.cleanup.policy': 'delete',
      'log.cleaner.min.cleanable.ratio': 0.5,
    });
  });

  it('refuse replica.fetch.wait.max.ms above replica.lag.time.max.ms, naming the field', () => {
    expect(() => resolveBrokerConfig('apache', { 'replica.lag.time.max.ms': 100 })).toThrow(
      /"replica\.fetch\.wait\.max\.ms \(the apache preset's default\)": 500 is more than replica\.lag\.time\.max\.ms \(100\)/,
    );
    expect(() => resolveBrokerConfig('apache', { 'replica.fetch.wait.max.ms': 40000 })).toThrow(/"config\.replica\.fetch\.wait\.max\.ms"/);
  });
});

describe('resolveProducerConfig', () => {
  it('keeps idempotence on by default and turns it off quietly when acks conflicts', () => {
    expect(resolveProducerConfig('msk', {}, 'producers[0]', {})['enable.idempotence']).toBe(true);
    const acks1 = resolveProducerConfig('msk', { acks: '1' }, 'producers[0]', {});
    expect(acks1.acks).toBe('1');
    expect(acks1['enable.idempotence']).toBe(false);
    expect(resolveProducerConfig('msk', {}, 'producers[0]', { retries: 0 })['enable.idempotence']).toBe(false);
    expect(resolveProducerConfig('msk', {}, 'producers[0]', { 'max.in.flight.requests.per.connection': 6 })['enable.idempotence']).toBe(false);
  });

  it('refuses explicit idempotence with a conflicting setting, naming where it was set', () => {
    expect(() => resolveProducerConfig('msk', { 'enable.idempotence': true }, 'producers[1]', { acks: '1' })).toThrow(
      /^invalid scenario: "config\.enable\.idempotence": enable\.idempotence=true needs acks=all.*but acks is 1/,
    );
    expect(() => resolveProducerConfig('msk', {}, 'producers[1]', { 'enable.idempotence': 'true', acks: '0' })).toThrow(
      /"producers\[1\]\.config\.enable\.idempotence"/,
    );
    expect(resolveProducerConfig('msk', {}, 'producers[1]', { 'enable.idempotence': false })['enable.idempotence']).toBe(false);
  });

  it('with idempotence set explicitly, takes acks and retries left to a version\'s defaults as all and Integer.MAX_VALUE (KafkaProducer 2.0)', () => {
    const kafka20 = (entry: { key: string }) => (entry.key === 'acks' ? '1' : entry.key === 'retries' ? 0 : undefined);
    const c = resolveProducerConfig('apache', { 'enable.idempotence': true }, 'producers[0]', {}, kafka20);
    expect([c.acks, c.retries, c['enable.idempotence']]).toEqual(['all', 2147483647, true]);
    // without it the version's defaults stand, and idempotence is off
    const plain = resolveProducerConfig('apache', {}, 'producers[0]', {}, kafka20);
    expect([plain.acks, plain.retries, plain['enable.idempotence']]).toEqual(['1', 0, false]);
    // a retries=0 the user set still conflicts
    expect(() => resolveProducerConfig('apache', { 'enable.idempotence': true, retries: 0 }, 'producers[0]', {}, kafka20)).toThrow(/but retries is 0/);
  });

  it('lets the producer override the cluster-wide producer defaults', () => {
    const c = resolveProducerConfig('apache', { 'linger.ms': 10, acks: '1' }, 'producers[0]', { acks: 'all' });
    expect(c.acks).toBe('all');
    expect(c['linger.ms']).toBe(10);
  });

  it('raises an implicit delivery.timeout.ms to linger.ms + request.timeout.ms, refuses an explicit one', () => {
    expect(resolveProducerConfig('apache', {}, 'producers[0]', { 'request.timeout.ms': 200000 })['delivery.timeout.ms']).toBe(200005);
    expect(() => resolveProducerConfig('apache', {}, 'producers[0]', { 'delivery.timeout.ms': 1000 })).toThrow(
      /"producers\[0\]\.config\.delivery\.timeout\.ms": 1000 is less than linger\.ms \+ request\.timeout\.ms \(5 \+ 30000 = 30005\)/,
    );
  });
});

describe('keys several scopes share, and the clients\' connection keys', () => {
  const consumer = (cluster: Record<string, number>, own: Record<string, number> = {}) =>
    resolveConsumerConfig('apache', cluster, 'consumerGroups[0]', {}, 'consumerGroups[0].members[0]', own, BROKER_DEFAULTS);

  it('a cluster-wide value applies to every scope that has the key; a client\'s own only to that client', () => {
    const cluster = { 'request.timeout.ms': 5000 };
    expect(resolveBrokerConfig('apache', cluster)['request.timeout.ms']).toBe(5000);
    expect(resolveProducerConfig('apache', cluster, 'producers[0]', {})['request.timeout.ms']).toBe(5000);
    expect(consumer(cluster)['request.timeout.ms']).toBe(5000);
    expect(resolveProducerConfig('apache', {}, 'producers[0]', { 'request.timeout.ms': 7000 })['request.timeout.ms']).toBe(7000);
    expect(consumer({}, { 'retry.backoff.ms': 300 })['retry.backoff.ms']).toBe(300);
    expect(resolveProducerConfig('apache', {}, 'producers[0]', {})['retry.backoff.ms']).toBe(100);
  });

  it('reconnect.backoff.ms set alone caps the backoff too (CommonClientConfigs.postProcessReconnectBackoffConfigs)', () => {
    expect(resolveProducerConfig('apache', {}, 'producers[0]', { 'reconnect.backoff.ms': 200 })['reconnect.backoff.max.ms']).toBe(200);
    expect(consumer({ 'reconnect.backoff.ms': 200 })['reconnect.backoff.max.ms']).toBe(200);
    expect(consumer({ 'reconnect.backoff.ms': 200, 'reconnect.backoff.max.ms': 5000 })['reconnect.backoff.max.ms']).toBe(5000);
    expect(consumer({})['reconnect.backoff.max.ms']).toBe(1000);
  });

  it('refuses replica.socket.timeout.ms below replica.fetch.wait.max.ms, naming the field', () => {
    expect(() => resolveBrokerConfig('apache', { 'replica.socket.timeout.ms': 100 })).toThrow(
      /"config\.replica\.socket\.timeout\.ms": 100 is less than replica\.fetch\.wait\.max\.ms \(500\)/,
    );
  });

  it('refuses a socket buffer of 0 (Java throws on it), naming the field; -1 is the OS default', () => {
    expect(() => resolveBrokerConfig('apache', { 'socket.receive.buffer.bytes': 0 })).toThrow(/"config\.socket\.receive\.buffer\.bytes": 0 is refused/);
    expect(() => resolveProducerConfig('apache', {}, 'producers[0]', { 'send.buffer.bytes': 0 })).toThrow(/"producers\[0\]\.config\.send\.buffer\.bytes": 0 is refused/);
    expect(resolveProducerConfig('apache', {}, 'producers[0]', { 'send.buffer.bytes': -1 })['send.buffer.bytes']).toBe(-1);
  });
});
