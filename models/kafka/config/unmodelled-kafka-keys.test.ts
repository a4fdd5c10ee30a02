// Kafka's own config names that ksim does not model are refused as such, wherever they are
// written (--set cluster-wide, on one producer, group or topic, a scenario's config maps), with the
// reason; keys ksim models, typos and coarse time keys keep their own handling.
import { describe, expect, it } from 'vitest';
import checkSmall from '../presets/check-small.scenario.json' with { type: 'json' };
import { refusal } from '../testing/scenario-run.ts';
import { CONFIG_CATALOG } from './config-catalog.ts';
import { unmodelledKafkaKeyMessage } from './unmodelled-kafka-keys.ts';

const withGroup = () => ({
  ...structuredClone(checkSmall),
  consumerGroups: [{ 'group.id': 'g1', topics: ['orders'], members: 1 }],
});

describe('a Kafka config ksim does not model', () => {
  it('is refused with the reason, by --set at every scope', () => {
    expect(refusal(withGroup(), ['transactional.id=tx'])).toBe(
      `--set transactional.id: "transactional.id" is a Kafka config ksim does not model: transactions are not simulated (idempotent producers are); remove it (the README's "Scenario format" lists the keys ksim models)`,
    );
    expect(refusal(withGroup(), ['producers.p1.compression.type=lz4'])).toMatch(/^--set producers\.p1\.compression\.type: "compression\.type" is a Kafka config ksim does not model: record compression/);
    expect(refusal(withGroup(), ['consumerGroups.g1.isolation.level=read_committed'])).toMatch(/"isolation\.level" is a Kafka config ksim does not model: transactions/);
    expect(refusal(withGroup(), ['topics.orders.config.compression.type=lz4'])).toMatch(/"compression\.type" is a Kafka config ksim does not model/);
    expect(refusal(withGroup(), ['ssl.truststore.location=/x'])).toMatch(/security \(TLS, SASL, ACLs\)/);
    expect(refusal(withGroup(), ['num.network.threads=8'])).toMatch(/"num\.network\.threads" is a Kafka config ksim does not model: nothing in the simulation reads it/);
  });

  it('is refused in a scenario file\'s config maps too', () => {
    const raw = withGroup() as Record<string, unknown> & { producers: { config?: object }[] };
    raw.producers[0].config = { 'transactional.id': 'tx' };
    expect(refusal(raw)).toMatch(/"transactional\.id" is a Kafka config ksim does not model: transactions are not simulated/);
    expect(refusal({ ...withGroup(), config: { 'buffer.memory': 1 } })).toMatch(/"buffer\.memory" is a Kafka config ksim does not model/);
  });

  it('decoys: a key ksim models, a typo and a coarse time key keep their own answers', () => {
    for (const e of CONFIG_CATALOG) {
      expect(unmodelledKafkaKeyMessage(e.key), e.key).toBeUndefined();
      if (e.topicKey) expect(unmodelledKafkaKeyMessage(e.topicKey), e.topicKey).toBeUndefined();
    }
    expect(refusal(withGroup(), ['acks=2'])).not.toMatch(/does not model/);
    expect(refusal(withGroup(), ['min.insync.replica=2'])).toMatch(/unknown config key "min\.insync\.replica" \(did you mean "min\.insync\.replicas"\?\)/);
    expect(refusal(withGroup(), ['log.retention.hours=1'])).toMatch(/log\.retention\.ms=3600000/);
  });
});
