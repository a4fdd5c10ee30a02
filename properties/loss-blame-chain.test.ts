// Which known flaw a lost record is blamed on: the one of the simulated version that lies on the
// record's causal chain, earliest first (the fix that would have prevented the loss), not the last
// step that touched the record (models/kafka/checkers/loss-causes.ts, rule 4).
// - stale-fetch-empty-replica-isr (../shared/cases): b2 loses its disk out of the ISR (7.5 s), a
//   fetch it sent before is released at 9 s and puts the empty b2 back in the ISR; before KIP-380
//   (Kafka 2.2) the ZooKeeper controller misses b2's bounce when its old session expires and leaves
//   it there, and b2 is elected at 14.3 s; b1 and b3 then truncate to it. From 2.2 the controller
//   takes the bounced b2 out of the ISR (KafkaController.BrokerChange, bouncedBrokerIds) and nothing
//   is lost. On 0.10 b1 and b3 exit rather than truncate to the empty b2 (broker/truncation-halt.ts),
//   keeping the records on disk; so do they on 0.11-2.0, where the empty b2 answers their
//   OffsetsForLeaderEpoch UNDEFINED_EPOCH_OFFSET (LeaderEpochFileCache.endOffsetFor before
//   KAFKA-7415), they truncate only to their high watermarks and their fetch is out of range. So on 0.11-2.1 the loss is KIP-380's: it was a breach on 2.0-2.1 and KIP-279's
//   leader-epoch truncation on 0.11-1.1 (the followers' truncation only followed the empty leader;
//   KIP-279's walk back cuts the same records).
// - A stale expansion after the controller handled the bounce: KIP-903's own race, which Kafka
//   fixed in KRaft only (3.5); in ZooKeeper mode a known flaw of every version, not a breach.
// - A leader elected while it held other records at the acknowledged offsets, kept by a flawed
//   follower path (before KIP-101 a follower cut to its high watermark keeps records where the new
//   leader's log differs): that flaw, as log-divergence names it for the same offsets; it was a
//   breach ("an in-sync copy survived").
// - Not a loss, on the same diverged-leader schedule: a follower cut to its high watermark before
//   KIP-101 kept a producer's older records where its new leader wrote others, appended the
//   leader's after them and was elected: the retries it took as new (duplicates, a reorder) are
//   KIP-101's splice (spliced-log.ts), not a breach.
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
  for (const version of ['0.10', '0.11', '1.0', '1.1', '2.0']) {
    it(`Kafka ${version} (ZooKeeper): b1 and b3 exit rather than truncate to the empty b2: its 225 records lost to the cluster, permitted by KIP-380, a copy kept on their disks`, () => {
      const report = run(staleFetch(version));
      const lost = lostWrites(report);
      expect(lost).toHaveLength(1);
      expect(lost[0]).toMatchObject({ classification: 'permitted', permittedBy: 'version', count: 225, flaws: ['KIP-380'] });
      expect(lost[0].message).toContain('A copy of all of them survives only on the disk of a broker that exited rather than truncate');
      expect(report.analysis['kafka-summary']).toMatchObject({ recordsLost: 225, recordsKeptByExitedBroker: 225 });
    });
  }

  for (const version of ['2.1']) {
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

describe('a replica that restarted empty, taken back into the ISR by a held expansion and elected within its old session', () => {
  // Drawn by `ksim check` (Kafka 2.1, fast-check seed 1, run 14): b1 (out of orders-1's ISR after
  // a controlled shutdown, catching up) loses its unflushed tail to a disk loss at 6.292 s while the
  // leader's AlterPartition taking it back is held (KIP-903's race); the controlled shutdown of the
  // leader at 7.952 s elects b1. The restarted process cannot register before its old session
  // expires (about 12.3 s); on 2.1 it then registers unnoticed and acts on that LeaderAndIsr, the
  // controller's queue still holding it, and leads with its short log; from 2.2 the controller
  // handles its bounce at the expiry, which also elects b3 with every record.
  const drawn = {
    seed: '2147483625',
    faults: [
      { atMs: 5294, kind: 'hold', from: '@leader:orders-1', to: '@active-controller', durationMs: 1536 },
      { atMs: 5878, kind: 'crash', node: '@leader:orders-1', durationMs: 1800 },
      { atMs: 6292, kind: 'disk-loss', node: '@follower:orders-1', durationMs: 516 },
      { atMs: 6292, kind: 'partition', groups: [['@follower:orders-1'], ['@leader:orders-1']], durationMs: 5706 },
    ],
    operations: [
      { atMs: 4214, kind: 'controlled-shutdown', broker: '@follower:orders-1', durationMs: 1242 },
      { atMs: 7952, kind: 'controlled-shutdown', broker: '@leader:orders-1', durationMs: 4048 },
    ],
  };
  const settings = ['preset=apache', 'acks=all', 'min.insync.replicas=2', 'unclean.leader.election.enable=false', 'enable.idempotence=true', 'replica.fetch.wait.max.ms=50'];
  settings.push('auto.leader.rebalance.enable=false', 'leader.imbalance.check.interval.seconds=5', 'broker.rack=az');
  const lost = (version: string) => lostWrites(runScenario({ ...structuredClone(checkSmall), ...drawn }, [...settings, `kafkaVersion=${version}`]).report);

  it('Kafka 2.1: KIP-380 (elected within its old session, it led once it registered unnoticed), not KIP-903 nor a breach', () => {
    const found = lost('2.1');
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ classification: 'permitted', permittedBy: 'version', count: 66, flaws: ['KIP-380'] });
    expect(found[0].reason).toMatch(
      /^b1 lost it to disk-loss at 6\.292s, started again, was elected leader of orders-1 at 7\.95\d+s while its old session lived \(expiring by 12\.292s at the latest\) and led it from 12\.9\d+s, once its new process had registered: the controller missed its bounce: Kafka 2\.1: KIP-380, fixed in Kafka 2\.2/,
    );
  });

  it('Kafka 2.2: nothing lost', () => {
    expect(lost('2.2')).toEqual([]);
  });
});

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

