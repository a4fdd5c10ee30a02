// A region-wide power loss on Kafka 4.1 (Eligible Leader Replicas on, KIP-966): every broker is
// fenced, the last leader's ISR empties into the ELR, and every broker registers again after an
// unclean shutdown, which takes it out of the ELR (ReplicationControlManager
// .handleBrokerUncleanShutdown). PartitionChangeBuilder then elects the last known leader
// (lastKnownElr, useLastKnownLeaderInBalancedRecovery) once it is unfenced (KAFKA-19522, 4.1.0),
// so the partitions come back as they did before ELR. ksim once left them offline to the end of
// the run: a false liveness-after-heal breach (`ksim run --scenario study-power-loss --set
// kafkaVersion=4.1 --set log.flush.interval.messages=1 --set acks=all --set durationMs=150000`).
import { describe, expect, it } from 'vitest';
import powerLoss from '../models/kafka/presets/study-power-loss.scenario.json' with { type: 'json' };
import { runScenario } from '../models/kafka/testing/scenario-run.ts';

const settings = (kafkaVersion: string, flushed: boolean) => [`kafkaVersion=${kafkaVersion}`, 'acks=all', 'durationMs=150000', ...(flushed ? ['log.flush.interval.messages=1'] : [])];
const elections = (run: ReturnType<typeof runScenario>, kind: string) => run.events.filter((e) => e[2].type === 'election' && e[2].kind === kind);

describe('a region-wide power loss with Eligible Leader Replicas (Kafka 4.1)', () => {
  it('every record fsynced: the last known leader leads again, every partition recovers and nothing is lost', () => {
    const run = runScenario(powerLoss, settings('4.1', true));
    expect(run.report.violations.filter((v) => v.property === 'liveness-after-heal')).toEqual([]);
    expect(run.report.violations).toEqual([]);
    expect(elections(run, 'last-known-leader').map((e) => e[2].partition)).toEqual(['events-0', 'events-1', 'events-2']);
  }, 60_000);

  it('the page cache lost: the same recovery, and what every replica lost is the fault load, never a breach (as on 4.0)', () => {
    const byClass = (kafkaVersion: string) => {
      const run = runScenario(powerLoss, settings(kafkaVersion, false));
      expect(run.report.violations.some((v) => v.property === 'liveness-after-heal')).toBe(false);
      return run.report.violations.map((v) => `${v.property}: ${v.classification} ${v.permittedBy ?? ''}`);
    };
    const elr = byClass('4.1');
    expect(elr.length).toBeGreaterThan(0);
    expect(new Set(elr)).toEqual(new Set(['lost-write: permitted fault-load', 'inconsistent-offsets: permitted fault-load']));
    expect(byClass('4.0')).toEqual(elr);
  }, 60_000);

  it('min ISR 2: the follower that kept the records came back from a crash first, so 4.1 no longer trusts it and elects the last known leader, which lost them: the fault load, not a breach', () => {
    // b3 (the first leader) crashes for the rest of the run; b1 crashes out of the ISR (its page
    // cache, with the records, survives) and leaves b2 alone below min ISR; b2 loses power; both
    // come back at 25 s after unclean shutdowns: ISR and ELR empty, b2 the last known leader.
    const standing = {
      ...structuredClone(powerLoss),
      durationMs: 70_000,
      config: { 'replica.lag.time.max.ms': 2000, 'min.insync.replicas': 2 },
      topics: [{ name: 'events', partitions: 1, 'replication.factor': 3 }],
      faults: [
        { atMs: 5000, kind: 'crash', node: 'b3', durationMs: 60_000 },
        { atMs: 18_000, kind: 'crash', node: 'b1', durationMs: 7000 },
        { atMs: 22_000, kind: 'power-loss', node: 'b2', durationMs: 3000 },
      ],
    };
    const run = runScenario(standing, ['kafkaVersion=4.1', 'acks=all']);
    expect(elections(run, 'last-known-leader').map((e) => e[2].leader)).toEqual(['b2']);
    const lost = run.report.violations.filter((v) => v.property === 'lost-write');
    expect(lost.length).toBe(1);
    expect([lost[0].classification, lost[0].permittedBy]).toEqual(['permitted', 'fault-load']);
    expect(lost[0].reason).toMatch(/b1 came back from an unclean shutdown at 25\.000s, which takes a replica out of the ELR/);
    expect(run.report.violations.filter((v) => v.classification === 'breach')).toEqual([]);
  }, 60_000);
});
