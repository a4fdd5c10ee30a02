// A canonical, incremental 64-bit hash of an event stream (two 32-bit murmur3-style lanes), fed
// with the same fields that make up each trace line, so a run's hash does not depend on whether
// its trace is being written (what differs between two lines, the hash sees, save an object's key
// names: its values in key order stand for it, as a line's event type fixes its keys). Numbers hash
// by value (a small non-negative integer as itself, other integers by their two 32-bit halves,
// other numbers by their IEEE-754 bits), strings by UTF-16 code unit. Not cryptographic: it names
// runs, it does not defend against forgery.

const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);
const TWO_POW_32 = 4294967296;
/** value()'s tags: negative, so never the mix of a small non-negative integer. */
const T_NUMBER = -1;
const T_TRUE = -2;
const T_FALSE = -3;
const T_UNDEFINED = -4;
const T_NULL = -5;
const T_ARRAY = -6;
const T_OBJECT = -7;
const T_END = -8;

/** Slots of StreamHash's direct-mapped string cache (a power of two). */
const SLOTS = 256;

export class StreamHash {
  private h1 = 0x9747b28c;
  private h2 = 0x85ebca6b;
  private readonly stringCache = new Map<string, number>();
  /**
   * A direct-mapped cache in front of stringCache, indexed by length and first and last code
   * units: the same few dozen type names and keys hit it without hashing the string for a Map.
   */
  private readonly recentStrings = new Array<string>(SLOTS).fill('');
  private readonly recentHashes = new Int32Array(SLOTS);

  private mix(k: number): void {
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

  /** A small non-negative integer known to fit 31 bits (node index, record code): one mix. */
  small(x: number): void {
    this.mix(x);
  }

  int(x: number): void {
    if (x >= 0 && x <= 0x7fffffff && (x | 0) === x) {
      this.mix(x);
      this.mix(0);
    } else if (Number.isSafeInteger(x)) {
      this.mix(x | 0);
      this.mix(Math.floor(x / TWO_POW_32) | 0);
    } else {
      this.num(x);
    }
  }

  num(x: number): void {
    if (Number.isInteger(x) && Number.isSafeInteger(x)) return this.int(x);
    f64[0] = x;
    this.mix(u32[0] | 0);
    this.mix(u32[1] ^ 0x5bd1e995);
  }

  /** Strings hash through a cache: event and message type names repeat millions of times. */
  str(s: string): void {
    this.mix(this.strHash(s));
  }

  private strHash(s: string): number {
    const n = s.length;
    const slot = n === 0 ? 0 : (n * 31 + s.charCodeAt(0) * 7 + s.charCodeAt(n - 1)) & (SLOTS - 1);
    if (this.recentStrings[slot] === s && n > 0) return this.recentHashes[slot];
    let h = this.stringCache.get(s);
    if (h === undefined) {
      h = 0x811c9dc5;
      for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
      h ^= s.length;
      if (this.stringCache.size < 4096) this.stringCache.set(s, h);
    }
    if (n > 0 && n <= 32) {
      this.recentStrings[slot] = s;
      this.recentHashes[slot] = h;
    }
    return h;
  }

  /**
   * A value of a trace line (a model event, a fault): a small non-negative integer (offsets, record
   * ids, epochs: most of what a run hashes) is one mix of itself; a string one mix of its hash with
   * the top bit set; anything else a negative tag first. Objects hash their values in key order,
   * not their keys: an event's shape follows from its type, its first value.
   */
  value(v: unknown): void {
    switch (typeof v) {
      case 'number':
        if (v >= 0 && v <= 0x7fffffff && (v | 0) === v) this.mix(v);
        else {
          this.mix(T_NUMBER);
          this.num(v);
        }
        return;
      case 'string':
        this.mix(this.strHash(v) | 0x80000000);
        return;
      case 'boolean':
        this.mix(v ? T_TRUE : T_FALSE);
        return;
      case 'undefined':
        this.mix(T_UNDEFINED);
        return;
      case 'object':
        if (v === null) {
          this.mix(T_NULL);
        } else if (Array.isArray(v)) {
          this.mix(T_ARRAY);
          this.mix(v.length);
          this.arrayItems(v);
        } else {
          this.mix(T_OBJECT);
          this.fields(v as Record<string, unknown>);
          this.mix(T_END);
        }
        return;
      default:
        throw new Error(`cannot hash a ${typeof v}`);
    }
  }

  /**
   * value() of each field of an object, in key order: the small non-negative integers and the
   * strings most fields of an event are mixed here, without a call each. Same result as value().
   */
  private fields(o: Record<string, unknown>): void {
    // tidy: for-in: the event's own fields (plain objects), hashed in place: no key list per event.
    for (const k in o) {
      const x = o[k];
      if (typeof x === 'number' && x >= 0 && x <= 0x7fffffff && (x | 0) === x) this.mix(x);
      else if (typeof x === 'string') this.mix(this.strHash(x) | 0x80000000);
      else this.value(x);
    }
  }

  /**
   * value() of each item. Arrays of small non-negative integers (record ids, offsets) are most of
   * what a run hashes: their one mix each runs here on local lanes. Same result as value().
   */
  private arrayItems(v: readonly unknown[]): void {
    let h1 = this.h1;
    let h2 = this.h2;
    for (let i = 0; i < v.length; i++) {
      const x = v[i];
      if (typeof x !== 'number' || !(x >= 0 && x <= 0x7fffffff && (x | 0) === x)) {
        this.h1 = h1;
        this.h2 = h2;
        this.value(x);
        h1 = this.h1;
        h2 = this.h2;
        continue;
      }
      let k = Math.imul(x, 0xcc9e2d51);
      k = (k << 15) | (k >>> 17);
      k = Math.imul(k, 0x1b873593);
      let h = h1 ^ k;
      h = (h << 13) | (h >>> 19);
      h1 = (Math.imul(h, 5) + 0xe6546b64) | 0;
      let g = h2 ^ Math.imul(k, 0x85ebca77);
      g = (g << 17) | (g >>> 15);
      h2 = (Math.imul(g, 0xc2b2ae3d) + h1) | 0;
    }
    this.h1 = h1;
    this.h2 = h2;
  }

  /** 16 lowercase hex digits. Does not change the state. */
  digest(): string {
    // final avalanche (murmur3 fmix32) on each lane, cross-mixed
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

/**
 * A stream hash that hashes nothing, for runs that are judged but never named (ksim check's
 * generated runs: only the counterexample's repeated run, hashed, is saved and printed). Its
 * digest is UNHASHED, never a real hash (16 hex digits).
 */
export class NoStreamHash extends StreamHash {
  override small(_x: number): void {}
  override int(_x: number): void {}
  override num(_x: number): void {}
  override str(_s: string): void {}
  override value(_v: unknown): void {}
  override digest(): string {
    return UNHASHED;
  }
}

/** The trace hash of a run that was not hashed (RunOptions.unhashed). */
const UNHASHED = 'unhashed';
