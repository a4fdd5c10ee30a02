// lost-write's blame for KIP-966's last replica standing (loss-causes.ts, rule 1): a replica that
// left the ISR below min.insync.replicas kept a record the last ISR member lost to power loss, and
// that member was elected again; which version, or the fault load, permits it.
import { describe, expect, it } from 'vitest';
import type { Violation } from '../../../src/sim/model.ts';
import { finalPartition, TestRun } from './kafka-test-run.ts';

const lostWrites = (violations: Violation[]) => violations.filter((v) => v.property === 'lost-write');

/**
 * r1 reaches all three; b3 leaves the ISR (still at min ISR 2), then b2 (below it: the ELR's
 * member from 4.1), having crashed at 150 ms if `b2Crashes` (its copy survives in the page cache).
 */
const shrunkBelowMinIsr = (run: TestRun, b2Crashes = false): TestRun => {
  run = run
    .election(0, 'initial', 'b1', 0, ['b1', 'b2', 'b3'], 0)
    .sendAndAck(10, 'p1', [1], 0, 0)
    .append(10, 'b1', [1], 0, 0, 'leader')
    .append(11, 'b2', [1], 0, 0)
    .append(11, 'b3', [1], 0, 0)
    .isr(100, 'isr-shrink', ['b1', 'b2'], 0);
  return (b2Crashes ? run.down(150, 'b2') : run).isr(200, 'isr-shrink', ['b1'], 0);
};

