// hw-above-isr-leo in a rolling upgrade from Kafka 0.10 (ZooKeeper): a leader that KIP-101's flaw
// left short of the committed HW is elected, and what follows is the flaw's, not a breach. Found
// by `ksim check` (seed 11, run 496, shrunk to 2 faults) on 0.10 brokers upgraded to 0.11 software
// from 0.5 s, then restarted one by one from 4 s with inter.broker.protocol.version 0.11 (b1 at
// 7.0 s; b2 and b3 after the run's faults). In orders-1 b2, still at IBP 0.10 after a power loss,
// becomes follower again and truncates to its high watermark (60, far below the committed 243:
// ReplicaFetcherThread before IBP 0.11.0-IV2 has no OffsetsForLeaderEpoch), still in the ISR; b3,
// the leader, crashes and b2 is elected with 60 records, losing the acknowledged ones above. b1,
// already at IBP 0.11, has cached epoch 5 from what it fetched since its restart and asks b2 where
// it ends; b2, whose log holds message format v1 records only (IBP 0.10 writes v1: no epochs
// cached before its own), answers UNDEFINED_EPOCH_OFFSET (LeaderEpochFileCache.endOffsetFor before
// KAFKA-7415) and b1 cuts to its high watermark only. The checker kept comparing with the old
// committed HW and called every later HW a breach (and b1's rejoins KAFKA-7128's): the election of
// a leader the version's flaw left short now gives up the committed records beyond its log, as an
// unclean election does, blamed on KIP-101.
import { describe, expect, it } from 'vitest';
import { runScenario } from '../models/kafka/testing/scenario-run.ts';

const scenario = {
  model: 'kafka',
  name: 'upgrade-0.10-0.11',
  seed: '2130705859',
  durationMs: 20000,
  preset: 'apache',
  kafkaVersion: '0.10',
  metadataMode: 'zookeeper',
  cluster: { brokers: 3, controllers: 3 },
  topics: [{ name: 'orders', partitions: 2, 'replication.factor': 3 }],
  producers: [{ name: 'p1', az: 'use1-az1', topic: 'orders', ratePerSec: 100, keys: 10 }],
  operations: [
    { atMs: 500, kind: 'upgrade', to: '0.11', durationMs: 500 },
    { atMs: 2000, kind: 'rolling-restart', durationMs: 3000, 'inter.broker.protocol.version': '0.11' },
  ],
  faults: [
    { atMs: 6285, kind: 'power-loss', node: '@follower:orders-1', durationMs: 288 },
    { atMs: 7009, kind: 'crash', node: '@leader:orders-1', durationMs: 1650 },
  ],
};
const settings = ['zookeeper.session.timeout.ms=1500', 'unclean.leader.election.enable=false', 'acks=all', 'min.insync.replicas=2', 'leader.imbalance.check.interval.seconds=5', 'log.flush.interval.messages=1', 'broker.rack="az"'];

describe('hw-above-isr-leo: a leader KIP-101 left short, elected mid-upgrade', () => {
  const run = runScenario(scenario, settings);
  const found = run.report.violations.filter((v) => v.property === 'hw-above-isr-leo');

  it('the run: b2 at IBP 0.10 truncates to its HW below the committed offset and is elected cleanly; b1, at IBP 0.11, is answered UNDEFINED_EPOCH_OFFSET by b2 and cuts to its HW', () => {
    const at = (node: string, type: string) => run.events.filter(([, n, e]) => n === node && e.type === type && (e.partition === undefined || e.partition === 'orders-1'));
    expect(at('b1', 'version-change').map(([t, , e]) => `${(t / 1e6).toFixed(1)} ${e.software} ${e.protocolLevel}`)).toContain('7.0 0.11 0.11');
    expect(at('b2', 'truncate').some(([t, , e]) => t > 8e6 && t < 8.2e6 && e.reason === 'high-watermark' && e.toOffset === 60)).toBe(true);
    expect(run.events.some(([t, , e]) => e.type === 'election' && e.partition === 'orders-1' && e.kind === 'clean' && e.leader === 'b2' && t > 8e6 && t < 8.3e6)).toBe(true);
    expect(at('b1', 'protocol-flaw').some(([t, , e]) => t > 9e6 && t < 9.1e6 && e.flaw === 'undefined-epoch-offset' && e.knownLeaderEpoch === 5 && e.leaderEpoch === 6)).toBe(true);
    expect(at('b1', 'truncate').some(([t, , e]) => t > 9e6 && t < 9.1e6 && e.reason === 'high-watermark' && e.toOffset === 243)).toBe(true);
  });

  it('no breach: the election is reported, permitted by the version and blamed on KIP-101; the followers of the new leader are not short', () => {
    expect(found.filter((v) => v.classification === 'breach')).toEqual([]);
    const orders1 = found.filter((v) => String(v.message).includes('in orders-1'));
    expect(orders1).toHaveLength(1);
    expect(orders1[0]).toMatchObject({ classification: 'permitted', permittedBy: 'version', flaws: ['KIP-101'] });
    expect(orders1[0].message).toContain('clean election made b2 leader of epoch 6 (ISR [b2, b1]): ISR member b2 has LEO 60, below the committed HW 243');
    expect(orders1[0].message).not.toContain('leader-epoch truncation');
    expect(JSON.stringify(found)).not.toContain('KAFKA-7128');
  });

  it('every violation of the run is permitted by the version: no breach anywhere', () => {
    expect(run.report.violations.length).toBeGreaterThan(0);
    expect(run.report.violations.filter((v) => v.classification !== 'permitted' || v.permittedBy !== 'version')).toEqual([]);
  });

  it('decoy: the same run with a leader that leaves a follower out of the HW (bug zoo hw-skips-isr-member) is a breach', () => {
    const buggy = runScenario(scenario, [...settings, 'bugs=["hw-skips-isr-member"]']);
    expect(buggy.report.violations.filter((v) => v.property === 'hw-above-isr-leo' && v.classification === 'breach').length).toBeGreaterThan(0);
  });
});
