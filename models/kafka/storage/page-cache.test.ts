import { describe, expect, it } from 'vitest';
import { PageCache, type DirtyInode } from './page-cache.ts';

const S = 1_000_000;

/** A file that records when the flusher wrote it back. */
class FakeFile implements DirtyInode {
  dirtiedAtUs = -1;
  readonly writtenBackAtUs: number[] = [];
  private passAtUs = 0;
  constructor(
    private readonly cache: PageCache,
    private readonly expireUs: number,
  ) {
    cache.register(this);
  }
  write(nowUs: number): void {
    this.cache.catchUp(nowUs);
    if (this.dirtiedAtUs >= 0) return;
    this.dirtiedAtUs = nowUs;
    this.cache.inodeDirtied(nowUs);
  }
  writeBackIfDirtiedBy(dirtiedBeforeUs: number): void {
    this.passAtUs = dirtiedBeforeUs + this.expireUs;
    if (this.dirtiedAtUs < 0 || this.dirtiedAtUs > dirtiedBeforeUs) return;
    this.writtenBackAtUs.push(this.passAtUs);
    this.dirtiedAtUs = -1;
  }
}

const EXPIRE = 30 * S;
const INTERVAL = 5 * S;

function disk(): PageCache {
  return new PageCache({ dirtyExpireUs: EXPIRE, dirtyWritebackUs: INTERVAL });
}

describe('PageCache (the kernel flusher of one disk)', () => {
  it('sleeps until a file is dirtied, then wakes every interval until the disk is clean', () => {
    const cache = disk();
    const f = new FakeFile(cache, EXPIRE);
    cache.catchUp(100 * S);
    expect(cache.nextWritebackUs).toBe(-1);
    f.write(2 * S);
    expect(cache.nextWritebackUs).toBe(7 * S);
    cache.catchUp(31 * S);
    expect(f.writtenBackAtUs).toEqual([]);
    expect(cache.nextWritebackUs).toBe(32 * S);
    cache.catchUp(32 * S);
    expect(f.writtenBackAtUs).toEqual([32 * S]);
    expect(cache.nextWritebackUs).toBe(-1);
  });

  it('keeps its phase while another file is still dirty, so a file can wait dirtyExpire + dirtyWriteback', () => {
    const cache = disk();
    const a = new FakeFile(cache, EXPIRE);
    const b = new FakeFile(cache, EXPIRE);
    a.write(100_000); // arms the flusher: passes at 5.1, 10.1, ... s
    for (let ms = 200; ms <= 45_000; ms += 100) {
      a.write(ms * 1000);
      if (ms >= 5200) b.write(ms * 1000); // b starts just after the 5.1 s pass
    }
    // a goes at 30.1 s (and next at 60.1 s, 30 s after the write that dirtied it again);
    // b waits for the first pass at or after 35.2 s: 40.1 s, 34.9 s after it was dirtied.
    expect(a.writtenBackAtUs).toEqual([30_100_000]);
    expect(b.writtenBackAtUs).toEqual([40_100_000]);
  });

  it('writes nothing back when dirtyWritebackMs is 0 (periodic writeback off, as in Linux)', () => {
    const cache = new PageCache({ dirtyExpireUs: EXPIRE, dirtyWritebackUs: 0 });
    const f = new FakeFile(cache, EXPIRE);
    f.write(1 * S);
    expect(cache.nextWritebackUs).toBe(-1);
    cache.catchUp(1000 * S);
    expect(f.writtenBackAtUs).toEqual([]);
    expect(f.dirtiedAtUs).toBe(1 * S);
  });

  it('writes at the first pass when dirtyExpireMs is 0', () => {
    const cache = new PageCache({ dirtyExpireUs: 0, dirtyWritebackUs: INTERVAL });
    const f = new FakeFile(cache, 0);
    f.write(1 * S);
    cache.catchUp(6 * S);
    expect(f.writtenBackAtUs).toEqual([6 * S]);
  });

  it('forgets everything on power loss: the flusher sleeps until the next write', () => {
    const cache = disk();
    const f = new FakeFile(cache, EXPIRE);
    f.write(1 * S);
    cache.lose();
    f.dirtiedAtUs = -1;
    expect(cache.nextWritebackUs).toBe(-1);
    f.write(50 * S);
    expect(cache.nextWritebackUs).toBe(55 * S);
  });

  it('refuses negative settings', () => {
    expect(() => new PageCache({ dirtyExpireUs: -1, dirtyWritebackUs: INTERVAL })).toThrow(/>= 0/);
  });
});
