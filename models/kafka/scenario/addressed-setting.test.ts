// `--set` as a Kafka user means it: one client, group or topic by name, dotted field names the
// README documents, where every effective value came from, Kafka's implicit idempotence, and a
// shorter --set durationMs that would cut a scenario's own faults off.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { caseArbitrary } from '../../../src/explore/check-runner.ts';
import { resolveScenario } from '../../../src/scenario/resolve-scenario.ts';
import { SeededChoices } from '../../../src/sim/seeded-choices.ts';
import { MODELS } from '../../index.ts';
import { kafkaDefinition } from '../kafka-definition.ts';
import { buildKafkaScenario } from './build-kafka-scenario.ts';
import type { KafkaScenarioInput } from './kafka-scenario-schema.ts';
import { refusal } from '../testing/scenario-run.ts';

const scenario = () => ({
  model: 'kafka',
  durationMs: 10_000,
  topics: [
    { name: 'orders', partitions: 2 },
    { name: 'audit', partitions: 1, config: { 'retention.ms': 5000 } },
  ],
  producers: [
    { name: 'p1', az: 'use1-az1', topic: 'orders', ratePerSec: 10, config: { acks: 'all' } },
    { name: 'p2', az: 'use1-az2', topic: 'audit', ratePerSec: 10 },
  ],
  consumerGroups: [
    { 'group.id': 'billing', topics: ['orders'], members: [{ name: 'm1', az: 'use1-az1' }, { name: 'm2', az: 'use1-az2', config: { 'max.poll.records': 9 } }] },
    { 'group.id': 'audit', topics: ['audit'], members: 1 },
  ],
});

const resolve = (settings: string[], raw: Record<string, unknown> = scenario()) => resolveScenario(raw, [kafkaDefinition], { settings });
const kafkaOf = (settings: string[], raw?: Record<string, unknown>) =>
  buildKafkaScenario(resolve(settings, raw).scenario as unknown as KafkaScenarioInput, new SeededChoices('1').stream('kafka.assignment'));
const errorOf = (settings: string[], raw?: Record<string, unknown>): string => refusal(raw ?? scenario(), settings);

