// StreamHash's fast paths (the direct-mapped string cache, arrays of small integers hashed on
// local lanes, the inline small-integer case of value(), the integer and string fields of objects
// mixed inline) must give the digest of the plain algorithm the file header describes, or every
// pinned trace hash would change. The reference below is that plain algorithm, written out
// without any cache or shortcut.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { StreamHash } from './stream-hash.ts';

class ReferenceHash {
  private h1 = 0x9747b28c;
  private h2 = 0x85ebca6b;

  mix(k: number): void {
    k = Math.imul(k, 0xcc9e2d51);
    k = (k << 15) | (k >>> 17);
    k = Math.imul(k, 0x1b873593);
    let h = this.h1 ^ k;
    h = (h << 13) | (h >>> 19);
    this.h1 = (Math.imul(h, 5) + 0xe6546b64) | 0;
    let g = this.h2 ^ Math.imul(k, 0x85ebca77);
    g = (g << 17) | (g >>> 15);
    this.h2 = (Math.imul(g, 0xc2b2ae3d) + this.h1) | 0;
  }

  int(x: number): void {
    if (x >= 0 && x <= 0x7fffffff && (x | 0) === x) {
      this.mix(x);
      this.mix(0);
    } else if (Number.isSafeInteger(x)) {
      this.mix(x | 0);
      this.mix(Math.floor(x / 4294967296) | 0);
    } else this.num(x);
  }

  num(x: number): void {
    if (Number.isInteger(x) && Number.isSafeInteger(x)) return this.int(x);
    const f64 = new Float64Array([x]);
    const u32 = new Uint32Array(f64.buffer);
    this.mix(u32[0] | 0);
    this.mix(u32[1] ^ 0x5bd1e995);
  }

  private strHash(s: string): number {
    let h = 0x811c9dc5;
    for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
    return h ^ s.length;
  }

  str(s: string): void {
    this.mix(this.strHash(s));
  }

  value(v: unknown): void {
    if (typeof v === 'number') {
      if (Number.isInteger(v) && v >= 0 && v <= 0x7fffffff) this.mix(v);
      else {
        this.mix(-1);
        this.num(v);
      }
    } else if (typeof v === 'string') this.mix(this.strHash(v) | 0x80000000);
    else if (typeof v === 'boolean') this.mix(v ? -2 : -3);
    else if (v === undefined) this.mix(-4);
    else if (v === null) this.mix(-5);
    else if (Array.isArray(v)) {
      this.mix(-6);
      this.mix(v.length);
      for (const x of v) this.value(x);
    } else {
      this.mix(-7);
      for (const x of Object.values(v as object)) this.value(x);
      this.mix(-8);
    }
  }

  digest(): string {
    const fmix = (h: number): number => {
      h ^= h >>> 16;
      h = Math.imul(h, 0x85ebca6b);
      h ^= h >>> 13;
      h = Math.imul(h, 0xc2b2ae35);
      h ^= h >>> 16;
      return h >>> 0;
    };
    const a = fmix(this.h1 ^ this.h2);
    const b = fmix(this.h2 + a);
    return a.toString(16).padStart(8, '0') + b.toString(16).padStart(8, '0');
  }
}

// Event-like values: type names and keys that repeat (the caches' case), arrays of small
// integers mixed with other items (the array fast path), integers at the 31-bit edges.
const names = fc.constantFrom('type', 'append', 'records', 'partition', 'orders-1', 'orders-10', 'orders-01', 'ab', 'ba', '', 'x'.repeat(40));
const numbers = fc.oneof(fc.nat(0x7fffffff), fc.constantFrom(0, -0, 0x7fffffff, 0x80000000, -1, 2 ** 40, -(2 ** 40), 0.5, NaN, Infinity), fc.double());
const leaf = fc.oneof(numbers, names, fc.boolean(), fc.constant(null), fc.constant(undefined));
const { value } = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: 'small', withCrossShrink: true }, leaf, tie('array'), tie('object')),
  array: fc.array(fc.oneof(fc.nat(1_000_000), tie('value')), { maxLength: 12 }),
  object: fc.dictionary(names, tie('value'), { maxKeys: 5 }),
}));

describe('StreamHash', () => {
  it('gives the digest of the plain algorithm for any stream of values and strings', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(value, names), { maxLength: 40 }), (stream) => {
        const fast = new StreamHash();
        const ref = new ReferenceHash();
        for (const [v, s] of stream) {
          fast.value(v);
          ref.value(v);
          fast.str(s);
          ref.str(s);
        }
        expect(fast.digest()).toBe(ref.digest());
      }),
      { numRuns: 300 },
    );
  });

  it('tells apart strings that share a cache slot', () => {
    // same length, first and last code units: one slot of the direct-mapped cache
    const a = new StreamHash();
    const b = new StreamHash();
    a.str('orders-10');
    a.str('orders-00');
    b.str('orders-10');
    b.str('orders-10');
    expect(a.digest()).not.toBe(b.digest());
    const ref = new ReferenceHash();
    ref.str('orders-10');
    ref.str('orders-00');
    expect(a.digest()).toBe(ref.digest());
  });
});
