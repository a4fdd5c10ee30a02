// Columns of numbers stored as fixed-size typed-array chunks (CHUNK_ROWS rows each) that never copy
// when they grow. A long run's tables reach millions of rows; an array that grows by copying frees
// each outgrown buffer, and once glibc's malloc has raised its mmap threshold those buffers come
// from the heap and leave holes no larger array fits (a virtual hour's RSS carried ~90 MB of them).
// Chunks are allocated once and kept, so there are no holes. Only the first chunk starts small and
// doubles up to CHUNK_ROWS (a small table stays small); reads are one shift, one mask, two loads.
//
// One class per element type, so that each class's reads and writes see one typed-array kind
// (V8's element access stays monomorphic on the hot paths); NarrowIntColumn is 16 bits a row until
// a value needs 32. Rows [0, length) read back exactly what was written; other rows are not to be
// read (they may hold anything, or throw). The engine module: it knows nothing of any model.

/** log2 of the rows of a full chunk: 16,384 rows, 64 KB of 32-bit values (under malloc's mmap threshold). */
export const CHUNK_BITS = 14;
const CHUNK_ROWS = 1 << CHUNK_BITS;
const CHUNK_MASK = CHUNK_ROWS - 1;
/** Rows of the first chunk when none is asked for. */
const FIRST_ROWS = 1024;

type Chunk = Int32Array | Uint32Array | Uint8Array | Int16Array | Uint16Array | Float64Array;

abstract class ChunkedColumn<T extends Chunk> {
  protected chunks: T[];
  protected rows = 0;
  /** Rows the chunks hold. */
  protected capacity: number;

  /** initialRows: the first chunk's rows (rounded up to a power of two, at most CHUNK_ROWS). */
  constructor(
    protected make: new (rows: number) => T,
    initialRows: number,
  ) {
    let rows = 16;
    while (rows < initialRows && rows < CHUNK_ROWS) rows *= 2;
    this.capacity = rows;
    this.chunks = [new make(rows)];
  }

  /** Rows written so far. */
  get length(): number {
    return this.rows;
  }

  /** Extends the column to `rows` rows (the new ones 0); a shorter length is left as it is. */
  growTo(rows: number): void {
    if (!Number.isInteger(rows) || rows > 2 ** 31) throw new RangeError(`chunked column length ${rows}: not an integer up to 2^31`);
    if (rows <= this.rows) return;
    while (this.capacity < rows) this.addRoom();
    // Rows past the length once written (after a truncate) read 0 again.
    for (let r = this.rows; r < rows; ) {
      const end = Math.min(rows, (r | CHUNK_MASK) + 1);
      this.chunks[r >>> CHUNK_BITS].fill(0, r & CHUNK_MASK, ((end - 1) & CHUNK_MASK) + 1);
      r = end;
    }
    this.rows = rows;
  }

  /** Drops the rows from `rows` on (a shorter length; a longer one is an error). */
  truncate(rows: number): void {
    if (!(rows >= 0 && rows <= this.rows)) throw new RangeError(`chunked column truncated to ${rows} of ${this.rows} rows`);
    this.rows = rows;
  }

  /** A row past the length (rows = length: appends one). */
  protected outside(row: number): void {
    if (row !== this.rows) throw new RangeError(`chunked column row ${row} outside [0, ${this.rows}]`);
    if (row === this.capacity) this.addRoom();
    this.rows = row + 1;
  }

  /** Room for more rows: the first chunk doubles until full size, then a new chunk each time. */
  private addRoom(): void {
    if (this.capacity < CHUNK_ROWS) {
      const first = new this.make(this.capacity * 2);
      first.set(this.chunks[0] as never);
      this.chunks[0] = first;
      this.capacity *= 2;
    } else {
      this.chunks.push(new this.make(CHUNK_ROWS));
      this.capacity += CHUNK_ROWS;
    }
  }
}

/** 32-bit signed integers. */
export class Int32Column extends ChunkedColumn<Int32Array> {
  constructor(initialRows = FIRST_ROWS) {
    super(Int32Array, initialRows);
  }

  get(row: number): number {
    return this.chunks[row >>> CHUNK_BITS][row & CHUNK_MASK];
  }

  /** Writes row `row` (< length: rewrites it; = length: appends). */
  set(row: number, v: number): void {
    if (row >= this.rows || row < 0) this.outside(row);
    this.chunks[row >>> CHUNK_BITS][row & CHUNK_MASK] = v;
  }

  push(v: number): void {
    this.set(this.rows, v);
  }
}

/** 32-bit unsigned integers. */
export class Uint32Column extends ChunkedColumn<Uint32Array> {
  constructor(initialRows = FIRST_ROWS) {
    super(Uint32Array, initialRows);
  }

