import { describe, expect, it } from 'vitest';
import { CHUNK_BITS, Float64Column, Int32Column, Int32View, NarrowIntColumn, SharedInt32Column, Uint32Column, Uint8Column } from './chunked-column.ts';

const CHUNK = 1 << CHUNK_BITS;

describe('chunked columns', () => {
  it('read back every row across the first chunk doubling and three full chunks', () => {
    const c = new Int32Column(16);
    const n = 3 * CHUNK + 5;
    for (let i = 0; i < n; i++) c.push(i * 7919 - 1_000_000);
    expect(c.length).toBe(n);
    for (let i = 0; i < n; i++) if (c.get(i) !== i * 7919 - 1_000_000) throw new Error(`row ${i} read ${c.get(i)}`);
    // the rows either side of each chunk boundary
    for (const b of [CHUNK, 2 * CHUNK, 3 * CHUNK]) expect([c.get(b - 1), c.get(b)]).toEqual([(b - 1) * 7919 - 1_000_000, b * 7919 - 1_000_000]);
  });

  it('rewrites a row in place, appends at the length, and refuses a row past it', () => {
    const c = new Uint32Column();
    for (let i = 0; i < CHUNK + 1; i++) c.push(i);
    c.set(CHUNK - 1, 0xffffffff);
    c.set(CHUNK, 42);
    c.set(CHUNK + 1, 43); // = length: an append
    expect([c.get(CHUNK - 2), c.get(CHUNK - 1), c.get(CHUNK), c.get(CHUNK + 1), c.length]).toEqual([CHUNK - 2, 0xffffffff, 42, 43, CHUNK + 2]);
    expect(() => c.set(CHUNK + 3, 1)).toThrow(RangeError);
    expect(() => c.set(-1, 1)).toThrow(RangeError);
  });

  it('keeps each type: 8-bit codes wrap as a Uint8Array does, doubles stay exact', () => {
    const u8 = new Uint8Column(16);
    const f = new Float64Column(16);
    for (let i = 0; i < CHUNK + 20; i++) {
      u8.push(i);
      f.push(i + 0.5);
    }
    expect([u8.get(255), u8.get(256), u8.get(CHUNK + 19)]).toEqual([255, 0, (CHUNK + 19) & 0xff]);
    expect([f.get(0), f.get(CHUNK), f.get(CHUNK + 19)]).toEqual([0.5, CHUNK + 0.5, CHUNK + 19.5]);
  });

  it('growTo extends with zeros, also over rows a truncate dropped', () => {
    const c = new Int32Column(16);
    for (let i = 0; i < 40; i++) c.push(i + 1);
    c.growTo(2 * CHUNK + 3);
    expect([c.length, c.get(39), c.get(40), c.get(CHUNK), c.get(2 * CHUNK + 2)]).toEqual([2 * CHUNK + 3, 40, 0, 0, 0]);
    c.growTo(10); // shorter: unchanged
    expect(c.length).toBe(2 * CHUNK + 3);
    c.set(CHUNK + 1, 9);
    c.truncate(20);
    expect(c.length).toBe(20);
    c.growTo(CHUNK + 2);
    expect([c.get(19), c.get(20), c.get(39), c.get(CHUNK + 1)]).toEqual([20, 0, 0, 0]);
    expect(() => c.truncate(CHUNK + 3)).toThrow(RangeError);
  });
});

