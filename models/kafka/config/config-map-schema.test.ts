// Config maps accept what Kafka users write (strings, numbers, -1 for all) and name the exact
// key in every error.

import { describe, expect, it } from 'vitest';
import { JAVA_LONG_MAX } from './config-entry.ts';
import { normalizeConfigMap } from './config-map-schema.ts';

const ok = (level: 'cluster' | 'topic' | 'producer', raw: Record<string, unknown>) => {
  const { map, issues } = normalizeConfigMap(level, raw);
  expect(issues).toEqual([]);
  return map;
};
const issue = (level: 'cluster' | 'topic' | 'producer', raw: Record<string, unknown>) => {
  const { issues } = normalizeConfigMap(level, raw);
  expect(issues).toHaveLength(1);
  return issues[0];
};

describe('normalizeConfigMap', () => {
  it('normalises acks from every spelling', () => {
    for (const [input, out] of [
      [0, '0'],
      ['0', '0'],
      [1, '1'],
      ['1', '1'],
      [-1, 'all'],
      ['-1', 'all'],
      ['all', 'all'],
      ['ALL', 'all'],
    ] as const)
      expect(ok('producer', { acks: input }).acks).toBe(out);
  });

  it('parses numeric and boolean strings', () => {
    expect(ok('cluster', { 'min.insync.replicas': '2', 'unclean.leader.election.enable': 'TRUE', 'linger.ms': 0 })).toEqual({
      'min.insync.replicas': 2,
      'unclean.leader.election.enable': true,
      'linger.ms': 0,
    });
  });

  it('stores Long.MAX_VALUE as the largest safe integer, and accepts null for unset longs', () => {
    expect(ok('cluster', { 'log.flush.interval.messages': '9223372036854775807' })['log.flush.interval.messages']).toBe(JAVA_LONG_MAX);
    expect(ok('cluster', { 'log.flush.interval.ms': null })['log.flush.interval.ms']).toBeNull();
  });

  it('accepts topic-level names on topics and keys them by the catalog name', () => {
    expect(ok('topic', { 'flush.messages': 1, 'flush.ms': '1000', 'min.insync.replicas': 2 })).toEqual({
      'log.flush.interval.messages': 1,
      'log.flush.interval.ms': 1000,
      'min.insync.replicas': 2,
    });
    expect(ok('topic', { 'log.flush.interval.messages': 1 })).toEqual({ 'log.flush.interval.messages': 1 });
  });

  it('names the key, the value and the range when out of range', () => {
    const i = issue('cluster', { 'min.insync.replicas': 0 });
    expect(i.key).toBe('min.insync.replicas');
    expect(i.message).toBe('min.insync.replicas must be an integer from 1 to 2147483647 (Integer.MAX_VALUE), got 0');
    expect(issue('cluster', { 'leader.imbalance.per.broker.percentage': 101 }).message).toContain('from 0 to 100, got 101');
    expect(issue('producer', { 'linger.ms': -1 }).message).toContain('linger.ms must be an integer from 0 to Long.MAX_VALUE, got -1');
    expect(issue('producer', { 'batch.size': 1.5 }).message).toContain('got 1.5');
    // a topic-level name is named as written, not by its broker-level name
    expect(issue('topic', { 'segment.ms': -5 }).message).toBe('segment.ms must be an integer from 1 to Long.MAX_VALUE, got -5');
    expect(issue('topic', { 'log.roll.ms': -5 }).message).toBe('log.roll.ms must be an integer from 1 to Long.MAX_VALUE, got -5');
    expect(issue('producer', { acks: 2 }).message).toBe('acks must be 0, 1, -1 or "all", got 2');
    expect(issue('cluster', { 'unclean.leader.election.enable': 'yes' }).message).toBe(
      'unclean.leader.election.enable must be true or false, got "yes"',
    );
  });

  it('suggests the closest key for an unknown one', () => {
    expect(issue('cluster', { 'min.insync.replica': 2 })).toEqual({
      key: 'min.insync.replica',
      message: 'unknown config key "min.insync.replica" (did you mean "min.insync.replicas"?)',
    });
    expect(issue('producer', { lingerms: 2 }).message).toContain('did you mean "linger.ms"?');
  });

  it('explains keys set at the wrong level', () => {
    expect(issue('producer', { 'min.insync.replicas': 2 }).message).toBe(
      '"min.insync.replicas" is a topic config, not a producer config; set it in the scenario\'s "config" or a topic\'s "config"',
    );
    expect(issue('topic', { 'replica.lag.time.max.ms': 1 }).message).toContain('is a broker config and cannot be set per topic');
    expect(issue('topic', { acks: 1 }).message).toContain('is a producer config and cannot be set per topic');
    expect(issue('cluster', { 'flush.messages': 1 }).message).toContain('use "log.flush.interval.messages"');
  });

  it('explains nested objects made by a dotted --set config.x.y', () => {
    const i = issue('cluster', { min: { insync: { replicas: 2 } } });
    expect(i.key).toBe('min');
    expect(i.message).toContain('"min.insync.replicas"');
  });

  it('rejects the same setting twice under two names', () => {
    expect(issue('topic', { 'flush.messages': 1, 'log.flush.interval.messages': 2 }).message).toContain('a second time');
  });
});

describe('keys several scopes share', () => {
  it('are accepted at the cluster level (for every scope), and in a producer or consumer config (for that client)', () => {
    expect(ok('cluster', { 'request.timeout.ms': '5000' })).toEqual({ 'request.timeout.ms': 5000 });
    expect(normalizeConfigMap('consumer', { 'retry.backoff.ms': 250, 'reconnect.backoff.max.ms': 2000 }).map).toEqual({
      'retry.backoff.ms': 250,
      'reconnect.backoff.max.ms': 2000,
    });
    expect(ok('producer', { 'socket.connection.setup.timeout.ms': 3000 })).toEqual({ 'socket.connection.setup.timeout.ms': 3000 });
    expect(issue('producer', { 'replica.socket.timeout.ms': 1 }).message).toMatch(/is a broker config, not a producer config/);
    expect(issue('cluster', { 'request.timeout.ms': -1 }).message).toMatch(/request\.timeout\.ms must be/);
  });
});