  get(row: number): number {
    return this.chunks[row >>> CHUNK_BITS][row & CHUNK_MASK];
  }

  /** Writes row `row` (< length: rewrites it; = length: appends). */
  set(row: number, v: number): void {
    if (row >= this.rows || row < 0) this.outside(row);
    this.chunks[row >>> CHUNK_BITS][row & CHUNK_MASK] = v;
  }

  push(v: number): void {
    this.set(this.rows, v);
  }
}

/** 8-bit unsigned integers (codes, flags). */
export class Uint8Column extends ChunkedColumn<Uint8Array> {
  constructor(initialRows = FIRST_ROWS) {
    super(Uint8Array, initialRows);
  }

  get(row: number): number {
    return this.chunks[row >>> CHUNK_BITS][row & CHUNK_MASK];
  }

  /** Writes row `row` (< length: rewrites it; = length: appends). */
  set(row: number, v: number): void {
    if (row >= this.rows || row < 0) this.outside(row);
    this.chunks[row >>> CHUNK_BITS][row & CHUNK_MASK] = v;
  }

  push(v: number): void {
    this.set(this.rows, v);
  }
}

/** Doubles. */
export class Float64Column extends ChunkedColumn<Float64Array> {
  constructor(initialRows = FIRST_ROWS) {
    super(Float64Array, initialRows);
  }

  get(row: number): number {
    return this.chunks[row >>> CHUNK_BITS][row & CHUNK_MASK];
  }

  /** Writes row `row` (< length: rewrites it; = length: appends). */
  set(row: number, v: number): void {
    if (row >= this.rows || row < 0) this.outside(row);
    this.chunks[row >>> CHUNK_BITS][row & CHUNK_MASK] = v;
  }

  push(v: number): void {
    this.set(this.rows, v);
  }
}

const INT32_MIN = -(2 ** 31);
const INT32_MAX = 2 ** 31 - 1;

/**
 * Small integers (interned names, sessions, epochs, batch sizes): 16 bits a row (signed:
 * -32,768..32,767; unsigned: 0..65,535) until the first value that does not fit, when every chunk
 * widens (once, copying) to 32 bits. A value outside 32 bits is a RangeError: reads stay exact.
 */
export class NarrowIntColumn extends ChunkedColumn<Int16Array | Uint16Array | Int32Array> {
  private min: number;
  private max: number;

  constructor(signed: boolean, initialRows = FIRST_ROWS) {
    super(signed ? Int16Array : Uint16Array, initialRows);
    this.min = signed ? -0x8000 : 0;
    this.max = signed ? 0x7fff : 0xffff;
  }

  /** Whether the column has widened to 32 bits. */
  get wide(): boolean {
    return this.make === Int32Array;
  }

  get(row: number): number {
    return this.chunks[row >>> CHUNK_BITS][row & CHUNK_MASK];
  }

  /** Writes row `row` (< length: rewrites it; = length: appends). */
  set(row: number, v: number): void {
    if (v < this.min || v > this.max || (v | 0) !== v) this.widenFor(v);
    if (row >= this.rows || row < 0) this.outside(row);
    this.chunks[row >>> CHUNK_BITS][row & CHUNK_MASK] = v;
  }

  push(v: number): void {
    this.set(this.rows, v);
  }

  private widenFor(v: number): void {
    if (!Number.isInteger(v) || v < INT32_MIN || v > INT32_MAX) throw new RangeError(`${v}: a narrow column holds 32-bit integers`);
    this.chunks = this.chunks.map((c) => Int32Array.from(c));
    this.make = Int32Array;
    this.min = INT32_MIN;
    this.max = INT32_MAX;
  }
}

/**
 * Rows [start, start + length) of a SharedInt32Column as they were when handed out, or of an
 * array: they never change (the column copies a chunk a view holds before writing to it).
 */
export class Int32View {
  static readonly EMPTY = new Int32View([new Int32Array(0)], 0, 0);

  /** chunks[0] holds row `start` (its chunk-relative row); later rows run on into chunks[1], .... */
  private constructor(
    private readonly chunks: readonly Int32Array[],
    private readonly start: number,
    readonly length: number,
  ) {}

  /** A view of `values` (kept, not copied: the caller must not change them). */
  static of(values: Int32Array): Int32View {
    const chunks: Int32Array[] = [];
    for (let r = 0; r === 0 || r < values.length; r += CHUNK_ROWS) chunks.push(values.subarray(r, r + CHUNK_ROWS));
    return new Int32View(chunks, 0, values.length);
  }

  /** Handed out by SharedInt32Column.view only. */
  static ofChunks(chunks: readonly Int32Array[], start: number, length: number): Int32View {
    return new Int32View(chunks, start, length);
  }