describe('a leader elected with a diverged log', () => {
  // Drawn by `ksim check` (era hw-truncation, fast-check seed 1, run 23): orders-0's follower b3
  // loses its disk (4.085 s) and is elected (a missed bounce) with a log it rewrites from offset 64;
  // the controlled shutdown of b1 (5.392 s) makes b2 a follower that cuts only to its high
  // watermark 225, keeping b1's records at offsets b3 rewrote; the preferred election at 15.1 s
  // elects b2, and the records b3 acknowledged there (offsets 69-...) are gone.
  // Since followers before 2.1 exit rather than truncate below their LEO (broker/truncation-halt.ts),
  // b1 exits at 11.1 s (orders-1's leader has LEO 64 < its 184) and the preferred election no
  // longer elects b2 there: nothing of orders-0 is lost, and no verdict is a breach.
  const drawn = {
    faults: [
      { atMs: 3088, kind: 'hold', from: '@leader:orders-0', to: '@active-controller', durationMs: 1446 },
      { atMs: 4085, kind: 'disk-loss', node: '@follower:orders-0', durationMs: 576 },
      { atMs: 4085, kind: 'partition', groups: [['@follower:orders-0'], ['@leader:orders-0']], durationMs: 7913 },
      { atMs: 7801, kind: 'partition', groups: [['@leader:orders-0'], ['@followers:orders-0']], durationMs: 1800 },
    ],
    operations: [
      { atMs: 1324, kind: 'controlled-shutdown', broker: '@follower:orders-0', durationMs: 1776 },
      { atMs: 5392, kind: 'controlled-shutdown', broker: '@leader:orders-0', durationMs: 2210 },
      { atMs: 8701, kind: 'preferred-leader-election', topic: 'orders', partition: 0 },
    ],
  };
  const settings = ['zookeeper.session.timeout.ms=6000', 'acks=all', 'min.insync.replicas=2', 'unclean.leader.election.enable=false', 'enable.idempotence=true'];
  settings.push('linger.ms=0', 'request.timeout.ms=2000', 'leader.imbalance.check.interval.seconds=5', 'broker.rack=none');
  const reportOf = (seed: string, era: string) => runScenario({ ...structuredClone(checkSmall), ...drawn, seed }, [...settings, `era=${era}`]).report;

  it('era hw-truncation: b1 exits rather than truncate orders-1 at 11.1 s, and nothing is a breach', () => {
    const report = reportOf('1512911275', 'hw-truncation');
    expect(lostWrites(report).filter((v) => String(v.message).includes('orders-0'))).toEqual([]);
    expect(report.analysis['kafka-summary']).toMatchObject({ recordsLost: 120, recordsKeptByExitedBroker: 120, brokerExits: ['11.110 s b1: log truncation not allowed for orders-1 (leader LEO 64 < follower LEO 184)'] });
    expect(report.violations.filter((v) => v.classification === 'breach')).toEqual([]);
  });

  // Run seed 1 of the same schedule: b2 loses its disk and is elected at 5.4 s with its log ending
  // at 79; b3, becoming its follower at 7.6 s, cuts only to its high watermark 251, keeping p1's
  // older records at 79..250 where b2 then writes p1's resent records (a new producer id after
  // OUT_OF_ORDER_SEQUENCE_NUMBER), unacknowledged while b1, still in the ISR, has exited; b3 appends
  // b2's records from 251. The preferred election at 15.1 s elects b3: b2 cuts back to 79 and copies
  // b3's spliced log, and p1's retries land again after it: 154 records twice and out of send order.
  // Both were breaches on this seed and many others; they are KIP-101's splice (spliced-log.ts),
  // named by b2's truncation since the final logs agree.
  it("era hw-truncation, run seed 1: the duplicates and the reorder past b3's spliced log are KIP-101's, named by b2's truncation; no breach", () => {
    const vs = reportOf('1', 'hw-truncation').violations;
    expect(vs.filter((v) => v.classification === 'breach')).toEqual([]);
    for (const property of ['duplicate', 'nonmonotonic-send']) {
      const found = vs.filter((v) => v.property === property);
      expect(found, property).toMatchObject([{ classification: 'permitted', permittedBy: 'version', flaws: ['KIP-101'], partition: 'orders-0' }]);
      expect(found[0].reason).toMatch(
        /b3, following the leader of epoch 2 from 7\.6\d*s, cut its log only to its high watermark 251, keeping offsets 79 to 251 that leader never had there, then led with it from 15\.1\d*s \(its followers copied its log there\), its log lacking p1's r415 \(at offset 79 in b2's log until it truncated at 15\.1\d*s\) there \(KIP-101, fixed in Kafka 0\.11/,
      );
    }
  });

  it('decoy: era kip-101, run seed 1 (b3 cuts where b2\'s epoch starts and copies its log): no duplicate, no reorder, no breach', () => {
    const vs = reportOf('1', 'kip-101').violations;
    expect(vs.filter((v) => v.property === 'duplicate' || v.property === 'nonmonotonic-send')).toEqual([]);
    expect(vs.filter((v) => v.classification === 'breach')).toEqual([]);
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
    expect(lost[0].message).toContain('truncation to the high watermark is the known pre-KIP-101 loss of this era');
  });
});