describe('NarrowIntColumn', () => {
  it('signed: stays 16-bit up to the edges, widens once at 32,768 and keeps every earlier row', () => {
    const c = new NarrowIntColumn(true, 16);
    for (let i = 0; i < CHUNK + 10; i++) c.push((i % 3) - 1);
    c.push(32_767);
    c.push(-32_768);
    expect(c.wide).toBe(false);
    c.push(32_768);
    expect(c.wide).toBe(true);
    c.set(5, -1_000_000);
    expect([c.get(0), c.get(1), c.get(2), c.get(5), c.get(CHUNK + 9), c.get(CHUNK + 10), c.get(CHUNK + 11), c.get(CHUNK + 12)]).toEqual([
      -1, 0, 1, -1_000_000, ((CHUNK + 9) % 3) - 1, 32_767, -32_768, 32_768,
    ]);
    c.push(7); // appends after widening land in the widened chunks
    expect(c.get(c.length - 1)).toBe(7);
  });

  it('unsigned: 65,535 fits, -1 and 65,536 widen', () => {
    const a = new NarrowIntColumn(false);
    a.push(65_535);
    expect([a.wide, a.get(0)]).toEqual([false, 65_535]);
    a.push(-1);
    expect([a.wide, a.get(0), a.get(1)]).toEqual([true, 65_535, -1]);
    const b = new NarrowIntColumn(false);
    b.push(3);
    b.push(65_536);
    expect([b.get(0), b.get(1)]).toEqual([3, 65_536]);
  });

  it('refuses what 32 bits cannot hold exactly, leaving the column as it was', () => {
    const c = new NarrowIntColumn(true);
    c.push(1);
    expect(() => c.push(2 ** 31)).toThrow(RangeError);
    expect(() => c.push(1.5)).toThrow(RangeError);
    expect(() => c.push(Number.NaN)).toThrow(RangeError);
    expect([c.length, c.get(0), c.wide]).toEqual([1, 1, false]);
  });
});

