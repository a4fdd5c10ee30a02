// inconsistent-offsets blames the cause that displaced the record, not a decoy: a record that
// acks=1 let be acknowledged before the ISR had it, displaced by a clean failover, is the
// producer's setting, even where the new leader had lost other (lower) offsets to a disk loss
// earlier. Found by `ksim check` (check-small, acks=1, seed 1): it blamed the fault load.
import { describe, expect, it } from 'vitest';
import checkSmall from '../models/kafka/presets/check-small.scenario.json' with { type: 'json' };
import { checkSmallWithGroup, runScenario, STRICT_DURABILITY } from '../models/kafka/testing/scenario-run.ts';

const SETTINGS = (
  'enable.idempotence=false retries=0 min.insync.replicas=2 unclean.leader.election.enable=false replica.lag.time.max.ms=30000 replica.fetch.wait.max.ms=500 ' +
  'log.flush.interval.messages=9007199254740991 linger.ms=0 max.in.flight.requests.per.connection=5 request.timeout.ms=30000 auto.leader.rebalance.enable=true ' +
  'leader.imbalance.check.interval.seconds=5 broker.rack=az'
).split(' ');

/**
 * check-small (run seed 0) with two disk losses: orders-0's follower b3 for 0.5 s at 3 s (it
 * rejoins the ISR at 3.6 s), then its leader b2 for 1.5 s at 7 s; b3 is elected at 8.5 s. (The
 * hunt's schedule, the follower for 1 ms at 4.615 s and the leader 7 ms later, no longer elects
 * the follower since a restarted KRaft broker leaves the ISR on registering and rejoins once
 * caught up.)
 */
function run(acks: string) {
  const scenario = {
    ...structuredClone(checkSmall),
    seed: '0',
    faults: [
      { atMs: 3000, kind: 'disk-loss', node: '@follower:orders-0', durationMs: 500 },
      { atMs: 7000, kind: 'disk-loss', node: '@leader:orders-0', durationMs: 1497 },
    ],
  };
  return runScenario(scenario, [`acks=${acks}`, ...SETTINGS]).report.violations.filter((v) => v.property === 'inconsistent-offsets');
}

