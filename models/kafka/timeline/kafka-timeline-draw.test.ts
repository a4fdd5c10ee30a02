import { describe, expect, it } from 'vitest';
import type { BandSegment, TimelineCanvas, TimelineEvent } from '../../../src/scenario/model-timeline.ts';
import { drawKafkaEvent } from './kafka-timeline-draw.ts';

/** Records what the drawing does: marks as [kind, text, band], segments per band. */
function canvas() {
  const marks: [string, string, string | undefined][] = [];
  const segments = new Map<string, BandSegment[]>();
  const c: TimelineCanvas = {
    count: () => {},
    event: (kind, text, band) => [0, 'lane', kind, text, band] as unknown as TimelineEvent,
    sample: () => {},
    mark: (e) => {
      const [, , kind, text, band] = e as unknown as [number, string, string, string, string | undefined];
      marks.push([kind, text, band]);
    },
    watch: () => {},
    segment: (band, s) => segments.set(band, [...(segments.get(band) ?? []), s]),
    currentSegment: (band) => segments.get(band)?.at(-1),
  };
  return { c, marks, segments };
}

describe('the timeline draws reassignments (KIP-455)', () => {
  it("marks start and completion on the partition's row; a completion's new epoch starts a segment with the same leader and ISR", () => {
    const { c, marks, segments } = canvas();
    drawKafkaEvent({ timeUs: 0, node: 'c1', event: { type: 'election', partition: 'orders-0', kind: 'initial', leader: 'b1', leaderEpoch: 0, isr: ['b1', 'b2', 'b3'], previousLeader: null, leaderLogEndOffset: 0 } }, c);
    drawKafkaEvent({ timeUs: 0, node: 'c1', event: { type: 'reassignment', partition: 'orders-0', phase: 'started', replicas: ['b1', 'b4', 'b2', 'b3'], adding: ['b4'], removing: ['b2', 'b3'], leaderEpoch: 0 } }, c);
    drawKafkaEvent({ timeUs: 0, node: 'c1', event: { type: 'isr-shrink', partition: 'orders-0', isr: ['b1', 'b4'], leaderEpoch: 1 } }, c);
    drawKafkaEvent({ timeUs: 0, node: 'c1', event: { type: 'reassignment', partition: 'orders-0', phase: 'completed', replicas: ['b1', 'b4'], adding: [], removing: [], leaderEpoch: 1 } }, c);
    drawKafkaEvent({ timeUs: 0, node: 'b2', event: { type: 'stop-replica', partition: 'orders-0', logEndOffset: 42 } }, c);
    expect(marks.filter((m) => m[0] === 'operation')).toEqual([
      ['operation', 'orders-0 reassignment started: replicas [b1,b4,b2,b3] adding [b4], removing [b2,b3] (epoch 0)', 'orders-0'],
      ['operation', 'orders-0 reassignment completed: replicas [b1,b4] (epoch 1)', 'orders-0'],
    ]);
    expect(marks.at(-1)).toEqual(['isr', 'b2 stopped replicating orders-0 and deleted its log (LEO 42): a reassignment removed it', 'orders-0']);
    expect(segments.get('orders-0')!.at(-1)).toEqual({ leader: 'b1', epoch: 1, members: ['b1', 'b4'] });
  });
});

describe('the timeline draws upgrades', () => {
  it('marks each step of a rolling upgrade and a refused update-features with its error', () => {
    const { c, marks } = canvas();
    drawKafkaEvent({ timeUs: 0, node: 'b1', event: { type: 'operation', operation: 'upgrade', subject: 'b1 starts on Kafka 3.7 (metadata.version 3.6)', topic: null, error: null } }, c);
    drawKafkaEvent({ timeUs: 0, node: 'c1', event: { type: 'operation', operation: 'update-features', subject: 'metadata.version 3.7: broker b2 runs Kafka 3.6, which does not support metadata.version 3.7', topic: null, error: 'INVALID_UPDATE_VERSION' } }, c);
    expect(marks.map((m) => m[1])).toEqual([
      'upgrade b1 starts on Kafka 3.7 (metadata.version 3.6)',
      'update-features metadata.version 3.7: broker b2 runs Kafka 3.6, which does not support metadata.version 3.7: refused, INVALID_UPDATE_VERSION',
    ]);
  });
});
