import { describe, expect, it } from 'vitest';
import { ModelAssertionError } from '../../../src/sim/model-assertion-error.ts';
import { OffsetsRecordTable } from './offsets-record-table.ts';
import type { GroupMetadataRecord, OffsetsRecord } from './offsets-topic.ts';

const commit = (group: string, partition: number, offset: number, leaderEpoch = 0): OffsetsRecord => ({
  kind: 'offset',
  group,
  partition,
  offset,
  leaderEpoch,
  key: `${group}\u0000${partition}`,
});
const metadata: GroupMetadataRecord = { kind: 'group', group: 'billing', generation: 3, protocol: 'range', leaderId: 'm1', members: [], key: 'billing' };

describe('OffsetsRecordTable', () => {
  it('gives back each payload and compaction key by record id, across growth', () => {
    const t = new OffsetsRecordTable();
    for (let i = 0; i < 3000; i++) t.set(10 + 2 * i, commit(i % 2 === 0 ? 'billing' : 'audit', i % 7, i * 3, i % 4));
    t.set(7000, metadata);
    expect(t.size).toBe(3001);
    expect(t.get(10 + 2 * 2999)).toEqual(commit('audit', 2999 % 7, 2999 * 3, 2999 % 4));
    expect(t.get(10)).toEqual(commit('billing', 0, 0, 0));
    expect(t.get(7000)).toBe(metadata);
    expect(t.compactionKey(12)).toBe('audit\u00001');
    expect(t.compactionKey(7000)).toBe('billing');
    expect([t.get(11), t.compactionKey(9), t.get(7001)]).toEqual([undefined, undefined, undefined]);
  });

  it('refuses an id not larger than the last stored (ids come from the run-wide sequence)', () => {
    const t = new OffsetsRecordTable();
    t.set(5, commit('g', 0, 1));
    expect(() => t.set(5, commit('g', 0, 2))).toThrow(ModelAssertionError);
    expect(() => t.set(4, commit('g', 0, 2))).toThrow(ModelAssertionError);
  });
});
