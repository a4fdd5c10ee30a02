// An acks=1 record acknowledged while the leader's ISR expansion was still pending: the replica it
// proposed (b3, short of the record) counted toward the high watermark at once (KIP-497), so the
// HW never passed the record, and the controller's commit of the expansion put b3 in the ISR
// without it; b3 was then elected from that ISR. Kafka promises nothing for an acks=1 record the
// HW never covered: permitted by acks=1. ksim used to read only the committed ISR at the ack
// ([b1, b2], both with the record) and call the loss a breach. Found by the fresh-user trial
// (`ksim check --scenario check-small --set preset=apache --set acks=1 --set kafkaVersion=2.0
// --property lost-write --fail-on breach --seed 3`), shrunk to these faults and operations.
import { describe, expect, it } from 'vitest';
import checkSmall from '../models/kafka/presets/check-small.scenario.json' with { type: 'json' };
import { runScenario } from '../models/kafka/testing/scenario-run.ts';

const drawn = {
  seed: '0',
  faults: [
    { atMs: 899, kind: 'hold', from: '@leader:orders-0', to: '@active-controller', durationMs: 300 },
    { atMs: 1139, kind: 'partition', groups: [['@follower:orders-0'], ['@leader:orders-0']], durationMs: 678 },
  ],
  operations: [
    { atMs: 600, kind: 'controlled-shutdown', broker: '@follower:orders-0', durationMs: 300 },
    { atMs: 2159, kind: 'controlled-shutdown', broker: '@leader:orders-0', durationMs: 1 },
  ],
};
const run = (acks: string) =>
  runScenario({ ...structuredClone(checkSmall), ...drawn }, ['preset=apache', 'kafkaVersion=2.0', `acks=${acks}`, 'min.insync.replicas=2', 'unclean.leader.election.enable=false']);

describe('acks=1 record acknowledged before a pending ISR expansion let the HW pass it', () => {
  it('the loss and the offsets it rewrote are permitted by acks=1, not breaches', () => {
    const { report } = run('1');
    const found = report.violations.filter((v) => v.property === 'lost-write' || v.property === 'inconsistent-offsets');
    expect(found.map((v) => v.property).sort()).toEqual(['inconsistent-offsets', 'lost-write']);
    for (const v of found) expect(v).toMatchObject({ classification: 'permitted', permittedBy: 'configuration', reason: 'acks=1' });
  });

  it('with acks=all the same faults lose nothing', () => {
    expect(run('all').report.violations.filter((v) => v.property === 'lost-write')).toEqual([]);
  });
});