  /** Row i of the view (0 <= i < length). */
  get(i: number): number {
    const r = this.start + i;
    return this.chunks[r >>> CHUNK_BITS][r & CHUNK_MASK];
  }

  /**
   * The whole chunk whose first row is row i of the view (i may be negative, down to the start of
   * the view's first chunk), or null when row i does not start a full chunk. Rows of a chunk a
   * view holds never change once below the column's furthest view (see SharedInt32Column.adopt).
   */
  alignedChunk(i: number): Int32Array | null {
    const r = this.start + i;
    if (r < 0 || (r & CHUNK_MASK) !== 0) return null;
    const chunk = this.chunks[r >>> CHUNK_BITS];
    return chunk !== undefined && chunk.length === CHUNK_ROWS && chunk.byteOffset === 0 && chunk.buffer.byteLength === CHUNK_ROWS * 4 ? chunk : null;
  }

  /** The rows from i on (sharing the chunks). */
  from(i: number): Int32View {
    return i >= this.length ? Int32View.EMPTY : new Int32View(this.chunks, this.start + i, this.length - i);
  }
}

/**
 * 32-bit integers whose row ranges can be handed out as views (Int32View) that never change: a
 * rewrite of a row some view may hold copies its chunk first (copy-on-write by chunk, so a rewrite
 * after a view costs one chunk, not the column); appending past every view copies nothing.
 */
export class SharedInt32Column extends ChunkedColumn<Int32Array> {
  /** Chunks some view holds. */
  private readonly shared: boolean[] = [];
  /** The end of the furthest view handed out: appends past it (the common write) never copy. */
  private viewedTo = 0;

  constructor(initialRows = FIRST_ROWS) {
    super(Int32Array, initialRows);
  }

  get(row: number): number {
    return this.chunks[row >>> CHUNK_BITS][row & CHUNK_MASK];
  }

  /** Writes row `row` (< length: rewrites it; = length: appends). */
  set(row: number, v: number): void {
    if (row >= this.rows || row < 0) this.outside(row);
    const c = row >>> CHUNK_BITS;
    if (row < this.viewedTo && this.shared[c] === true) this.own(c);
    this.chunks[c][row & CHUNK_MASK] = v;
  }

  /** As ChunkedColumn.growTo, copying first any chunk a view holds that the zero fill would touch. */
  override growTo(rows: number): void {
    for (let c = this.rows >>> CHUNK_BITS; c < this.chunks.length && c * CHUNK_ROWS < Math.min(rows, this.viewedTo); c++) if (this.shared[c] === true) this.own(c);
    super.growTo(rows);
  }

  /** Gives chunk c a copy of its own: a view, or another column, holds the one it has. */
  private own(c: number): void {
    this.chunks[c] = this.chunks[c].slice();
    this.shared[c] = false;
  }

  push(v: number): void {
    this.set(this.rows, v);
  }

  /**
   * Once rows [at, at + count) were appended from rows [from, from + count) of `view`: every full
   * chunk those appends completed that holds exactly what the view's chunk at the same rows holds
   * is replaced by the view's chunk, which both columns then share (copy-on-write: each copies it
   * before writing to it). So replicas in sync, whose followers append the leader's views, keep
   * one copy of their rows. Safe because a chunk a view holds never changes in place below the
   * furthest row its column handed out (set copies first), and the view's chunk lies wholly below
   * it: the view reaches the row that completed this chunk, the chunk's last.
   */
  adopt(view: Int32View, from: number, at: number, count: number): void {
    const end = Math.min(at + count, this.rows);
    for (let c = at >>> CHUNK_BITS; (c + 1) * CHUNK_ROWS <= end; c++) {
      const candidate = view.alignedChunk(from + c * CHUNK_ROWS - at);
      const own = this.chunks[c];
      if (candidate === null || candidate === own || own.length !== CHUNK_ROWS || !sameValues(candidate, own)) continue;
      this.chunks[c] = candidate;
      this.shared[c] = true;
      if ((c + 1) * CHUNK_ROWS > this.viewedTo) this.viewedTo = (c + 1) * CHUNK_ROWS;
    }
  }

  /** Rows [from, to) (within the length) as a view that keeps what they hold now. */
  view(from: number, to: number): Int32View {
    if (to <= from) return Int32View.EMPTY;
    if (from < 0 || to > this.rows) throw new RangeError(`chunked column view [${from}, ${to}) outside [0, ${this.rows})`);
    const first = from >>> CHUNK_BITS;
    const last = (to - 1) >>> CHUNK_BITS;
    for (let c = first; c <= last; c++) this.shared[c] = true;
    if (to > this.viewedTo) this.viewedTo = to;
    return Int32View.ofChunks(this.chunks.slice(first, last + 1), from - first * CHUNK_ROWS, to - from);
  }
}

function sameValues(a: Int32Array, b: Int32Array): boolean {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