describe('inconsistent-offsets: what displaced the record', () => {
  it('acks=1: the record acknowledged before the ISR had it is the configuration, not the earlier disk loss of lower offsets', () => {
    const found = run('1');
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ classification: 'permitted', permittedBy: 'configuration' });
    // acks=1 names it, not the disk loss: here the displaced records were truncated away (lost-write's own acks=1 reason)
    expect(String(found[0].reason)).toMatch(/^acks=1(: the displaced record was acknowledged before every in-sync replica had it)?/);
  });

  it('many displaced records read as one reason, not one per record', () => {
    // KIP-279's fast failover on Kafka 1.1 with acks=1 (operation-aim.test.ts): 66 offsets of
    // orders-0 hold two records, each displaced for the same reason.
    const scenario = {
      ...structuredClone(checkSmall),
      faults: [{ atMs: 2000, kind: 'partition', groups: [['@follower:orders-0'], ['@leader:orders-0', '@followers:orders-0']], durationMs: 5000 }],
      operations: [3000, 4000].map((atMs) => ({ atMs, kind: 'controlled-shutdown', broker: '@leader:orders-0', durationMs: 3000 })),
    };
    const found = runScenario(scenario, ['preset=apache', 'kafkaVersion=1.1', 'acks=1']).report.violations.filter((v) => v.property === 'inconsistent-offsets');
    expect(found).toHaveLength(1);
    expect(found[0].count).toBeGreaterThan(20);
    expect(String(found[0].reason).split('; ').length).toBeLessThanOrEqual(2);
    expect(String(found[0].reason)).toMatch(/^acks=1: the displaced record was acknowledged before every in-sync replica had it \(\d+\)/);
  });

  it('an offset DeleteRecords later removed: the record that ended there is the survivor, the displaced one keeps its cause', () => {
    // Found by ksim check on check-small (seed 1, run 762): b2 loses its disk, two controlled
    // shutdowns elect it as the last ISR member (KIP-966's last replica standing), it writes r12 at
    // offset 0 over r2, then DeleteRecords moves the log start past 0. The survivor r12 was
    // classified as if displaced (a breach) because the final log no longer shows offset 0.
    const scenario = {
      ...structuredClone(checkSmall),
      seed: '453300062',
      faults: [{ atMs: 106, kind: 'disk-loss', node: 'b2', durationMs: 1706 }],
      operations: [
        { atMs: 203, kind: 'controlled-shutdown', broker: '@leader:orders-0', durationMs: 1 },
        { atMs: 282, kind: 'controlled-shutdown', broker: '@leader:orders-0', durationMs: 1800 },
        { atMs: 3170, kind: 'delete-records', topic: 'orders', partition: 0, offset: -1 },
      ],
    };
    const settings = (
      'acks=all min.insync.replicas=2 unclean.leader.election.enable=false enable.idempotence=true replica.lag.time.max.ms=30000 replica.fetch.wait.max.ms=500 ' +
      'log.flush.interval.messages=9007199254740991 linger.ms=5 max.in.flight.requests.per.connection=5 request.timeout.ms=30000 auto.leader.rebalance.enable=true leader.imbalance.check.interval.seconds=300'
    ).split(' ');
    const found = runScenario(scenario, settings).report.violations.filter((v) => v.property === 'inconsistent-offsets');
    expect(found.length).toBeGreaterThan(0);
    expect(found.filter((v) => v.classification === 'breach')).toEqual([]);
    expect(found.some((v) => (v.offsets as number[]).includes(0))).toBe(true);
  });

  it('a retried batch appended twice: its copy at the offset is the survivor there, the displaced record keeps its cause', () => {
    // Found by ksim check on MSK 2.1 (ZooKeeper) during a rolling upgrade to 2.2 (seed 3, run 98):
    // b2 loses power as a follower, the upgrade's first controlled shutdown elects it with an empty
    // log (the 2.1 controller missed its bounce: KIP-380), and r352, retried without idempotence,
    // lands at offset 0 in epoch 1 and again at offset 5 in epoch 2, over r6. Offset 5 read as a
    // breach: the final log's first place of r352 is 0, so its copy at 5 was taken for displaced.
    const scenario = checkSmallWithGroup({
      seed: '869571268',
      preset: 'msk',
      kafkaVersion: '2.1',
      metadataMode: 'zookeeper',
      operations: [{ atMs: 4000, kind: 'upgrade', to: '2.2', durationMs: 3000 }],
      faults: [{ atMs: 3462, kind: 'power-loss', node: '@follower:orders-0', durationMs: 1 }],
    });
    const { report } = runScenario(scenario, [...STRICT_DURABILITY, 'broker.rack=az']);
    const found = report.violations.filter((v) => v.property === 'inconsistent-offsets' && v.partition === 'orders-0');
    expect(found.filter((v) => v.classification === 'breach')).toEqual([]);
    expect(found).toHaveLength(1); // offset 5 with the others, one cause
    expect(found[0]).toMatchObject({ classification: 'permitted', permittedBy: 'version' });
    expect(String(found[0].reason)).toMatch(/KIP-380/);
  });

  it('acks=all, the same faults: nothing blamed on the configuration', () => {
    for (const v of run('all')) expect(v.permittedBy).not.toBe('configuration');
  });

  it('an offline partition whose last leader lost the offset: the record a replica still holds there from the latest epoch survived, the deposed leader\'s acks=1 record was displaced', () => {
    // Kafka 2.0, acks=1 (`ksim check` seed 3): b3's controlled shutdown makes b2 leader in epoch 1,
    // but b3, not yet told, still acknowledges r90 at offset 58; b2 writes r91 there and b1 copies
    // it. b2 then loses power for 1 ms and, without KIP-380, the controller misses the bounce: the
    // partition stays offline and its last leader's log is empty. r91 was not displaced (b1 holds
    // it): the acks=1 ack of the deposed leader was. It read as a breach.
    const scenario = {
      ...structuredClone(checkSmall),
      seed: '1637713741',
      faults: [{ atMs: 1080, kind: 'power-loss', node: '@leader:orders-0', durationMs: 1 }],
      operations: [{ atMs: 900, kind: 'controlled-shutdown', broker: '@leader:orders-0', durationMs: 1800 }],
    };
    const settings = ['preset=apache', 'kafkaVersion=2.0', 'acks=1', 'min.insync.replicas=2', 'unclean.leader.election.enable=false', 'broker.rack=az'];
    const { report } = runScenario(scenario, settings);
    const found = report.violations.filter((v) => v.property === 'inconsistent-offsets');
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ classification: 'permitted', permittedBy: 'configuration' });
    expect(String(found[0].reason)).toMatch(/^acks=1: the displaced record was acknowledged before every in-sync replica had it/);
    expect(report.violations.filter((v) => v.classification === 'breach')).toEqual([]);
  });
});
