// log-divergence and a bounce the ZooKeeper controller missed: b2 (a follower of orders-0, out of
// the ISR after its controlled shutdown) loses its disk at 3.367 s and restarts at once; a held ISR
// expansion takes it back in, and b3's controlled shutdown at 5.39 s elects it within its old
// ZooKeeper session, with its log ending at 84; its new process, unable to register until that
// session expires, leads from 9.47 s, once it registered unnoticed (KIP-380's race; it led at 5.39 s
// before ksim modelled the failed registration), so the replicas disagree from there. Before KIP-380
// (2.2) that is the version's flaw, as inconsistent-offsets and lost-write say for the same offsets;
// log-divergence called it a breach. b3, which keeps the other records there, is out of the ISR at
// the end, and log-divergence now counts only the ISR's logs: it says nothing. On 2.2 nothing diverges.
import { describe, expect, it } from 'vitest';
import { checkSmallViolationsByVersion } from '../models/kafka/testing/scenario-run.ts';

const drawn = {
  seed: '1929994951',
  faults: [
    { atMs: 3040, kind: 'hold', from: '@leader:orders-0', to: '@active-controller', durationMs: 819 },
    { atMs: 3367, kind: 'disk-loss', node: '@follower:orders-0', durationMs: 1 },
    { atMs: 11998, kind: 'az-outage', az: 'use1-az2', durationMs: 1 },
  ],
  operations: [
    { atMs: 1391, kind: 'controlled-shutdown', broker: '@follower:orders-0', durationMs: 1650 },
    { atMs: 5392, kind: 'controlled-shutdown', broker: '@leader:orders-0', durationMs: 6600 },
  ],
};
const settings = ['preset="apache"', 'acks=1', 'min.insync.replicas=2', 'unclean.leader.election.enable=false', 'broker.rack="az"'];
const violations = checkSmallViolationsByVersion(drawn, settings);

describe('log-divergence: a replica elected within the old ZooKeeper session of the bounce that wiped it', () => {
  for (const version of ['1.1', '2.0']) {
    it(`Kafka ${version}: permitted by the version (KIP-380) where a checker meets those offsets; no breach`, () => {
      const vs = violations(version);
      expect(vs.filter((v) => v.classification === 'breach')).toEqual([]);
      // b3, which kept its epoch-1 records above 84, is out of the ISR at the end (back from its
      // controlled shutdown, not caught up): log-divergence counts only the ISR's logs, which agree.
      expect(vs.filter((v) => v.property === 'log-divergence')).toEqual([]);
      const lost = vs.filter((v) => v.property === 'inconsistent-offsets');
      const kip380 = lost.filter((v) => v.permittedBy === 'version');
      expect(kip380).toHaveLength(1);
      expect(kip380[0]).toMatchObject({ classification: 'permitted', flaws: ['KIP-380'] });
      expect(String(kip380[0].reason)).toMatch(/^b2 lost it to disk-loss at 3\.367s, started again, was elected leader of orders-0 at 5\.393\d*s while its old session lived \(expiring by 9\.367s at the latest\) and led it from 9\.4\d+s, once its new process had registered: the controller missed its bounce/);
    });
  }

  it('Kafka 2.2 (KIP-380): the replicas do not diverge', () => {
    expect(violations('2.2').filter((v) => v.property === 'log-divergence')).toEqual([]);
  });
});
