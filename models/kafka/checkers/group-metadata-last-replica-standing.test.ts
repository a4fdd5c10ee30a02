// group-metadata-loss judges KIP-966's last replica standing as lost-write does (one rule,
// last-replica-standing.ts): __consumer_offsets' ISR shrinks below min.insync.replicas with b2
// (still holding the group's commits) leaving it, then b1, the last ISR member, loses its log to
// power loss (an AZ outage) and is elected again; the group restarts from scratch and two members
// own orders-0 in one generation (double-assignment). Without Eligible Leader Replicas (3.9, KRaft)
// that is the version's documented weakness, not the fault load; with them (4.1) the controller
// elects b2 from the ELR, so it is a breach. The same election of a user partition's record gets
// the same verdicts from lost-write (last-replica-standing.test.ts).
import { describe, expect, it } from 'vitest';
import type { Violation } from '../../../src/sim/model.ts';
import { finalPartition, TestRun } from './kafka-test-run.ts';

const OFFSETS = '__consumer_offsets-42';

function groupRun(kafkaVersion: '3.9' | '4.1', b2: 'stands' | 'lost' | 'restarted' = 'stands'): Violation[] {
  let r = new TestRun({ kafkaVersion, metadataMode: 'kraft', partitions: 2 });
  r.election(0, 'initial', 'b1', 0, ['b1', 'b2', 'b3'], 0, null, OFFSETS).hw(5, 'b1', 1, 0, OFFSETS);
  r.assignment(10, 'm1', 1, ['orders-0']);
  r.isr(100, 'isr-shrink', ['b1', 'b2'], 0, OFFSETS);
  // b2 leaves the ISR below min.insync.replicas (2) with the group's commit: the ELR's member from 4.1.
  if (b2 === 'restarted') r = r.down(150, 'b2');
  r.isr(200, 'isr-shrink', ['b1'], 0, OFFSETS);
  if (b2 === 'restarted') r = r.up(400, 'b2');
  r.logLost(500, 'b1', 1, 0, [101], 'power-loss', OFFSETS);
  if (b2 === 'lost') r.logLost(500, 'b2', 1, 0, [101], 'power-loss', OFFSETS);
  r.election(900, 'clean', 'b1', 1, ['b1'], 0, 'b1', OFFSETS);
  r.assignment(1500, 'm2', 1, ['orders-0']);
  const final = [finalPartition('orders-0', 'b1', 0, ['b1', 'b2', 'b3'], [{ broker: 'b1', records: [] }])];
  return r.finish(2000, final, false, [{ group: 'g', offsetsPartition: OFFSETS, coordinator: 'b1', committed: [] }]).violations.filter((v) => v.property === 'double-assignment');
}

describe("group-metadata-loss: KIP-966's last replica standing, as lost-write judges it", () => {
  it("KRaft 3.9 (no ELR): the version's documented weakness, naming KIP-966, not the fault load", () => {
    const v = groupRun('3.9');
    expect(v).toHaveLength(1);
    expect([v[0].classification, v[0].permittedBy, v[0].flaws]).toEqual(['permitted', 'version', ['KIP-966']]);
    expect(v[0].reason).toContain(`every in-sync replica of ${OFFSETS} (b1) lost its unflushed log`);
    expect(v[0].reason).toMatch(/though b2, which left the ISR below min\.insync\.replicas, still held them \(KIP-966's last replica standing: KIP-966 \(ELR\), fixed in Kafka 4\.1/);
  });

  it('Kafka 4.1 (ELR on): b2 was in the ELR and should have been elected: a breach', () => {
    const v = groupRun('4.1');
    expect(v).toHaveLength(1);
    expect(v[0].classification).toBe('breach');
    expect(v[0].reason).toMatch(/still held them: with Eligible Leader Replicas on \(Kafka 4\.1\) it was in the ELR and should have been elected \(KIP-966\)$/);
  });

  it('decoys: b2 lost its log too, or came back from an unclean shutdown before the election (out of the ELR): the fault load on both', () => {
    for (const version of ['3.9', '4.1'] as const) {
      const lost = groupRun(version, 'lost');
      expect([lost[0].classification, lost[0].permittedBy]).toEqual(['permitted', 'fault-load']);
      expect(lost[0].reason).not.toContain('KIP-966');
      const restarted = groupRun(version, 'restarted');
      expect([restarted[0].classification, restarted[0].permittedBy]).toEqual(['permitted', 'fault-load']);
      expect(restarted[0].reason).toContain('b2 came back from an unclean shutdown at 0.400s, which takes a replica out of the ELR');
    }
  });
});