describe('SharedInt32Column views', () => {
  const read = (v: Int32View): number[] => Array.from({ length: v.length }, (_, i) => v.get(i));

  it('a view across a chunk boundary keeps what it was given through rewrites, truncation and re-appends', () => {
    const c = new SharedInt32Column(16);
    for (let i = 0; i < CHUNK + 4; i++) c.push(i);
    const v = c.view(CHUNK - 2, CHUNK + 2);
    expect(read(v)).toEqual([CHUNK - 2, CHUNK - 1, CHUNK, CHUNK + 1]);
    c.set(CHUNK - 1, -5);
    c.truncate(CHUNK);
    c.push(-6);
    c.push(-7);
    expect(read(v)).toEqual([CHUNK - 2, CHUNK - 1, CHUNK, CHUNK + 1]);
    expect([c.get(CHUNK - 1), c.get(CHUNK), c.get(CHUNK + 1), c.length]).toEqual([-5, -6, -7, CHUNK + 2]);
    expect(read(v.from(3))).toEqual([CHUNK + 1]);
    expect(v.from(4).length).toBe(0);
    // A view taken after the writes sees them, and the earlier view still does not.
    expect(read(c.view(CHUNK - 1, CHUNK + 1))).toEqual([-5, -6]);
    expect(read(v)).toEqual([CHUNK - 2, CHUNK - 1, CHUNK, CHUNK + 1]);
  });

  it('appending into a chunk a view holds writes in place (no copy); rewriting a viewed row copies it once', () => {
    const c = new SharedInt32Column(CHUNK);
    for (let i = 0; i < 10; i++) c.push(i);
    const v = c.view(0, 10);
    const chunkBefore = (c as unknown as { chunks: Int32Array[] }).chunks[0];
    c.push(10);
    expect((c as unknown as { chunks: Int32Array[] }).chunks[0]).toBe(chunkBefore);
    c.set(3, -3);
    const copied = (c as unknown as { chunks: Int32Array[] }).chunks[0];
    expect(copied).not.toBe(chunkBefore);
    c.set(4, -4); // the copy is the column's own: written in place
    expect((c as unknown as { chunks: Int32Array[] }).chunks[0]).toBe(copied);
    expect([read(v)[3], read(v)[4], c.get(3), c.get(4), c.get(10)]).toEqual([3, 4, -3, -4, 10]);
  });

  it('a view of the small first chunk survives the chunk doubling and appends', () => {
    const c = new SharedInt32Column(16);
    for (let i = 0; i < 16; i++) c.push(100 + i);
    const v = c.view(14, 16);
    for (let i = 16; i < 3 * CHUNK; i++) c.push(100 + i);
    c.set(15, 0);
    expect(read(v)).toEqual([114, 115]);
    expect([c.get(15), c.get(3 * CHUNK - 1)]).toEqual([0, 100 + 3 * CHUNK - 1]);
    expect(() => c.view(0, 3 * CHUNK + 1)).toThrow(RangeError);
    expect(c.view(5, 5).length).toBe(0);
  });

  it('Int32View.of reads an array longer than a chunk', () => {
    const a = Int32Array.from({ length: 2 * CHUNK + 1 }, (_, i) => i * 3);
    const v = Int32View.of(a);
    expect([v.length, v.get(0), v.get(CHUNK - 1), v.get(CHUNK), v.get(2 * CHUNK)]).toEqual([2 * CHUNK + 1, 0, (CHUNK - 1) * 3, CHUNK * 3, 2 * CHUNK * 3]);
    expect(read(v.from(2 * CHUNK - 1))).toEqual([(2 * CHUNK - 1) * 3, 2 * CHUNK * 3]);
    expect(Int32View.of(new Int32Array(0)).length).toBe(0);
  });

  /** Appends leader rows [from, to) to follower as a replica does, then lets it adopt the leader's chunks. */
  const replicate = (leader: SharedInt32Column, follower: SharedInt32Column, from: number, to: number): void => {
    const v = leader.view(from, to);
    const at = follower.length;
    for (let i = 0; i < v.length; i++) follower.push(v.get(i));
    follower.adopt(v, 0, at, v.length);
  };
  const chunkOf = (c: SharedInt32Column, row: number): Int32Array | null => c.view(row, row + 1).alignedChunk(0);

  it('a follower in sync adopts the leader full chunks, fetched in pieces, and neither side later writes reach the other', () => {
    const leader = new SharedInt32Column(16);
    const follower = new SharedInt32Column(16);
    for (let i = 0; i < 2 * CHUNK + 7; i++) leader.push(i + 1);
    // Fetches that straddle the chunk boundaries (the first chunk completes inside the second fetch).
    replicate(leader, follower, 0, CHUNK - 3);
    replicate(leader, follower, CHUNK - 3, 2 * CHUNK + 7);
    expect(chunkOf(follower, 0)).toBe(chunkOf(leader, 0));
    expect(chunkOf(follower, CHUNK)).toBe(chunkOf(leader, CHUNK));
    expect(chunkOf(follower, 2 * CHUNK)).not.toBe(chunkOf(leader, 2 * CHUNK)); // not complete yet: its own
    leader.set(5, -1); // the leader copies before writing
    follower.set(CHUNK + 5, -2); // so does the follower
    follower.truncate(CHUNK + 6);
    follower.push(-3);
    expect([leader.get(5), leader.get(CHUNK + 5), leader.get(CHUNK + 6), follower.get(5), follower.get(CHUNK + 5), follower.get(CHUNK + 6)]).toEqual([-1, CHUNK + 6, CHUNK + 7, 6, -2, -3]);
    // growTo over truncated rows of a shared chunk zero-fills a copy, not the shared chunk
    leader.truncate(CHUNK + 1);
    leader.growTo(CHUNK + 3);
    expect([leader.get(CHUNK + 1), leader.get(CHUNK + 2), follower.get(CHUNK + 1), follower.get(CHUNK + 2)]).toEqual([0, 0, CHUNK + 2, CHUNK + 3]);
  });

  it('a follower whose chunk differs from the leader one (a diverged replica) keeps its own', () => {
    const leader = new SharedInt32Column(16);
    const follower = new SharedInt32Column(16);
    for (let i = 0; i < CHUNK; i++) leader.push(i);
    follower.push(-1); // a record the leader does not have at offset 0
    const v = leader.view(1, CHUNK);
    for (let i = 0; i < v.length; i++) follower.push(v.get(i));
    follower.adopt(v, 0, 1, v.length);
    expect(chunkOf(follower, 0)).not.toBe(chunkOf(leader, 0));
    expect([follower.get(0), follower.get(1), follower.get(CHUNK - 1)]).toEqual([-1, 1, CHUNK - 1]);
  });
});
