// A protocol flaw is blamed on what the broker whose code had it ran, not on the follower that
// reported it. KAFKA-7415's UNDEFINED_EPOCH_OFFSET is the leader's answer (2.0's
// Partition.lastOffsetForLeaderEpoch asks the leader's LeaderEpochFileCache.endOffsetFor; 2.1 fixed
// it there), so in a cluster part-way through an upgrade to 2.1 a follower already on 2.1 still
// gets it from a 1.1 leader: the verdict names the leader's 1.1 ("b1 on Kafka 1.1"), not the
// follower's 2.1, which has the fix. The run is undefined-epoch-offset-splice.test.ts's with its
// faults named by broker and b2 upgraded to 2.1 first: b1 loses power, the controller misses its
// bounce (KIP-380) and elects it with an empty log when b3 crashes; b2 (2.1) and later b3 (1.1) ask
// b1 where their epoch ended and keep records b1 never had (then stop: see the last case). Follower-side flaws (KAFKA-7164,
// KIP-320) keep the follower's label: upgrade-cases.test.ts.
// b2's upgrade starts at 0.3 s, once the brokers know the controller: at 0.1 s, as the controller is
// first elected, its controlled shutdown finds none registered and sleeps
// controlled.shutdown.retry.backoff.ms (5 s, KafkaServer.controlledShutdown), so b2 would stop after
// both faults, out of every ISR, and b1 would lead alone with nothing to serve.
import { describe, expect, it } from 'vitest';
import checkSmall from '../models/kafka/presets/check-small.scenario.json' with { type: 'json' };
import { runScenario } from '../models/kafka/testing/scenario-run.ts';

const scenario = {
  ...structuredClone(checkSmall),
  seed: '0',
  kafkaVersion: '1.1',
  faults: [
    { atMs: 2199, kind: 'power-loss', node: 'b1', durationMs: 1 },
    { atMs: 5001, kind: 'crash', node: 'b3', durationMs: 6000 },
  ],
  operations: [{ atMs: 300, kind: 'upgrade', brokers: ['b2'], to: '2.1', durationMs: 50 }],
};
const settings = ['acks="all"', 'min.insync.replicas=2', 'unclean.leader.election.enable=false', 'enable.idempotence=true', 'leader.imbalance.check.interval.seconds=5', 'broker.rack="az"'];

describe('KAFKA-7415 in a mixed-version cluster: blamed on the answering leader\'s version', () => {
  const run = runScenario(scenario, settings);
  const flaws = run.events.filter(([, , e]) => e.type === 'protocol-flaw' && e.flaw === 'undefined-epoch-offset');

  // b2 asks again after each answer while b1's log ends below b2's high watermark (its fetch at 96 is
  // out of range): until p1's first batch reaches b1, 0.2 s after the election. b3, back later, asks once.
  it('b2, on 2.1, and b3, on 1.1, are both answered UNDEFINED_EPOCH_OFFSET by b1, on 1.1, for epoch 2 of orders-1', () => {
    expect(run.events.filter(([, , e]) => e.type === 'version-change').map(([, node, e]) => `${node} ${e.software}`)).toEqual(['b2 2.1']);
    expect([...new Set(flaws.map(([, node]) => node))]).toEqual(['b2', 'b3']);
    expect(flaws.filter(([, node]) => node === 'b3')).toHaveLength(1);
    for (const [, , e] of flaws) expect([e.partition, e.leaderEpoch]).toEqual(['orders-1', 2]);
    const epoch2 = run.events.filter(([, , e]) => e.type === 'election' && e.partition === 'orders-1' && e.leaderEpoch === 2);
    expect(epoch2.map(([, , e]) => e.leader)).toEqual(['b1']);
    // b2's last answer is the one in flight when b1 first appends; its next fetch at 96 finds the batch
    const b1FirstAppendUs = run.events.find(([t, node, e]) => node === 'b1' && e.type === 'append' && e.partition === 'orders-1' && t > epoch2[0][0])![0];
    const b2Answered = flaws.filter(([, node]) => node === 'b2').map(([t]) => t);
    expect(b2Answered.filter((t) => t > b1FirstAppendUs)).toHaveLength(1);
    expect(b2Answered[0]).toBeGreaterThan(epoch2[0][0]);
  });

  it('the path b2 took is blamed on b1 on Kafka 1.1, not on b2 on Kafka 2.1', () => {
    const named = run.report.violations.filter((v) => String(v.reason).includes('b2, asking the leader of epoch'));
    expect(named.length).toBeGreaterThan(0);
    for (const v of named) {
      expect(v).toMatchObject({ classification: 'permitted', permittedBy: 'version', flaws: ['KAFKA-7415'] });
      expect(String(v.reason)).toMatch(/^b1 on Kafka 1\.1: b2, asking the leader of epoch 2 at [\d.]+s where its epoch 1 ended, was answered UNDEFINED_EPOCH_OFFSET/);
    }
    expect(JSON.stringify(run.report.violations)).not.toContain('b2 on Kafka 2.1');
  });

  // Logs are batch-granular: b1 serves a fetch from 96 from the start of the batch holding 96 (LogSegment.read), which
  // starts at 0, below the follower's LEO; before 2.3 (KIP-461) that ends the follower's fetcher thread. b2 (2.1) and
  // b3 (1.1) both stop there with their kept records, so the one divergence reported is b2's, the first on that path.
  it('b2 and b3, handed b1\'s batch at 0 for their fetch at 96, both end their fetchers; the divergence names b2\'s path, blamed on b1 on Kafka 1.1', () => {
    const failed = run.events.filter(([, , e]) => e.type === 'fetcher-failed' && e.partition === 'orders-1');
    expect(failed.map(([, node, e]) => [node, e.leader, e.fetchOffset, e.batchBaseOffset])).toEqual([['b2', 'b1', 96, 0], ['b3', 'b1', 96, 0]]);
    const divergence = run.report.violations.filter((v) => v.property === 'log-divergence');
    expect(divergence).toHaveLength(1);
    expect(String(divergence[0].reason)).toMatch(/^b1 on Kafka 1\.1: b2, asking the leader of epoch 2 at [\d.]+s where its epoch 1 ended/);
  });
});
