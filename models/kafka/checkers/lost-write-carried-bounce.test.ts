// lost-write on a leader elected with the log of a leader whose bounce the controller missed. The
// hunt: ksim check on check-small upgraded from Apache 0.10.2 to 0.11 (seed 4, run 276): b2 lost
// its log of orders-0 to power loss and took the partition back in its epoch with no election (the
// ZooKeeper controller missed the bounce, before KIP-380); b3, whose log still held its old record
// at offset 0, fetched past b2's log end and truncated to it (OFFSET_OUT_OF_RANGE before KIP-101,
// ReplicaFetcherThread.handleOffsetOutOfRange), keeping that record, while b2 wrote r7 at offset
// 0 and acknowledged it once b3 had fetched offset 1. b3 was elected and r7 was gone: a breach,
// for no flaw event marks b3's truncation. KIP-101 would not have saved it: the epoch is the same
// on both logs, so truncation by leader epoch keeps the record too (0.11 loses it alike): the
// missed bounce (KIP-380) is what lost it, on either side of the upgrade.
import { describe, expect, it } from 'vitest';
import type { Violation } from '../../../src/sim/model.ts';
import type { KafkaVersion } from '../version/kafka-versions.ts';
import { finalPartition, TestRun } from './kafka-test-run.ts';

function lostR7(kafkaVersion: KafkaVersion, retaken: 'missed-bounce' | 'election' = 'missed-bounce'): Violation[] {
  const run = new TestRun({ kafkaVersion, metadataMode: 'zookeeper' })
    .election(0, 'initial', 'b2', 0, ['b2', 'b3', 'b1'], 0)
    .becomeLeader(1, 'b2', 0)
    // Records 5 and 6 reach b2 and b3 (never acknowledged: the producer gave up on them).
    .append(100, 'b2', [5, 6], 0, 0, 'leader')
    .append(101, 'b3', [5, 6], 0, 0)
    .hw(102, 'b2', 1, 0)
    .isr(500, 'isr-shrink', ['b2', 'b3'], 0)
    .logLost(1000, 'b2', 2, 0, [5, 6], 'power-loss');
  // Or elected past its old ZooKeeper session (TestRun's brokers: 18 s), as a controller that saw the bounce would.
  const t = retaken === 'missed-bounce' ? 0 : 20_000;
  if (retaken === 'missed-bounce') run.becomeLeader(1500, 'b2', 0);
  else run.election(t + 1500, 'clean', 'b2', 1, ['b2', 'b3'], 0, 'b2').becomeLeader(t + 1500, 'b2', 1);
  const epoch = retaken === 'missed-bounce' ? 0 : 1;
  run
    .sendAndAck(t + 2000, 'p1', [7], 0, epoch)
    .append(t + 2000, 'b2', [7], 0, epoch, 'leader')
    // b3 fetches at its log end (2), past b2's (1): it truncates to 1, keeping record 5 at offset 0.
    .truncate(t + 2005, 'b3', 2, 1, [6], 'high-watermark')
    .append(t + 2100, 'b2', [8], 1, epoch, 'leader')
    .append(t + 2101, 'b3', [8], 1, epoch)
    .hw(t + 2102, 'b2', 2, epoch)
    .election(t + 3000, 'clean', 'b3', epoch + 1, ['b3'], 2, 'b2');
  const final = finalPartition('orders-0', 'b3', epoch + 1, ['b3'], [{ broker: 'b3', records: [5, 8] }]);
  return run.finish(t + 4000, [final]).violations.filter((v) => v.property === 'lost-write');
}

describe('lost-write: a leader elected with the log of a leader whose bounce the controller missed', () => {
  it('0.10 and 0.11 alike: the missed bounce (KIP-380), not KIP-101 and not a breach', () => {
    for (const version of ['0.10', '0.11'] as const) {
      const [v] = lostR7(version);
      expect([v.classification, v.permittedBy, v.flaws]).toEqual(['permitted', 'version', ['KIP-380']]);
      expect(v.reason).toContain('b2 restarted and took leadership of orders-0 back in epoch 0 at 1.500s with no election: the controller missed its bounce');
      expect(v.reason).toContain('b3 carried that log and was elected at 3.000s');
    }
  });

  it('with KIP-380 (2.2) the same history is a breach', () => {
    expect(lostR7('2.2')[0].classification).toBe('breach');
  });

  it('decoy: b2 retook the partition by an election (the controller saw the bounce): not blamed on KIP-380', () => {
    const [v] = lostR7('0.11', 'election');
    expect(v.flaws ?? []).not.toContain('KIP-380');
  });
});
