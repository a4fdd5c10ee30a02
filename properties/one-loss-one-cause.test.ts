// One loss, one cause: the checkers that meet the same lost records (lost-write, the replicas'
// log-divergence, a consumer's inconsistent-offsets) classify them alike. Found by a fresh-user
// trial of `ksim check` on Kafka 4.0 (seed 2): b1, the last ISR member after two controlled
// shutdowns, lost its page cache to power loss and led again: lost-write and inconsistent-offsets
// said "permitted by the simulated version" (KIP-966's last replica standing) while log-divergence
// said "permitted by the fault load" for the same offsets. (The two brokers stay down 5 s: since a
// restarted KRaft broker asks to be unfenced once caught up, 1.8 s let them rejoin the ISR before
// b1's power loss.)
import { describe, expect, it } from 'vitest';
import checkSmall from '../models/kafka/presets/check-small.scenario.json' with { type: 'json' };
import { checkSmallWithGroup, runScenario, STRICT_DURABILITY } from '../models/kafka/testing/scenario-run.ts';

const lastReplicaStanding = {
  ...structuredClone(checkSmall),
  seed: '0',
  faults: [{ atMs: 5760, kind: 'power-loss', node: '@leader:orders-0', durationMs: 1800 }],
  operations: [
    { atMs: 0, kind: 'producer-restart', producer: 'p1' },
    { atMs: 3454, kind: 'controlled-shutdown', broker: '@leader:orders-0', durationMs: 5000 },
    { atMs: 3456, kind: 'controlled-shutdown', broker: '@leader:orders-0', durationMs: 4994 },
  ],
};

const classes = (version: string) => {
  const { report } = runScenario(lastReplicaStanding, ['preset=apache', `kafkaVersion=${version}`, 'min.insync.replicas=2']);
  const of = (property: string) => [...new Set(report.violations.filter((v) => v.property === property).map((v) => `${v.classification}/${v.permittedBy ?? ''}`))];
  return { lostWrite: of('lost-write'), logDivergence: of('log-divergence'), inconsistentOffsets: of('inconsistent-offsets') };
};

describe("the last replica standing's loss", () => {
  it('Kafka 4.0: lost-write and inconsistent-offsets both name the version (KIP-966), not the fault load for one of them', () => {
    const c = classes('4.0');
    expect(c.lostWrite).toEqual(['permitted/version']);
    expect(c.inconsistentOffsets).toEqual(['permitted/version']);
    // The replicas that still hold the lost records are out of the ISR at the end (they truncate
    // when they rejoin): log-divergence counts only the ISR's logs, so it names no second cause.
    expect(c.logDivergence).toEqual([]);
  });

  it('Kafka 4.1 (ELR): nothing lost, the replicas agree', () => {
    const c = classes('4.1');
    expect([...c.lostWrite, ...c.logDivergence]).toEqual([]);
  });
});

// A hunt on Kafka 3.7 (ksim check on check-small with the hunt's consumer group, seed 1, path
// 58:0:1:1:1:4:0:5:3:3:3:3:3:3:3): controlled shutdowns of b3 and then b1 leave b2 alone in the ISR
// of orders-0 and of __consumer_offsets-42 (below min.insync.replicas=2, b1 still holding both);
// b2 loses power for 1 ms and is elected again with an empty log. The records and the group's
// commits are lost to the same election: lost-write named KIP-966's last replica standing, the
// group's checkers (double-assignment in the hunt, committed-offset-backwards here, both through
// group-metadata-loss) the fault load, until group-metadata-loss judged the last replica standing
// as lost-write does (last-replica-standing.ts). KIP-966 is right: b1 left cleanly, so ELR (4.1)
// would have kept it eligible and elected it once back, where 3.7 re-elects the emptied b2. (The
// power loss lasts 3 s here, not the hunt's 1 ms: since a restarted KRaft broker serves only once
// caught up, the group noticed a 1 ms blip of its coordinator no more, and committed nothing
// backwards.)
describe('the last replica standing on 3.7, for a record and for a group commit', () => {
  const hunted = checkSmallWithGroup({
    seed: '0',
    preset: 'msk',
    kafkaVersion: '3.7',
    metadataMode: 'kraft',
    faults: [{ atMs: 7150, kind: 'power-loss', node: '@leader:orders-0', durationMs: 3000 }],
    operations: [
      { atMs: 750, kind: 'controlled-shutdown', broker: '@in-sync-follower:orders-0', durationMs: 14248 },
      { atMs: 3950, kind: 'controlled-shutdown', broker: '@in-sync-follower:orders-0', durationMs: 11048 },
    ],
  });

  it('lost-write and committed-offset-backwards both name KIP-966, with b1 standing', () => {
    const { report } = runScenario(hunted, [...STRICT_DURABILITY, 'enable.idempotence=true', 'groups.g1.commit=after-processing']);
    const judged = (property: string) => report.violations.filter((v) => v.property === property);
    const lost = judged('lost-write');
    const commits = judged('committed-offset-backwards');
    expect(lost.length).toBeGreaterThan(0);
    expect(commits.length).toBeGreaterThan(0);
    for (const v of [...lost, ...commits]) {
      expect([v.classification, v.permittedBy, v.flaws]).toEqual(['permitted', 'version', ['KIP-966']]);
      expect(v.reason).toContain('though b1, which left the ISR below min.insync.replicas, still held');
    }
  });
});
