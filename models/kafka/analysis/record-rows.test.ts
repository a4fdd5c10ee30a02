import { describe, expect, it } from 'vitest';
import { RecordRows } from './record-rows.ts';

describe('RecordRows (record id -> row)', () => {
  it('ids in increasing order with gaps, across block edges (bit 31 included): each id its row, the gaps none', () => {
    const rows = new RecordRows();
    const ids = [0, 2, 31, 32, 63, 64, 95, 1_000, 1_031, 1_032, 100_000];
    ids.forEach((id, row) => expect(rows.add(id)).toBe(row));
    ids.forEach((id, row) => expect(rows.get(id)).toBe(row));
    expect([...rows.ids()]).toEqual(ids);
    for (const id of [1, 3, 30, 33, 62, 65, 96, 999, 1_001, 1_030, 99_999, 100_001, -1, 0.5, 2 ** 40]) expect(rows.get(id)).toBe(-1);
  });

  it('an id older than the newest (a scripted history) keeps every row exact, before and after it', () => {
    const rows = new RecordRows();
    for (const id of [5, 40, 41]) rows.add(id);
    expect(rows.add(7)).toBe(3);
    expect(rows.add(3)).toBe(4);
    expect(rows.add(100)).toBe(5);
    expect([5, 40, 41, 7, 3, 100].map((id) => rows.get(id))).toEqual([0, 1, 2, 3, 4, 5]);
    expect([...rows.ids()]).toEqual([5, 40, 41, 7, 3, 100]); // row order
    expect([4, 6, 39, 42, 99, 101].map((id) => rows.get(id))).toEqual([-1, -1, -1, -1, -1, -1]);
  });

  it('a million dense ids with every third one missing (__consumer_offsets ids) read back', () => {
    const rows = new RecordRows();
    let row = 0;
    for (let id = 0; id < 1_000_000; id++) if (id % 3 !== 2) expect(rows.add(id)).toBe(row++);
    row = 0;
    for (let id = 0; id < 1_000_000; id++) {
      const want = id % 3 === 2 ? -1 : row++;
      if (rows.get(id) !== want) throw new Error(`id ${id}: row ${rows.get(id)}, want ${want}`);
    }
  });
});
