// spliced-log.ts on hand-built histories: a follower cut to its high watermark before KIP-101
// (era hw-truncation) keeps records its new leader never had and appends the leader's after them;
// elected, it takes the producer's retries as new. The final logs agree (the old leader cut back
// and copied the spliced one): the evidence is the truncation that removed the producer's records
// from the old leader at the kept offsets.
import { describe, expect, it } from 'vitest';
import type { Violation } from '../../../src/sim/model.ts';
import { finalPartition, TestRun } from './kafka-test-run.ts';

/**
 * b1 leads epoch 0 and commits p1's r1 r2 (offsets 0, 1) with b3; b2 is elected in epoch 1 with an
 * empty log and b3 cuts only to its high watermark 2 (protocol-flaw), keeping r1 r2. b2 writes p1's
 * r3 r4 r5 at 0..2, unacknowledged; b3 fetches from 2 and gets r5. b3 is elected in epoch 2, b2
 * cuts back to 0 (`removedBy`: whose records it removes) and copies b3; p1's retries of r3 r4 r5
 * land at 3..5: r5 twice, and after r5.
 */
function splicedRun(options: { removedBy?: 'p1' | 'p2'; flaw?: boolean } = {}) {
  const { removedBy = 'p1', flaw = true } = options;
  const run = new TestRun({ era: 'hw-truncation', metadataMode: 'zookeeper', producers: [{ name: 'p1', idempotent: true, maxInFlight: 5 }, { name: 'p2' }] })
    .election(0, 'initial', 'b1', 0, ['b1', 'b2', 'b3'], 0)
    .sendAndAck(10, 'p1', [1, 2], 0, 0)
    .election(100, 'clean', 'b2', 1, ['b2', 'b3'], 0, 'b1');
  if (flaw) run.event(110, 'b3', { type: 'protocol-flaw', partition: 'orders-0', flaw: 'truncated-to-high-watermark', knownLeaderEpoch: 0, leaderEpoch: 1, logEndOffset: 2 });
  const written = removedBy === 'p1' ? [3, 4, 5] : [30, 31, 5];
  if (removedBy === 'p2') for (const r of [30, 31]) run.send(150, 'p2', r);
  for (const r of [3, 4, 5]) run.send(200 + r, 'p1', r);
  run.append(210, 'b2', written, 0, 1, 'leader').append(220, 'b3', [5], 2, 1);
  run.election(500, 'preferred', 'b3', 2, ['b3', 'b2'], 3, 'b2').truncate(501, 'b2', 3, 0, written, 'high-watermark');
  run.append(600, 'b3', [3, 4, 5], 3, 2, 'leader');
  for (const r of [3, 4, 5]) run.ok(610, 'p1', r, r, 2, 400);
  const logs = ['b3', 'b2'].map((broker) => ({ broker, records: [1, 2, 5, 3, 4, 5], epochs: [0, 0, 1, 2, 2, 2] }));
  return run.finish(1000, [finalPartition('orders-0', 'b3', 2, ['b3', 'b2'], logs)]).violations;
}

const of = (violations: Violation[], property: string) => violations.filter((v) => v.property === property);

describe('spliced-log: a log cut to the high watermark before KIP-101', () => {
  it("the duplicate and the reorder past the splice are KIP-101's (era hw-truncation), named by the old leader's truncation", () => {
    const violations = splicedRun();
    for (const property of ['duplicate', 'nonmonotonic-send']) {
      const found = of(violations, property);
      expect(found, property).toMatchObject([{ classification: 'permitted', permittedBy: 'version', flaws: ['KIP-101'] }]);
      expect(found[0].reason).toContain(
        "era hw-truncation: b3, following the leader of epoch 1 from 0.110s, cut its log only to its high watermark 2, keeping offsets 0 to 2 that leader never had there, " +
          "then led with it from 0.500s (its followers copied its log there), its log lacking p1's r3 (at offset 0 in b2's log until it truncated at 0.501s) there (KIP-101, fixed in Kafka 0.11",
      );
    }
  });

  it('decoys: without the flawed path, or when what the old leader held at the kept offsets was another producer’s, they stay breaches', () => {
    for (const violations of [splicedRun({ flaw: false }), splicedRun({ removedBy: 'p2' })]) {
      expect(of(violations, 'duplicate')).toMatchObject([{ classification: 'breach' }]);
      expect(of(violations, 'nonmonotonic-send')).toMatchObject([{ classification: 'breach' }]);
    }
  });
});
