// Reordering is judged per producer instance: a producer that crashed and came back (a new
// producer id) promises nothing about its order relative to its previous instance.
import { describe, expect, it } from 'vitest';
import type { ModelEvent } from '../../../src/sim/model.ts';
import type { PartitionFinalLog } from './final-logs.ts';
import { KafkaHistory } from './kafka-history.ts';
import { findReorderedRecords } from './reordered-records.ts';
import type { ScenarioLookup } from './scenario-lookup.ts';

const PRODUCER_NODE = 9;

function historyOf(crashAfterRecord: number | null): KafkaHistory {
  const h = new KafkaHistory({ producer: () => undefined } as unknown as ScenarioLookup);
  for (let r = 1; r <= 4; r++) {
    h.record(r * 1000, PRODUCER_NODE, { type: 'send', producer: 'p1', record: r, key: null, partition: 'orders-0', sentUs: r * 1000 } as unknown as ModelEvent);
    if (r === crashAfterRecord) h.onKernelEvent(0, { type: 'node-down', node: PRODUCER_NODE, kind: 'crash' });
  }
  return h;
}

// r2 was in flight when p1 crashed; it lands after the new instance's r3 and r4.
const logs = new Map([['orders-0', { firstOffset: new Map([[1, 0], [3, 1], [4, 2], [2, 3]]) } as unknown as PartitionFinalLog]]);

describe('reordered records', () => {
  it('are counted within one producer instance', () => {
    const found = findReorderedRecords(historyOf(null), logs);
    expect(found.map((f) => [f.producer, f.session, f.reordered])).toEqual([['p1', 0, 1]]);
  });

  it('are not counted across a crash of the producer (records sent before it and after it)', () => {
    expect(findReorderedRecords(historyOf(2), logs)).toEqual([]);
  });
});