describe("lost-write: KIP-966's last replica standing", () => {
  it("the version's weakness without ELR (4.0), a breach with ELR on (4.1), the fault load when no replica stood with it", () => {
    // b1, the last ISR member, loses power with r1 and is elected again.
    const lose = (kafkaVersion: '2.1' | '3.9' | '4.0' | '4.1', b2Lost = false, metadataMode: 'kraft' | 'zookeeper' = 'kraft') => {
      let run = shrunkBelowMinIsr(new TestRun({ kafkaVersion, metadataMode })).logLost(500, 'b1', 1, 0, [1]);
      if (b2Lost) run = run.logLost(500, 'b2', 1, 0, [1]).logLost(500, 'b3', 1, 0, [1]);
      return lostWrites(run.election(900, 'clean', 'b1', 1, ['b1'], 0, 'b1').finish(1000, [finalPartition('orders-0', 'b1', 1, ['b1'], [{ broker: 'b1', records: [] }])]).violations);
    };
    const old = lose('4.0');
    expect([old[0].classification, old[0].permittedBy]).toEqual(['permitted', 'version']);
    expect(old[0].reason).toMatch(
      /though b2, which left the ISR below min\.insync\.replicas, still held it \(KIP-966's last replica standing: KIP-966 \(ELR\), fixed in Kafka 4\.1: without it the last ISR member leads again .*\(KRaft\)\)$/,
    );
    // ELR is KRaft's: in ZooKeeper mode no version has the fix, as KIP-903's; KRaft 3.9 lacks it
    for (const [version, mode] of [['2.1', 'zookeeper'], ['3.9', 'zookeeper'], ['3.9', 'kraft']] as const) {
      const [v] = lose(version, false, mode);
      expect([v.classification, v.permittedBy, v.flaws]).toEqual(['permitted', 'version', ['KIP-966']]);
      const kraftOnly = /\(KIP-966's last replica standing: KIP-966 \(ELR\), fixed in Kafka 4\.1 for KRaft only; ZooKeeper mode never got the fix: without it the last ISR member leads again [^()]*\)$/;
      if (mode === 'zookeeper') expect(v.reason).toMatch(kraftOnly);
      else expect(v.reason).not.toMatch(/ZooKeeper mode/);
    }
    // A 4.0 cluster whose brokers were upgraded to 4.1 keeps ELR off, and says why.
    const upgraded = shrunkBelowMinIsr(new TestRun({ kafkaVersion: '4.0', metadataMode: 'kraft' }));
    upgraded.scenario.operations.push({ atMs: 0, kind: 'upgrade', brokers: ['b1', 'b2', 'b3'], to: '4.1', durationMs: 100, isrWaitMs: 0 });
    const after = lostWrites(upgraded.logLost(500, 'b1', 1, 0, [1]).election(900, 'clean', 'b1', 1, ['b1'], 0, 'b1').finish(1000, [finalPartition('orders-0', 'b1', 1, ['b1'], [{ broker: 'b1', records: [] }])]).violations);
    expect([after[0].classification, after[0].permittedBy]).toEqual(['permitted', 'version']);
    expect(after[0].reason).toMatch(/this cluster was created on Kafka 4\.0, and upgrading it to 4\.1 leaves ELR off \(eligible\.leader\.replicas\.version is on only for clusters created on 4\.1\)\)$/);
    expect(old[0].reason).not.toMatch(/upgrading it/);
    const elr = lose('4.1');
    expect(elr[0].classification).toBe('breach');
    expect(elr[0].reason).toMatch(/though b2, which left the ISR below min\.insync\.replicas, still held it: with Eligible Leader Replicas on \(Kafka 4\.1\) it was in the ELR and should have been elected \(KIP-966\)$/);
    // decoy: every replica lost it; no replica stood with it, so the fault load, with or without ELR
    for (const v of ['4.0', '4.1'] as const) expect([lose(v, true)[0].classification, lose(v, true)[0].permittedBy]).toEqual(['permitted', 'fault-load']);
  });

  it("one that came back from an unclean shutdown: no version trusts it (out of the ELR as it registers), the fault load; 4.1 elects the last known leader", () => {
    // As above, but b2 crashed as it left and restarts before b1's election: 4.1 takes it out of
    // the ELR (handleBrokerUncleanShutdown) and elects the last known leader b1
    // (canElectLastKnownLeader); 4.0 would not have done better.
    const lose = (kafkaVersion: '4.0' | '4.1', b2UpAtMs: number, rejoin = false) => {
      let run = shrunkBelowMinIsr(new TestRun({ kafkaVersion }), true);
      if (b2UpAtMs < 500) run = run.up(b2UpAtMs, 'b2');
      // decoy: back in the ISR after its restart and out again below min ISR, it is trusted again
      if (rejoin) run = run.isr(b2UpAtMs + 50, 'isr-expand', ['b1', 'b2'], 0).isr(b2UpAtMs + 100, 'isr-shrink', ['b1'], 0);
      const kind = kafkaVersion === '4.1' ? 'last-known-leader' : 'clean';
      run = run.logLost(500, 'b1', 1, 0, [1]).election(900, kind, 'b1', 1, ['b1'], 0, 'b1');
      if (b2UpAtMs >= 500) run = run.up(b2UpAtMs, 'b2');
      return lostWrites(run.finish(1000, [finalPartition('orders-0', 'b1', 1, ['b1'], [{ broker: 'b1', records: [] }])]).violations);
    };
    for (const version of ['4.0', '4.1'] as const) {
      const [v] = lose(version, 400);
      expect([v.classification, v.permittedBy]).toEqual(['permitted', 'fault-load']);
      expect(v.reason).toMatch(/though b2, which left the ISR below min\.insync\.replicas, still held it: b2 came back from an unclean shutdown at 0\.400s, which takes a replica out of the ELR \(KIP-966: it may have lost unflushed records\), so no replica Kafka could trust had it$/);
    }
    expect(lose('4.1', 400)[0].reason).toMatch(/was elected at 0\.900s as the last known leader \(KIP-966\), though b2/);
    // decoy: still down at the election, b2 is still in the ELR (fenced): 4.1 would have waited for it
    expect([lose('4.0', 950)[0].permittedBy, lose('4.0', 950)[0].flaws]).toEqual(['version', ['KIP-966']]);
    expect(lose('4.1', 950)[0].classification).toBe('breach');
    // decoy: restarted, then back in the ISR and out again below min ISR: in the ELR, trusted
    expect([lose('4.0', 300, true)[0].permittedBy, lose('4.0', 300, true)[0].flaws]).toEqual(['version', ['KIP-966']]);
    expect(lose('4.1', 300, true)[0].classification).toBe('breach');
  });
});

describe("lost-write: the last ISR member lost it and was elected uncleanly while the replica standing with it was down", () => {
  // As the run found it on MSK 4.1 KRaft with unclean.leader.election.enable=true (`ksim check
  // --scenario check-small --set preset=msk --set kafkaVersion=4.1 --set metadataMode=kraft --set
  // unclean.leader.election.enable=true --fail-on breach --seed 12`, run 9): b1 (the ELR's) was shut
  // down, b2 lost power as the last ISR member, registered again after its unclean shutdown (out of
  // the ISR and ELR) and, no ISR or ELR member being alive, was elected uncleanly. ksim called it a
  // breach ("it was in the ELR and should have been elected"): without unclean elections Kafka
  // would have waited for b2 (PartitionChangeBuilder.electAnyLeader), so the configuration lost it.
  const lose = (kafkaVersion: '4.0' | '4.1', kind: 'unclean' | 'clean', unclean: boolean) => {
    const run = shrunkBelowMinIsr(new TestRun({ kafkaVersion, unclean }), true).logLost(500, 'b1', 1, 0, [1]);
    return lostWrites(run.election(900, kind, 'b1', 1, ['b1'], 0, 'b1').finish(1000, [finalPartition('orders-0', 'b1', 1, ['b1'], [{ broker: 'b1', records: [] }])]).violations);
  };
  it('is permitted by the configuration (unclean.leader.election.enable=true), with or without ELR', () => {
    for (const version of ['4.0', '4.1'] as const) {
      const [v] = lose(version, 'unclean', true);
      expect([v.classification, v.permittedBy]).toEqual(['permitted', 'configuration']);
      expect(v.reason).toMatch(/^unclean\.leader\.election\.enable=true: unclean election of b1 at 0\.900s/);
    }
  });
  it('decoy: a clean election of it stays a breach with ELR (4.1) and the version without (4.0), unclean elections enabled or not', () => {
    for (const unclean of [true, false]) {
      expect(lose('4.1', 'clean', unclean)[0].classification).toBe('breach');
      expect([lose('4.0', 'clean', unclean)[0].permittedBy, lose('4.0', 'clean', unclean)[0].flaws]).toEqual(['version', ['KIP-966']]);
    }
  });
});
