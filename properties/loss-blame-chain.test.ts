// Which known flaw a lost record is blamed on: the one of the simulated version that lies on the
// record's causal chain, earliest first (the fix that would have prevented the loss), not the last
// step that touched the record (models/kafka/checkers/loss-causes.ts, rule 4).
// - stale-fetch-empty-replica-isr (../shared/cases): b2 loses its disk out of the ISR (7.5 s), a
//   fetch it sent before is released at 9 s and puts the empty b2 back in the ISR; before KIP-380
//   (Kafka 2.2) the ZooKeeper controller misses b2's bounce when its old session expires and leaves
//   it there, and b2 is elected at 14.3 s; b1 and b3 then truncate to it. From 2.2 the controller
//   takes the bounced b2 out of the ISR (KafkaController.BrokerChange, bouncedBrokerIds) and nothing
//   is lost. So on 0.10-2.1 the loss is KIP-380's: it was a breach on 2.0-2.1 and KIP-279's
//   leader-epoch truncation on 0.11-1.1 (the followers' truncation only followed the empty leader;
//   KIP-279's walk back cuts the same records).
// - A stale expansion after the controller handled the bounce: KIP-903's own race, which Kafka
//   fixed in KRaft only (3.5); in ZooKeeper mode a known flaw of every version, not a breach.
// - Decoy: a truncation to the high watermark while the leader still had the record, then a fast
//   leadership move (KIP-101's first scenario), stays KIP-101's on era hw-truncation.
import { describe, expect, it } from 'vitest';
import checkSmall from '../models/kafka/presets/check-small.scenario.json' with { type: 'json' };
import { MODELS } from '../models/index.ts';
import { readSharedCase } from '../models/kafka/testing/shared-cases.ts';
import { runScenario } from '../models/kafka/testing/scenario-run.ts';
import { resolveScenario } from '../src/scenario/resolve-scenario.ts';
import type { RunReport } from '../src/scenario/run-report.ts';
import { runResolved } from '../src/scenario/run-scenario.ts';

const run = (raw: Record<string, unknown>): RunReport => runResolved(resolveScenario(raw, MODELS, { settings: [] }));
const lostWrites = (report: RunReport) => report.violations.filter((v) => v.property === 'lost-write');
const staleFetch = (kafkaVersion: string, metadataMode?: string) => ({ ...readSharedCase('stale-fetch-empty-replica-isr'), era: undefined, kafkaVersion, ...(metadataMode ? { metadataMode } : {}) });

describe('stale-fetch-empty-replica-isr per version: the loss is the missed bounce (KIP-380) wherever it happens', () => {
  for (const version of ['0.10', '0.11', '1.0', '1.1', '2.0', '2.1']) {
    it(`Kafka ${version} (ZooKeeper): permitted by the version, naming KIP-380 and no other flaw`, () => {
      const lost = lostWrites(run(staleFetch(version)));
      expect(lost).toHaveLength(1);
      expect(lost[0]).toMatchObject({ classification: 'permitted', permittedBy: 'version', count: 225, flaws: ['KIP-380'] });
      expect(lost[0].reason).toMatch(
        new RegExp(
          `^b2 lost it to disk-loss at 7\\.500s out of the ISR, was taken back into the ISR without it at 9\\.\\d+s, stayed in it through its old session's expiry \\(at 11\\.500s at the earliest, .*\\) and was elected leader of t-0 at 14\\.300s: the controller missed its bounce: Kafka ${version.replace('.', '\\.')}: KIP-380, fixed in Kafka 2\\.2`,
        ),
      );
    });
  }

  for (const [version, mode] of [['2.2', 'zookeeper'], ['2.4', 'zookeeper'], ['3.4', 'zookeeper'], ['3.4', 'kraft'], ['3.5', 'kraft']] as const) {
    it(`Kafka ${version} (${mode}): nothing lost`, () => {
      expect(lostWrites(run(staleFetch(version, mode)))).toEqual([]);
    });
  }
});

/**
 * The same case with b2's stale fetch held until 15 s: past b2's old session (6 s from about
 * 7.5 s), so a controller with KIP-380 has already handled the bounce when the fetch puts b2 back;
 * b1 is cut off and b3 crashes at 15.3 s.
 */