describe('--set of one named thing', () => {
  it('sets one producer, group, member or topic by name (or index), leaving the others as they are', () => {
    const k = kafkaOf([
      'producers.p2.acks=1',
      'producers.0.config.linger.ms=50',
      'groups.billing.commit=before-processing',
      'groups.audit.max.poll.records=20',
      'consumerGroups.billing.members.m1.max.poll.records=3',
      'topics.orders.min.insync.replicas=1',
      'topics.audit.log.retention.ms=7000',
    ]);
    expect(k.producers.map((p) => p.config.acks)).toEqual(['all', '1']);
    expect(k.producers.map((p) => p.config['linger.ms'])).toEqual([50, 5]);
    const [billing, audit] = k.consumerGroups!;
    expect(billing.members.map((m) => m.commit)).toEqual(['before-processing', 'before-processing']);
    expect(audit.members.map((m) => m.commit)).toEqual(['after-processing']);
    expect(billing.members.map((m) => m.config['max.poll.records'])).toEqual([3, 9]);
    expect(audit.members.map((m) => m.config['max.poll.records'])).toEqual([20]);
    expect(k.topics.map((t) => t.config['min.insync.replicas'])).toEqual([1, 2]);
    expect(k.topics.map((t) => t.config['log.retention.ms'])).toEqual([604_800_000, 7000]);
  });

  it('one member of a group whose members are a count: named as the scenario names them, the others and their AZs unchanged', () => {
    const plain = kafkaOf([]).consumerGroups![1];
    const k = kafkaOf(['groups.audit.members.audit-1.max.poll.records=4']).consumerGroups![1];
    expect(k.members.map((m) => [m.name, m.az, m.config['max.poll.records']])).toEqual([['audit-1', plain.members[0].az, 4]]);
    const three = { ...scenario(), cluster: { azs: ['use1-az2', 'use1-az1'] }, consumerGroups: [{ 'group.id': 'billing', topics: ['orders'], members: 3 }] };
    const before = kafkaOf([], three).consumerGroups![0].members;
    const after = kafkaOf(['groups.billing.members.billing-2.session.timeout.ms=6000'], three).consumerGroups![0].members;
    expect(after.map((m) => [m.name, m.az])).toEqual(before.map((m) => [m.name, m.az]));
    expect(after.map((m) => m.name)).toEqual(['billing-1', 'billing-2', 'billing-3']);
    expect(after.map((m) => m.config['session.timeout.ms'])).toEqual([before[0].config['session.timeout.ms'], 6000, before[2].config['session.timeout.ms']]);
    expect(errorOf(['groups.billing.members.billing-4.max.poll.records=1'], three)).toMatch(/consumer group "billing" has no member "billing-4".*; its members are "billing-1", "billing-2", "billing-3"$/);
  });

  it('a cluster-wide client key replaces every client’s own value; an addressed one after it wins for its client', () => {
    expect(kafkaOf(['acks=1']).producers.map((p) => p.config.acks)).toEqual(['1', '1']);
    expect(kafkaOf(['acks=1', 'producers.p1.acks=0']).producers.map((p) => p.config.acks)).toEqual(['0', '1']);
    expect(kafkaOf(['max.poll.records=50']).consumerGroups!.flatMap((g) => g.members.map((m) => m.config['max.poll.records']))).toEqual([50, 50, 50]);
  });

  it('refuses a name the scenario does not have, listing the names it has', () => {
    expect(errorOf(['producers.p9.acks=1'])).toBe('--set producers.p9.acks: the scenario has no producer "p9" (did you mean "p1"?); its producers are "p1", "p2"');
    expect(errorOf(['groups.biling.commit=auto'])).toBe('--set groups.biling.commit: the scenario has no consumer group "biling" (did you mean "billing"?); its consumer groups are "billing", "audit"');
    // Each collection named as such, not by the field that names its items ("its name values are orders").
    const oneTopic = { ...scenario(), topics: [{ name: 'orders', partitions: 2 }], producers: [scenario().producers[0]], consumerGroups: [scenario().consumerGroups[0]] };
    expect(errorOf(['topics.nosuch.min.insync.replicas=2'], oneTopic)).toBe('--set topics.nosuch.min.insync.replicas: the scenario has no topic "nosuch"; its topic is "orders"');
    expect(errorOf(['topics.nosuch.min.insync.replicas=2'])).toBe('--set topics.nosuch.min.insync.replicas: the scenario has no topic "nosuch"; its topics are "orders", "audit"');
    expect(errorOf(['groups.billing.members.m3.max.poll.records=1'])).toBe('--set groups.billing.members.m3.max.poll.records: consumer group "billing" has no member "m3" (did you mean "m1"?); its members are "m1", "m2"');
    expect(errorOf(['groups.x.commit=auto'], { ...oneTopic, consumerGroups: [] })).toBe('--set groups.x.commit: the scenario has no consumer group "x"; it has no consumer groups');
    expect(errorOf(['producers.p1.config.max.poll.records=5'])).toBe('--set producers.p1.config.max.poll.records: "max.poll.records" is not a producer config key');
    expect(errorOf(['producers.p1.ratePerSecond=5'])).toBe('--set producers.p1.ratePerSecond: "ratePerSecond" is neither a producer config key nor a field of the producer (did you mean "ratePerSec"?)');
    // A key's typo suggests the key, not the nearest field ("az"), as a cluster-wide --set ack=1 does.
    expect(errorOf(['producers.p1.ack=1'])).toMatch(/"ack" is neither a producer config key nor a field of the producer \(did you mean "acks"\?\)$/);
    expect(errorOf(['groups.billing.members.m1.procesingMs=1'])).toMatch(/\(did you mean "processingMs"\?\)$/);
    expect(errorOf(['topics.orders.retention.mss=5'])).toMatch(/"retention.mss" is neither a topic config key nor a field of the topic \(did you mean "retention.ms"\?\)$/);
  });

  it('refuses a coarse time key on one topic with the topic-level .ms key to write there, converted', () => {
    expect(errorOf(['topics.orders.log.retention.hours=1'])).toMatch(/"log.retention.hours" is Kafka's hours form of log.retention.ms; .*: write topics.orders.retention.ms=3600000$/);
    expect(errorOf(['topics.audit.retention.minutes=2'])).toMatch(/"retention.minutes" is not a Kafka config key .*: write topics.audit.retention.ms=120000$/);
    expect(errorOf(['topics.orders.log.roll.hours=1'])).toMatch(/write topics.orders.segment.ms=3600000$/);
  });

  it('takes the dotted field names the README documents: cluster.broker.rack, config.<Kafka key>', () => {
    expect(kafkaOf(['cluster.broker.rack=none']).brokers.every((b) => b.rack === null)).toBe(true);
    expect(kafkaOf(['config.min.insync.replicas=1']).topics[0].config['min.insync.replicas']).toBe(1);
  });
});

describe('where each value came from', () => {
  const sources = (settings: string[]) => {
    const r = resolve(settings);
    return kafkaDefinition.configSources!(r.scenario as unknown as KafkaScenarioInput, r.settings);
  };

  it('names --set, the scenario field, the preset or the default, per client', () => {
    const s = sources(['acks=1', 'groups.billing.max.poll.records=40']);
    expect(s['producers.p1'].acks).toEqual({ value: '1', source: '--set acks' });
    expect(s['producers.p2'].acks).toEqual({ value: '1', source: '--set acks' });
    expect(s['consumers.m1']['max.poll.records']).toEqual({ value: 40, source: '--set groups.billing.max.poll.records' });
    expect(s['consumers.m2']['max.poll.records']).toEqual({ value: 9, source: 'scenario consumerGroups[0].members[1].config.max.poll.records' });
    expect(s['topics.audit']['log.retention.ms']).toEqual({ value: 5000, source: 'scenario topics[1].config.log.retention.ms' });
    expect(s.brokers['unclean.leader.election.enable']).toEqual({ value: true, source: 'preset msk' });
    expect(s.brokers['replica.lag.time.max.ms']).toEqual({ value: 30_000, source: 'default' });
    expect(sources([])['producers.p1'].acks).toEqual({ value: 'all', source: 'scenario producers[0].config.acks' });
  });

  it('says when Kafka’s rule between keys decided a value (implicit idempotence off under acks=1)', () => {
    expect(sources(['acks=1'])['producers.p1']['enable.idempotence']).toEqual({
      value: false,
      source: expect.stringMatching(/^implicit: KafkaProducer turns idempotence off .* \(default gave true\)$/),
    });
    expect(sources([])['producers.p1']['enable.idempotence']).toEqual({ value: true, source: 'default' });
  });
});

describe('Kafka’s implicit idempotence', () => {
  it('turns off under acks=1 when not set, and an explicit enable.idempotence=true with acks=1 is refused', () => {
    expect(kafkaOf(['acks=1']).producers.map((p) => p.config['enable.idempotence'])).toEqual([false, false]);
    expect(errorOf(['acks=1', 'enable.idempotence=true'])).toMatch(/enable.idempotence=true needs acks=all.*ConfigException/);
  });

  it('ksim check leaves enable.idempotence to Kafka when acks, retries or in-flight requests are fixed', () => {
    const raw = { ...scenario(), producers: [{ name: 'p1', az: 'use1-az1', topic: 'orders', ratePerSec: 10 }] };
    const explored = (settings: string[], rawScenario: Record<string, unknown> = raw) =>
      new Set(
        fc
          .sample(caseArbitrary({ raw: rawScenario, models: MODELS, settings, runs: 1, seed: 1 }), { seed: 1, numRuns: 5 })
          .flatMap((c) => c.settings.map((s) => s.split('=')[0])),
      );
    expect(explored([]).has('enable.idempotence')).toBe(true);
    expect(explored(['acks=1']).has('enable.idempotence')).toBe(false);
    expect(explored(['retries=0']).has('enable.idempotence')).toBe(false);
    // stated by the scenario for one producer, as a --set would
    expect(explored([], scenario()).has('enable.idempotence')).toBe(false);
  });
});

describe('--set durationMs shorter than the scenario’s faults', () => {
  const withFaults = () => ({ ...scenario(), durationMs: 60_000, faults: [{ atMs: 8000, kind: 'isolate-az', az: 'use1-az1', durationMs: 12_000 }] });

  it('says which flags run it', () => {
    expect(errorOf(['durationMs=5000'], withFaults())).toBe(
      "--set durationMs=5000 ends the run before 1 of the scenario's 1 faults (the last starts at 8000 ms, all are over at 20000 ms); use --set durationMs=20000 or more, or add --set faults=[] to run without them",
    );
    expect(() => resolve(['durationMs=20000'], withFaults())).not.toThrow();
    expect(() => resolve(['durationMs=5000', 'faults=[]'], withFaults())).not.toThrow();
  });
});

describe('a scenario that states one thing twice, in conflict', () => {
  it('refuses two assignors in one group, naming the member (Kafka: INCONSISTENT_GROUP_PROTOCOL)', () => {
    const mixed = ['consumerGroups.billing.members.m2.partition.assignment.strategy=cooperative-sticky'];
    expect(errorOf(mixed)).toBe(
      '--set consumerGroups.billing.members.m2.partition.assignment.strategy=cooperative-sticky: "consumerGroups[0].members[1].config.partition.assignment.strategy": member "m2" uses cooperative-sticky but "m1" uses range in group "billing"; Kafka refuses a member whose assignor the group does not share (INCONSISTENT_GROUP_PROTOCOL): set partition.assignment.strategy once, in the group\'s "config"',
    );
    // Set for the whole group (or for every member alike), it is one assignor.
    expect(kafkaOf(['groups.billing.partition.assignment.strategy=cooperative-sticky']).consumerGroups![0].members.map((m) => m.config['partition.assignment.strategy'])).toEqual([
      'cooperative-sticky',
      'cooperative-sticky',
    ]);
  });

  it('refuses a key stated twice in one config map, by its two names', () => {
    const raw = { ...scenario(), topics: [{ name: 'orders', config: { 'retention.ms': 1000, 'log.retention.ms': 2000 } }], producers: [], consumerGroups: [] };
    expect(errorOf([], raw)).toMatch(/"topics\[0\]\.config\.log\.retention\.ms": "log\.retention\.ms" sets log\.retention\.ms a second time/);
  });
});
