// log.message.format.version (version/message-format.ts): below 0.11 batches carry no leader
// epoch, so a broker caches none and its follower truncates to its high watermark whatever its
// software and inter.broker.protocol.version: KIP-101's first scenario loses a committed record on
// Kafka 2.8 as on 0.10, blamed on the message format (permitted by the version's KIP-101 path, not
// a breach), and the same run writing 0.11's format keeps it. The setting is checked as KafkaConfig
// checks it, and an upgrade's last rolling restart raises it.
import { describe, expect, it } from 'vitest';
import { verdictClassOf } from '../../src/scenario/verdict.ts';
import { refusal, runScenario, type Scenario } from './testing/scenario-run.ts';

// KIP-101's first scenario (kafka-model-durability.test.ts): b3 has the committed r1 but its HW
// does not cover it yet when every broker is cut off from the others; b1 dies, b3 follows b2 and
// cuts its log to its HW, b2 dies before b3 fetches r1 again, and b3 leads without it.
function kip101(kafkaVersion: string, config: Scenario = {}, operations: Scenario[] = [], afterMs = 0): Scenario {
  return {
    name: 'message-format',
    model: 'kafka',
    seed: '1',
    durationMs: 30000 + afterMs,
    preset: 'apache',
    kafkaVersion,
    metadataMode: 'zookeeper',
    cluster: { brokers: 3 },
    config: { 'zookeeper.session.timeout.ms': 6000, acks: 'all', ...config },
    topics: [{ name: 'orders', partitions: 1, 'replication.factor': 3, replicas: [['b1', 'b2', 'b3']] }],
    producers: [{ name: 'p1', az: 'use1-az1', topic: 'orders', sends: [{ atMs: afterMs + 1000 }, { atMs: afterMs + 6000 }] }],
    faults: [
      { atMs: afterMs + 6050, kind: 'partition', groups: [['b1'], ['b2'], ['b3']] },
      { atMs: afterMs + 6100, kind: 'crash', node: 'b1' },
      { atMs: afterMs + 13000, kind: 'crash', node: 'b2' },
    ],
    operations,
  };
}