const lateStaleFetch = (kafkaVersion: string, metadataMode: string) => {
  const raw = staleFetch(kafkaVersion, metadataMode) as unknown as Record<string, unknown> & { faults: Record<string, unknown>[] };
  const faults = raw.faults.map((f, i) => (i === 0 ? { ...f, durationMs: 10000 } : i === 2 ? { ...f, durationMs: 40000 } : i >= 3 ? { ...f, atMs: 15300 } : f));
  return { ...raw, faults, durationMs: 80000, config: { ...(raw.config as object), 'zookeeper.session.timeout.ms': 6000 } };
};

describe('a stale ISR expansion in ZooKeeper mode (KIP-903 fixed KRaft only)', () => {
  for (const version of ['2.1', '2.2', '3.9']) {
    it(`Kafka ${version} (ZooKeeper): the empty b2 taken back after its bounce was handled is KIP-903's flaw, permitted by the version, not a breach nor KIP-380`, () => {
      const lost = lostWrites(run(lateStaleFetch(version, 'zookeeper')));
      expect(lost).toHaveLength(1);
      expect(lost[0]).toMatchObject({ classification: 'permitted', permittedBy: 'version', count: 225, flaws: ['KIP-903'] });
      expect(lost[0].reason).toMatch(
        /^b2 lost it to disk-loss out of the ISR at 7\.500s, was taken back into the ISR without it and elected at 20\.300s: KIP-903, fixed in Kafka 3\.5 for KRaft only; ZooKeeper mode never got the fix: without it a fetch or AlterPartition from before a broker restarted empty can put it back in the ISR$/,
      );
    });
  }

  it('Kafka 3.5 (KRaft, KIP-903): the same faults lose nothing', () => {
    expect(lostWrites(run(lateStaleFetch('3.5', 'kraft')))).toEqual([]);
  });
});

describe("decoy: the era's truncation flaw alone (KIP-101's first scenario)", () => {
  // Drawn by `ksim check` (era hw-truncation, fast-check seed 2, run 3): orders-1's leader loses
  // power for 2 s early on (a bounce the controller misses, but not on the lost records' chain);
  // at 9.35 s two controlled shutdowns of the leader in a row: the first leader's successor's
  // follower truncates to its high watermark though its leader still has the records, then leads.
  it('era hw-truncation: blamed on KIP-101 (the follower cut what its leader still had), not on the earlier missed bounce', () => {
    const drawn = {
      seed: '2147483644',
      faults: [
        { atMs: 2566, kind: 'partition', groups: [['@leader:orders-1'], ['@followers:orders-1']], durationMs: 118 },
        { atMs: 2683, kind: 'power-loss', node: '@leader:orders-1', durationMs: 2004 },
        { atMs: 7922, kind: 'partition', groups: [['@follower:orders-1'], ['@leader:orders-1', '@followers:orders-1']], durationMs: 1442 },
      ],
      operations: [
        { atMs: 9346, kind: 'controlled-shutdown', broker: '@leader:orders-1', durationMs: 38 },
        { atMs: 9360, kind: 'controlled-shutdown', broker: '@leader:orders-1', durationMs: 28 },
      ],
    };
    const settings = ['era=hw-truncation', 'zookeeper.session.timeout.ms=6000', 'acks=all', 'min.insync.replicas=2', 'unclean.leader.election.enable=false', 'enable.idempotence=true'];
    settings.push('replica.lag.time.max.ms=2000', 'replica.fetch.wait.max.ms=50', 'log.flush.interval.messages=1', 'linger.ms=50', 'request.timeout.ms=2000', 'broker.rack=az');
    const { report } = runScenario({ ...structuredClone(checkSmall), ...drawn }, settings);
    const lost = lostWrites(report);
    expect(lost).toHaveLength(1);
    expect(lost[0]).toMatchObject({ classification: 'permitted', permittedBy: 'version', flaws: ['KIP-101'] });
    expect(lost[0].reason).toMatch(/^era hw-truncation: truncation to the high watermark \(KIP-101, fixed in Kafka 0\.11: .*\): b\d cut it at 9\.\d+s, though the leader b\d still had it$/);
  });
});
