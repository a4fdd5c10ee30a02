// KIP-903's stale ISR expansion in a KRaft rolling upgrade from 3.4 to 3.5, judged by what the
// cluster ran when the expansion went through, not at the election that followed
// (checkers/stale-isr-rejoin.ts staleExpansionVersions). Found by `ksim check` (check-small's
// shape on Apache 3.4 KRaft, upgrade to 3.5 from 2 s, metadata.version raised at 9 s; seed 7, run
// 179, shrunk to 3 faults): b1's AlterPartition taking b3 back is held from 6.608 s; b3 loses its
// disk out of the ISR at 7.135 s; the held expansion commits at 7.508 s under metadata.version 3.4
// (AlterPartition v2, no broker epochs: the controller cannot tell b3 restarted); b1's controlled
// shutdown at 9.002 s elects the emptied b3. The verdict read the versions at the election, 2 ms
// after metadata.version 3.5 was finalized, and called the loss a breach.
import { describe, expect, it } from 'vitest';
import { runScenario, STRICT_DURABILITY } from '../models/kafka/testing/scenario-run.ts';

const HELD_BEFORE_LOSS = [
  { atMs: 6608, kind: 'hold', from: '@leader:orders-1', to: '@active-controller', durationMs: 900 },
  { atMs: 7135, kind: 'disk-loss', node: '@follower:orders-1', durationMs: 1 },
  { atMs: 7135, kind: 'partition', groups: [['@follower:orders-1'], ['@leader:orders-1']], durationMs: 1357 },
];
const ELECTION = { atMs: 9002, kind: 'controlled-shutdown', broker: '@leader:orders-1', durationMs: 1 };

function run(kafkaVersion: string, operations: object[], faults: object[] = HELD_BEFORE_LOSS) {
  return runScenario(
    {
      name: 'stale-expansion-upgrade',
      model: 'kafka',
      seed: '0',
      durationMs: 30000,
      preset: 'apache',
      kafkaVersion,
      metadataMode: 'kraft',
      cluster: { brokers: 3, controllers: 3 },
      topics: [{ name: 'orders', partitions: 2, 'replication.factor': 3 }],
      producers: [{ name: 'p1', az: 'use1-az1', topic: 'orders', ratePerSec: 100, keys: 10 }],
      faults,
      operations,
    },
    [...STRICT_DURABILITY, 'enable.idempotence=true', 'broker.rack="az"'],
  );
}

const upgrade = { atMs: 2000, kind: 'upgrade', brokers: ['b1', 'b2', 'b3'], to: '3.5', durationMs: 1000 };
const raiseMetadataVersion = (atMs: number) => ({ atMs, kind: 'update-features', 'metadata.version': '3.5' });
const STALE_EXPANSION = /^b3 lost it to disk-loss out of the ISR at 7\.135s, was taken back into the ISR without it and elected at 9\.002\d*s: (b3 on Kafka 3\.4, )?metadata\.version 3\.4: KIP-903, fixed in Kafka 3\.5/;

describe('KIP-903 in a 3.4 -> 3.5 upgrade: the stale expansion is judged when it went through', () => {
  for (const [when, atMs] of [
    ['after the expansion (7.508 s), before the election (9.002 s)', 9000],
    ['after the loss (7.135 s), before the held AlterPartition commits: it and the fetch before it carried no broker epochs', 7300],
  ] as const) {
    it(`metadata.version raised ${when}: permitted by the version (metadata.version 3.4), not a breach`, () => {
      const { report, events } = run('3.4', [upgrade, raiseMetadataVersion(atMs), ELECTION]);
      const raised = events.find(([, , e]) => e.type === 'version-change' && e.software === null && e.protocolLevel === '3.5');
      expect(raised?.[0]).toBe(atMs * 1000);
      const expanded = events.filter(([t, , e]) => e.type === 'isr-expand' && e.partition === 'orders-1' && t > 7_135_000 && t < 9_002_000);
      expect(expanded).toHaveLength(1);
      expect(expanded[0][0]).toBeLessThan(9_000_000);
      const violations = report.violations.filter((v) => v.property === 'lost-write' || v.property === 'inconsistent-offsets');
      expect(violations.map((v) => [v.property, v.classification, v.permittedBy])).toEqual([
        ['lost-write', 'permitted', 'version'],
        ['inconsistent-offsets', 'permitted', 'version'],
      ]);
      for (const v of violations) expect(String(v.reason)).toMatch(STALE_EXPANSION);
    });
  }

  it('metadata.version raised before the loss, after the held AlterPartition was sent (seed 7 run 179 again, after the first fix): permitted by the version', () => {
    // b3 leaves the ISR for a controlled shutdown at 7.374 s and is back at 8.445 s; b1's
    // AlterPartition taking it back is held from 8.444 s; metadata.version 3.5 at 9 s; b3 loses its
    // disk at 9.002 s; the held expansion (v2: b3's fetches under 3.4 carried no broker epoch)
    // commits under 3.5 and b1's controlled shutdown at 10.334 s elects the emptied b3.
    const faults = [
      { atMs: 8444, kind: 'hold', from: '@leader:orders-1', to: '@active-controller', durationMs: 900 },
      { atMs: 9002, kind: 'disk-loss', node: '@follower:orders-1', durationMs: 1 },
      { atMs: 9002, kind: 'partition', groups: [['@follower:orders-1'], ['@leader:orders-1']], durationMs: 1124 },
    ];
    const operations = [
      upgrade,
      raiseMetadataVersion(9000),
      { atMs: 7374, kind: 'controlled-shutdown', broker: '@follower:orders-1', durationMs: 1071 },
      { atMs: 10334, kind: 'controlled-shutdown', broker: '@leader:orders-1', durationMs: 1 },
    ];
    const lost = run('3.4', operations, faults).report.violations.filter((v) => v.property === 'lost-write');
    expect(lost).toHaveLength(1);
    expect(lost[0]).toMatchObject({ classification: 'permitted', permittedBy: 'version' });
    expect(String(lost[0].reason)).toMatch(/^b3 lost it to disk-loss out of the ISR at 9\.002s, was taken back into the ISR without it and elected at 10\.334\d*s: metadata\.version 3\.4: KIP-903/);
  });

  it('metadata.version never raised: the same, as before', () => {
    const lost = run('3.4', [upgrade, ELECTION]).report.violations.filter((v) => v.property === 'lost-write');
    expect(lost).toHaveLength(1);
    expect(lost[0]).toMatchObject({ classification: 'permitted', permittedBy: 'version' });
    expect(String(lost[0].reason)).toMatch(STALE_EXPANSION);
  });

  it('decoy: on 3.5 from the start (broker epochs in every fetch and AlterPartition) the same faults lose nothing', () => {
    expect(run('3.5', [ELECTION]).report.violations.filter((v) => v.property === 'lost-write' || v.property === 'inconsistent-offsets')).toEqual([]);
  });
});