describe('log.message.format.version', () => {
  it('Kafka 2.8 writing message format 0.10 loses a committed record to truncation to the high watermark, blamed on the format; 0.11 keeps it', () => {
    const old = runScenario(kip101('2.8', { 'log.message.format.version': '0.10' }));
    const truncations = old.events.filter(([, , e]) => e.type === 'truncate');
    expect(truncations.map(([, node, e]) => [node, e.reason])).toEqual([['b3', 'high-watermark']]);
    const lost = old.report.violations.filter((v) => v.property === 'lost-write');
    expect(lost.length).toBe(1);
    expect(verdictClassOf(lost[0])).not.toBe('breach');
    expect([lost[0].classification, lost[0].permittedBy, lost[0].flaws]).toEqual(['permitted', 'version', ['KIP-101']]);
    expect(lost[0].reason).toContain('b3 at log.message.format.version 0.10 (message format v1: no leader epochs): truncation to the high watermark');

    for (const format of ['0.11', '2.8', null]) {
      const fixed = runScenario(kip101('2.8', { 'log.message.format.version': format }));
      expect(fixed.events.filter(([, , e]) => e.type === 'truncate')).toEqual([]);
      expect(fixed.report.violations.filter((v) => v.property === 'lost-write')).toEqual([]);
    }
  });

  it('no leader epochs are cached on format 0.10, so the follower asks the leader nothing', () => {
    const old = runScenario(kip101('2.8', { 'log.message.format.version': '0.10.2' }));
    expect(old.events.some(([, , e]) => e.type === 'protocol-flaw' && e.flaw === 'truncated-to-high-watermark')).toBe(true);
    expect(old.report.outcome.stats?.epochRequests ?? 0).toBe(0);
  });

  it('is refused above the inter.broker.protocol.version, unknown, or on 4.0, naming the field', () => {
    expect(refusal(kip101('0.10', { 'log.message.format.version': '0.11' }))).toBe(
      'invalid scenario: "config.log.message.format.version": 0.11 (message format v2) can only be used when inter.broker.protocol.version is 0.11 or higher, and the brokers speak 0.10: name 0.10, or raise inter.broker.protocol.version first',
    );
    expect(refusal(kip101('2.1', { 'log.message.format.version': '2.8' }))).toMatch(/"config\.log\.message\.format\.version": Kafka 2\.1 does not know message format version 2\.8/);
    expect(refusal(kip101('2.8', { 'log.message.format.version': '0.9.0' }))).toMatch(/^invalid scenario: "config\.log\.message\.format\.version": "0\.9\.0" is not a Kafka version ksim knows/);
    expect(refusal(kip101('2.8', { 'log.message.format.version': '0.10', 'enable.idempotence': true }))).toMatch(
      /^invalid scenario: "config\.log\.message\.format\.version": 0\.10 \(message format v1\) has no producer ids: the brokers would refuse every batch of idempotent producer "p1" \(UNSUPPORTED_FOR_MESSAGE_FORMAT\)/,
    );
    expect(refusal({ ...kip101('4.0', { 'log.message.format.version': '2.8' }), metadataMode: 'kraft' })).toMatch(/"config\.log\.message\.format\.version": Kafka 4\.0 has no log\.message\.format\.version/);
  });

  // docs/upgrade.html (0.10.2 -> 0.11): upgrade the software at IBP and format 0.10, raise the IBP,
  // then raise the message format. Until the last step the brokers write v1: KIP-101 does not protect.
  // The upgrade starts at 0.5 s, once the brokers know the controller: at 0.1 s, as the controller is
  // first elected, b1's controlled shutdown would find none registered and sleep
  // controlled.shutdown.retry.backoff.ms (5 s, KafkaServer.controlledShutdown) before asking again.
  const upgrade = (last: Scenario[]) => [
    { atMs: 500, kind: 'upgrade', to: '0.11', durationMs: 200, isrWaitMs: 1000 },
    { atMs: 2000, kind: 'rolling-restart', durationMs: 200, isrWaitMs: 1000, 'inter.broker.protocol.version': '0.11' },
    ...last,
  ];

  // The upgrade's restarts are over by 8 s; KIP-101's scenario runs from 10 s.
  it('an upgrade from 0.10 keeps truncating to the high watermark until a rolling restart raises the message format', () => {
    const ibpOnly = runScenario(kip101('0.10', { 'log.message.format.version': '0.10' }, upgrade([]), 10_000));
    const [lost] = ibpOnly.report.violations.filter((v) => v.property === 'lost-write');
    expect([lost.classification, lost.flaws]).toEqual(['permitted', ['KIP-101']]);
    expect(lost.reason).toContain('b3 at log.message.format.version 0.10 (message format v1: no leader epochs)');
    const formatStep = { atMs: 3000, kind: 'rolling-restart', durationMs: 200, isrWaitMs: 1000, 'log.message.format.version': '0.11' };
    const raised = runScenario(kip101('0.10', { 'log.message.format.version': '0.10' }, upgrade([formatStep]), 10_000));
    const started = raised.events.filter(([, , e]) => e.type === 'operation' && String(e.subject).endsWith('starts with log.message.format.version 0.11'));
    expect(started.length).toBe(3);
    expect(started[2][0]).toBeLessThan(10_000_000);
    expect(raised.report.violations.filter((v) => v.property === 'lost-write')).toEqual([]);
    // Unset, the format follows the IBP: the IBP's rolling restart raises both.
    expect(runScenario(kip101('0.10', {}, upgrade([]), 10_000)).report.violations.filter((v) => v.property === 'lost-write')).toEqual([]);
  });

  it('an upgrade step raising the format above the inter.broker.protocol.version is refused', () => {
    expect(refusal(kip101('0.10', {}, [{ atMs: 100, kind: 'upgrade', to: '0.11', durationMs: 200 }, { atMs: 3000, kind: 'rolling-restart', durationMs: 200, 'log.message.format.version': '0.11' }]))).toBe(
      'invalid scenario: "operations[1].log.message.format.version": broker "b1": 0.11 (message format v2) can only be used when inter.broker.protocol.version is 0.11 or higher, and the brokers speak 0.10: name 0.10, or raise inter.broker.protocol.version first',
    );
  });
});
