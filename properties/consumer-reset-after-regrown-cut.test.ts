// A consumer's fetch was answered OFFSET_OUT_OF_RANGE by a leader that had lost its log and led on
// (its bounce missed by a ZooKeeper controller without KIP-380): nonmonotonic-poll must blame that
// loss, not an earlier election whose cut the log had grown over since (a later election made a
// leader holding the offset). Found by `ksim check` (/tmp/hunt up-2.1: check-small on MSK 2.1
// ZooKeeper, rolling upgrade to 2.2 at 4 s, auto-commit group, --set acks=all, seed 8, run 17; the
// same with inter.broker.protocol.version raised, 2.0 and 2.1, seed 5): a controlled shutdown of b3
// elects b1 at 1.5 s with orders-1 cut to 66; m2 reads up to offset 173; the upgrade's controlled
// shutdown of b1 elects b3 with LEO 174 at 4.0 s; b3 loses offsets 66..173 to a disk loss at 4.001 s,
// the 2.1 controller misses its bounce, b3 leads on and answers m2's fetch at 174 out of range.
import { describe, expect, it } from 'vitest';
import { checkSmallWithGroup, runScenario, STRICT_DURABILITY } from '../models/kafka/testing/scenario-run.ts';

function run(kafkaVersion: string, upgradeTo: string) {
  const scenario = checkSmallWithGroup({
    seed: '0',
    preset: 'msk',
    kafkaVersion,
    faults: [{ atMs: 4001, kind: 'disk-loss', node: '@follower:orders-0', durationMs: 1 }],
    operations: [
      { atMs: 4000, kind: 'upgrade', to: upgradeTo, durationMs: 3000 },
      { atMs: 1499, kind: 'controlled-shutdown', broker: '@follower:orders-0', durationMs: 300 },
    ],
  });
  return runScenario(scenario, STRICT_DURABILITY);
}

describe('nonmonotonic-poll: OFFSET_OUT_OF_RANGE from a leader that lost its log after an election that held the offset', () => {
  it('Kafka 2.1: the missed bounce (KIP-380), not the earlier controlled-shutdown cut, and not a breach', () => {
    const { report } = run('2.1', '2.2');
    const found = report.violations.filter((v) => v.property === 'nonmonotonic-poll');
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ classification: 'permitted', permittedBy: 'version' });
    expect(String(found[0].reason)).toMatch(/out-of-range\); b3 lost it to disk-loss at 4\.001s, started again and took leadership of orders-1 back .*Kafka 2\.1: KIP-380/);
    expect(String(found[0].reason)).not.toContain('election of b1 at 1.5');
    expect(report.violations.filter((v) => v.classification === 'breach')).toEqual([]);
  });

  it('Kafka 2.2 (KIP-380 fixed): the same faults give no breach and blame no KIP-380', () => {
    const { report } = run('2.2', '2.3');
    expect(report.violations.filter((v) => v.classification === 'breach')).toEqual([]);
    expect(report.violations.filter((v) => String(v.reason).includes('KIP-380'))).toEqual([]);
  });
});
