// Configs a Kafka version does not have yet: stating one on an older kafkaVersion is refused with
// the release and KIP that brought it; left unset, it takes what that version did instead, and the
// config sources say so. Without a kafkaVersion nothing is absent.
import { describe, expect, it } from 'vitest';
import { kafkaDefinition } from '../kafka-definition.ts';
import { built, resolve, sourcesOf } from '../testing/resolved-config.ts';
import { refusal } from '../testing/scenario-run.ts';
import { kafkaVersionTable } from './kafka-versions.ts';

const base = (extra: Record<string, unknown> = {}) => ({
  model: 'kafka',
  durationMs: 10000,
  preset: 'apache',
  topics: [{ name: 't', partitions: 1 }],
  producers: [{ name: 'p1', az: 'use1-az1', topic: 't', ratePerSec: 10, keys: 5 }],
  consumerGroups: [{ 'group.id': 'g', topics: ['t'], members: 1 }],
  ...extra,
});


describe('configs newer than the kafkaVersion', () => {
  it('refuses a stated key the version lacks, naming the field, the release and KIP, and the fix', () => {
    expect(refusal(base({ kafkaVersion: '0.10' }), ['enable.idempotence=true'])).toBe(
      '--set enable.idempotence=true: "config.enable.idempotence": is not a config of Kafka 0.10: it came in 0.11 (KIP-98); remove it, or set kafkaVersion to 0.11 or later',
    );
    expect(refusal(base({ kafkaVersion: '2.0', producers: [{ name: 'p1', az: 'use1-az1', topic: 't', ratePerSec: 10, config: { 'delivery.timeout.ms': 60000 } }] }))).toMatch(
      /^invalid scenario: "producers\[0\]\.config\.delivery\.timeout\.ms": is not a config of Kafka 2\.0: it came in 2\.1 \(KIP-91\)/,
    );
    expect(refusal(base({ kafkaVersion: '2.2' }), ['group.instance.id=a'])).toMatch(/"config\.group\.instance\.id": is not a config of Kafka 2\.2: it came in 2\.3 \(KIP-345\)/);
    expect(refusal(base({ kafkaVersion: '2.6' }), ['socket.connection.setup.timeout.ms=5000'])).toMatch(/came in 2\.7 \(KIP-601\)/);
    expect(refusal(base({ kafkaVersion: '0.10' }), ['group.initial.rebalance.delay.ms=0'])).toMatch(/came in 0\.11 \(KIP-134\)/);
  });

  it('refuses an assignor the version lacks and names the ones it has', () => {
    expect(refusal(base({ kafkaVersion: '2.3' }), ['partition.assignment.strategy=cooperative-sticky'])).toBe(
      '--set partition.assignment.strategy=cooperative-sticky: "config.partition.assignment.strategy": "cooperative-sticky" is not in Kafka 2.3: it came in 2.4 (KIP-429); use "range" or "roundrobin" or "sticky", or set kafkaVersion to 2.4 or later',
    );
    expect(refusal(base({ kafkaVersion: '0.10' }), ['partition.assignment.strategy=sticky'])).toMatch(/"sticky" is not in Kafka 0\.10: it came in 0\.11 \(KIP-54\); use "range" or "roundrobin"/);
  });

  it('accepts each key from the release that brought it, and every key without a kafkaVersion', () => {
    expect(() => resolve(base({ kafkaVersion: '0.11' }), ['enable.idempotence=true'])).not.toThrow();
    expect(() => resolve(base({ kafkaVersion: '2.1' }), ['delivery.timeout.ms=60000'])).not.toThrow();
    expect(() => resolve(base({ kafkaVersion: '2.4' }), ['partition.assignment.strategy=cooperative-sticky'])).not.toThrow();
    expect(() => resolve(base({ era: 'hw-truncation', metadataMode: 'zookeeper' }), ['enable.idempotence=true', 'delivery.timeout.ms=60000'])).not.toThrow();
  });

  it('left unset, a key takes what the version did instead, and its source says why', () => {
    const old = built(base({ kafkaVersion: '1.1' }));
    const p = old.producers[0].config;
    expect(p['delivery.timeout.ms']).toBeNull();
    expect(p['socket.connection.setup.timeout.ms']).toBe(127000);
    expect(p['socket.connection.setup.timeout.max.ms']).toBe(127000);
    expect(old.consumerGroups![0].members[0].config['group.instance.id']).toBeNull();
    const zero = built(base({ kafkaVersion: '0.10' }), ['reconnect.backoff.ms=200']);
    expect(zero.producers[0].config['reconnect.backoff.max.ms']).toBe(200);
    expect(zero.producers[0].config['enable.idempotence']).toBe(false);
    expect(zero.brokerConfig['group.initial.rebalance.delay.ms']).toBe(0);
    const s = sourcesOf(base({ kafkaVersion: '1.1' }));
    expect(s['producers.p1']['delivery.timeout.ms'].value).toBeNull();
    expect(s['producers.p1']['delivery.timeout.ms'].source).toMatch(/^not in Kafka 1\.1 \(came in 2\.1, KIP-91\): no delivery timeout: a batch waiting in the accumulator expires request\.timeout\.ms/);
    const consumer = Object.keys(s).find((k) => k.startsWith('consumers.'))!;
    expect(s[consumer]['group.instance.id'].source).toMatch(/^not in Kafka 1\.1 \(came in 2\.3, KIP-345\): no static membership/);
    expect(sourcesOf(base({ kafkaVersion: '2.3' }))[consumer]['group.instance.id'].source).toBe('default');
    // From the release that has it: the catalog's value and source.
    const now = built(base({ kafkaVersion: '2.8' }));
    expect(now.producers[0].config['delivery.timeout.ms']).toBe(120000);
    expect(now.producers[0].config['socket.connection.setup.timeout.ms']).toBe(10000);
    expect(now.producers[0].config['socket.connection.setup.timeout.max.ms']).toBe(30000);
    // 2.7 had the key with a 127 s cap.
    expect(built(base({ kafkaVersion: '2.7' })).producers[0].config['socket.connection.setup.timeout.max.ms']).toBe(127000);
  });

  it('the versions table lists what each version lacks, and no default for a key it lacks', () => {
    const rows = kafkaVersionTable().split('\n');
    const row = (v: string) => rows.find((r) => r.startsWith(`| ${v} |`))!;
    expect(row('1.1')).toMatch(/delivery\.timeout\.ms \(KIP-91\)/);
    expect(row('2.1')).not.toMatch(/delivery\.timeout\.ms/);
    expect(row('0.10')).toMatch(/enable\.idempotence \(KIP-98\)/);
    expect(row('0.10')).not.toMatch(/enable\.idempotence=false/);
    expect(row('0.11')).toMatch(/enable\.idempotence=false/);
    expect(row('4.1').endsWith('| - |')).toBe(true);
  });

  it('an idempotent producer of Kafka 0.11 has one request in flight (KafkaProducer.configureInflightRequests); 1.0 allows five (KAFKA-5494)', () => {
    expect(built(base({ kafkaVersion: '0.11' }), ['enable.idempotence=true']).producers[0].config['max.in.flight.requests.per.connection']).toBe(1);
    expect(sourcesOf(base({ kafkaVersion: '0.11' }), ['enable.idempotence=true'])['producers.p1']['max.in.flight.requests.per.connection'].source).toMatch(/^implicit: KafkaProducer 0\.11 lowers it to 1/);
    expect(refusal(base({ kafkaVersion: '0.11' }), ['enable.idempotence=true', 'max.in.flight.requests.per.connection=2'])).toMatch(
      /max\.in\.flight\.requests\.per\.connection <= 1 \(Kafka 0\.11; up to 5 from 1\.0, KAFKA-5494\), but max\.in\.flight\.requests\.per\.connection is 2/,
    );
    expect(built(base({ kafkaVersion: '1.0' }), ['enable.idempotence=true']).producers[0].config['max.in.flight.requests.per.connection']).toBe(5);
    expect(built(base({ kafkaVersion: '0.11' })).producers[0].config['max.in.flight.requests.per.connection']).toBe(5);
  });
});