// Found by the fresh-user trial: the stale-expansion composite's schedule on Kafka 0.10. b2 cuts its
// log to its high watermark at 1.05 s (KIP-101's flaw), then loses its whole disk at 1.4 s and is
// elected empty at 2.9 s within its old session; it leads once its new process registered
// unnoticed as that session expired (KIP-380). The disk loss wiped whatever the truncation kept,
// so KIP-101 is not on the chain: 0.11 (KIP-101 fixed) loses the same records. The replicas
// diverge on 0.10 only (b1 and b3, told at 2.94 s to follow b2, cut to their HW, keeping records
// where the empty b2 writes anew): that is KIP-101's, and its text names their truncations, not
// b2's wiped one. (Before ksim modelled the failed registration b2 led at 2.9 s, and only b1's
// truncation kept records under it.)
describe('a flaw whose effect a later disk loss wiped is not on the chain', () => {
  const faults = [
    { atMs: 1049, kind: 'hold', from: '@leader:orders-0', to: '@active-controller', durationMs: 900 },
    { atMs: 1409, kind: 'disk-loss', node: '@follower:orders-0', durationMs: 1 },
    { atMs: 1409, kind: 'partition', groups: [['@follower:orders-0'], ['@leader:orders-0']], durationMs: 1323 },
  ];
  const operations = [
    { atMs: 600, kind: 'controlled-shutdown', broker: '@follower:orders-0', durationMs: 450 },
    { atMs: 2939, kind: 'controlled-shutdown', broker: '@leader:orders-0', durationMs: 1 },
  ];
  const settings = ['preset=apache', 'cluster.storage=instance-store', 'min.insync.replicas=1', 'acks=all', 'unclean.leader.election.enable=false'];
  // (no idempotent producer before 0.11, KIP-98)
  const idempotence = (kafkaVersion: string) => (kafkaVersion === '0.10' ? [] : ['enable.idempotence=true']);
  const reportOn = (kafkaVersion: string) =>
    runScenario({ ...structuredClone(checkSmall), faults, operations }, [...settings, ...idempotence(kafkaVersion), `kafkaVersion=${kafkaVersion}`]).report;
  const lostOn = (kafkaVersion: string) => lostWrites(reportOn(kafkaVersion));

  it('Kafka 0.11: every lost record blames KIP-380; on 0.10 b1 and b3 exit rather than truncate to the empty b2, keeping those 85 records on disk', () => {
    const on011 = lostOn('0.11');
    expect(on011.reduce((n, v) => n + Number(v.count), 0)).toBe(85);
    for (const v of on011) expect(v).toMatchObject({ classification: 'permitted', permittedBy: 'version', flaws: ['KIP-380'] });
    const on010 = reportOn('0.10');
    expect(on010.analysis['kafka-summary']).toMatchObject({ recordsKeptByExitedBroker: 85, brokerExits: [expect.stringMatching(/ b1: log truncation not allowed for orders-0 \(leader LEO 1 < follower LEO 85\)$/), expect.stringMatching(/ b3: /)] });
    expect(on010.violations.filter((v) => v.classification === 'breach')).toEqual([]);
  });

  it("Kafka 0.10: the divergence names b3's and b1's truncations to their HW, which kept records where the empty b2 wrote anew, not b2's, which the disk loss wiped", () => {
    // (b1 and b3 exit at 7.95 s rather than truncate to b2; a second finding, of 1 offset, is KIP-101's too)
    const divergence = reportOn('0.10').violations.filter((v) => v.property === 'log-divergence' && String(v.reason).includes('b3, following'));
    expect(divergence).toHaveLength(1);
    expect(divergence[0]).toMatchObject({ classification: 'permitted', permittedBy: 'version', flaws: ['KIP-101'] });
    const cut = (b: string) => `Kafka 0\\.10: ${b}, following the leader of epoch 2 from 2\\.94\\d*s, cut its log only to its high watermark 85 \\(KIP-101, fixed in Kafka 0\\.11: [^)]*\\) \\(1\\)`;
    expect(divergence[0].reason).toMatch(new RegExp(`^${cut('b3')}; ${cut('b1')}$`));
  });
});
