// The client history of a ksim run (client-history.ts: Jepsen's sends, polls and assignments)
// stored by columns, so an op costs tens of bytes rather than a few hundred: a virtual hour has
// over a million sends and as many polled records. Typed arrays hold the op rows (time, process,
// kind), the sends (key, value, offset, invocation), the reads of the polls (key, range of pairs)
// and the polled [offset, value] pairs; strings are interned; an assign's keys are kept as they
// come (there are few). Iterating builds a ClientOp per op, one at a time, for the analyses, which
// read a history as Jepsen writes it (jepsen.tests.kafka) whatever stores it. The columns are
// chunked (src/sim/chunked-column.ts): they never copy as a long run grows them.

import type { TimeUs } from '../../../src/sim/time.ts';
import { TimeColumn } from '../../../src/sim/time-column.ts';
import { Int32Column, NarrowIntColumn, Uint8Column } from '../../../src/sim/chunked-column.ts';
import type { ClientOp, ReadPair } from './client-op.ts';
import { Interned } from './interned.ts';

/** f and type of an op row. */
const enum OpKind {
  SendOk = 0,
  SendInfo = 1,
  SendFail = 2,
  Poll = 3,
  Assign = 4,
}

/**
 * log2 of the rows of a block: each block of 1,024 ops (and of reads) keeps as 32-bit bases where
 * its first row's send, read, assign (and pairs) began, and each row its own as a 16-bit step from
 * its block's base, 2 bytes a row rather than 4. A block's ops add one send or assign each, but
 * reads and pairs can add more (a poll reads several partitions, a read up to max.poll.records):
 * a step past 65,535 widens its column to 32 bits, once (NarrowIntColumn).
 */
const BLOCK_BITS = 10;

/** `v` when it fits the 32-bit columns (record ids and offsets of a run do); else a RangeError naming it. */
function int32(v: number, what: string): number {
  if ((v | 0) !== v || v < 0) throw new RangeError(`${what} ${v}: the client op log stores non-negative 32-bit integers`);
  return v;
}

/** The ops of a run's client history, in completion order; iterable as ClientOps. */
export class ClientOpLog implements Iterable<ClientOp> {
  private readonly kind = new Uint8Column();
  /** Completion times: in history order, so 4 bytes an op (TimeColumn). */
  private readonly timeUs = new TimeColumn();
  /** Interned process names: 16 bits until there are more than 65,536. */
  private readonly process = new NarrowIntColumn(false);
  /**
   * Send: its row in the send columns. Poll: its first read. Assign: its index in assignKeys.
   * Each as a step from its block's base of its kind (firstOf): 2 bytes an op rather than 4.
   */
  private readonly firstStep = new NarrowIntColumn(false);
  /** Per block of ops: the send row, read and assign index its first op found next. */
  private readonly blockSendBase = new Int32Column(16);
  private readonly blockReadBase = new Int32Column(16);
  private readonly blockAssignBase = new Int32Column(16);
  /**
   * The send columns, a row per send (polls, a third of a long run's ops, have none): the key
   * (interned), how long before its completion it was invoked (µs, 32 bits; -1: longer than 32
   * bits hold, its invocation time is in longInvokeUs by send row; a send lasts at most
   * delivery.timeout.ms), the value (record id) and the offset (-1: unknown).
   */
  private readonly sendKey = new NarrowIntColumn(false);
  private readonly invokeAgoUs = new Int32Column();
  private readonly longInvokeUs = new Map<number, TimeUs>();
  private readonly value = new Int32Column();
  private readonly offset = new Int32Column();
  /**
   * Reads of polls: the interned key, complemented (~key, negative) on its poll's last read (a
   * poll's reads run from its first to that one), and the first of its pairs (a read's pairs end
   * where the next read's begin).
   */
  private readonly readKey = new Int32Column();
  private readonly readPairStep = new NarrowIntColumn(false);
  /** Per block of reads: the pair row its first read starts at (the base of readPairStep: pairStart). */
  private readonly blockPairBase = new Int32Column(16);
  private readonly pairOffset = new Int32Column();
  private readonly pairValue = new Int32Column();
  private readonly assignKeys: string[][] = [];
  private readonly interned = new Interned();

  get length(): number {
    return this.kind.length;
  }

  addSend(timeUs: TimeUs, process: string, type: 'ok' | 'info' | 'fail', key: string, value: number, offset: number | null, invokeTimeUs: TimeUs): void {
    const send = this.value.length;
    this.row(type === 'ok' ? OpKind.SendOk : type === 'info' ? OpKind.SendInfo : OpKind.SendFail, timeUs, process, send);
    this.sendKey.push(this.interned.id(key));
    const agoUs = timeUs - invokeTimeUs;
    if ((agoUs | 0) === agoUs && agoUs >= 0) this.invokeAgoUs.push(agoUs);
    else {
      this.longInvokeUs.set(send, invokeTimeUs);
      this.invokeAgoUs.push(-1);
    }
    this.value.push(int32(value, 'record id'));
    this.offset.push(offset === null ? -1 : int32(offset, 'offset'));
  }

  /** A new ok poll op with one read. */
  addPoll(timeUs: TimeUs, process: string, key: string, offsets: readonly number[], records: readonly number[]): void {
    this.row(OpKind.Poll, timeUs, process, this.readKey.length);
    this.pushRead(key, offsets, records);
  }

  /** Whether the last op is a poll of `process` at `timeUs` (another read of one poll() joins it). */
  lastIsPoll(timeUs: TimeUs, process: string): boolean {
    const last = this.kind.length - 1;
    return last >= 0 && this.kind.get(last) === OpKind.Poll && this.timeUs.get(last) === timeUs && this.interned.values[this.process.get(last)] === process;
  }

  /** Another read of the last op (a poll: lastIsPoll). */
  addRead(key: string, offsets: readonly number[], records: readonly number[]): void {
    const previous = this.readKey.length - 1;
    this.readKey.set(previous, ~this.readKey.get(previous)); // no longer its poll's last read
    this.pushRead(key, offsets, records);
  }

  /** Appends a read as its poll's last. */
  private pushRead(key: string, offsets: readonly number[], records: readonly number[]): void {
    this.readKey.push(~this.interned.id(key));
    const read = this.readPairStep.length;
    if ((read & ((1 << BLOCK_BITS) - 1)) === 0) this.blockPairBase.push(this.pairOffset.length);
    this.readPairStep.push(this.pairOffset.length - this.blockPairBase.get(read >>> BLOCK_BITS));
    for (let i = 0; i < records.length; i++) {
      this.pairOffset.push(int32(offsets[i], 'offset'));
      this.pairValue.push(int32(records[i], 'record id'));
    }
  }

  addAssign(timeUs: TimeUs, process: string, keys: string[]): void {
    this.row(OpKind.Assign, timeUs, process, this.assignKeys.length);
    this.assignKeys.push(keys);
  }

  /** The op at `index` (a new object each call). */
  opAt(index: number): ClientOp {
    const kind = this.kind.get(index) as OpKind;
    const timeUs = this.timeUs.get(index);
    const process = this.interned.values[this.process.get(index)];
    const first = this.firstOf(index, kind);
    switch (kind) {
      case OpKind.Poll: {
        const reads: { key: string; pairs: ReadPair[] }[] = [];
        for (let r = first; ; r++) {
          const key = this.readKey.get(r);
          reads.push({ key: this.interned.values[key < 0 ? ~key : key], pairs: this.pairsOf(r) });
          if (key < 0) break;
        }
        return { index, timeUs, process, type: 'ok', f: 'poll', reads };
      }
      case OpKind.Assign:
        return { index, timeUs, process, type: 'ok', f: 'assign', keys: [...this.assignKeys[first]] };
      default: {
        const offset = this.offset.get(first);
        const type = kind === OpKind.SendOk ? 'ok' : kind === OpKind.SendInfo ? 'info' : 'fail';
        const sends = [{ key: this.interned.values[this.sendKey.get(first)], value: this.value.get(first), offset: offset < 0 ? null : offset }];
        return { index, timeUs, invokeTimeUs: this.invokeTimeUs(first, timeUs), process, type, f: 'send', sends };
      }
    }
  }

  *[Symbol.iterator](): Iterator<ClientOp> {
    for (let i = 0; i < this.kind.length; i++) yield this.opAt(i);
  }

  /**
   * The ops in history order as scratch objects the pass reuses: each op, with its sends, reads and
   * pairs, holds what opAt() builds until the pass's next step, then changes. For the end-of-run
   * passes that keep no op (OpHistory.transient): they built ~130 MB of ClientOps a default run.
   */
  transient(): Iterable<ClientOp> {
    const scratch = new TransientOps();
    const result = { done: false, value: undefined as ClientOp | undefined };
    let next = 0;
    const pass = {
      next: () => {
        if (next < this.kind.length) result.value = this.fillTransient(next++, scratch);
        else {
          result.done = true;
          result.value = undefined;
        }
        return result as IteratorResult<ClientOp>;
      },
      [Symbol.iterator]: () => pass,
    };
    return pass;
  }

  /** Fills the scratch op of a transient pass with op `index` (as opAt() builds it) and returns it. */
  private fillTransient(index: number, scratch: TransientOps): ClientOp {
    const kind = this.kind.get(index) as OpKind;
    const first = this.firstOf(index, kind);
    const op = kind === OpKind.Poll ? scratch.poll : kind === OpKind.Assign ? null : scratch.send;
    if (op === null) return this.opAt(index); // assigns are few: a new op each
    op.index = index;
    op.timeUs = this.timeUs.get(index);
    op.process = this.interned.values[this.process.get(index)];
    if (kind !== OpKind.Poll) {
      const offset = this.offset.get(first);
      const send = scratch.sendMop;
      send.key = this.interned.values[this.sendKey.get(first)];
      send.value = this.value.get(first);
      send.offset = offset < 0 ? null : offset;
      op.type = kind === OpKind.SendOk ? 'ok' : kind === OpKind.SendInfo ? 'info' : 'fail';
      op.invokeTimeUs = this.invokeTimeUs(first, op.timeUs);
      return op;
    }
    const reads = scratch.reads;
    let n = 0;
    let pair = 0;
    for (let r = first; ; r++, n++) {
      const key = this.readKey.get(r);
      if (n === scratch.readPool.length) scratch.readPool.push({ key: '', pairs: [] });
      const read = scratch.readPool[n];
      read.key = this.interned.values[key < 0 ? ~key : key];
      const start = this.pairStart(r);
      const end = this.pairStart(r + 1);
      // Written in place and cut to length after (length = 0 first would free the array's store).
      const pairs = read.pairs;
      for (let p = start; p < end; p++, pair++) {
        if (pair === scratch.pairPool.length) scratch.pairPool.push([0, 0]);
        const tuple = scratch.pairPool[pair];
        tuple[0] = this.pairOffset.get(p);
        tuple[1] = this.pairValue.get(p);
        pairs[p - start] = tuple;
      }
      if (pairs.length !== end - start) pairs.length = end - start; // a length set is a runtime call, even to the same length
      reads[n] = read;
      if (key < 0) break;
    }
    if (reads.length !== n + 1) reads.length = n + 1;
    return op;
  }

  private pairsOf(read: number): ReadPair[] {
    const start = this.pairStart(read);
    const end = this.pairStart(read + 1);
    const pairs: ReadPair[] = [];
    for (let p = start; p < end; p++) pairs.push([this.pairOffset.get(p), this.pairValue.get(p)]);
    return pairs;
  }

  private invokeTimeUs(send: number, timeUs: TimeUs): TimeUs {
    const agoUs = this.invokeAgoUs.get(send);
    return agoUs < 0 ? this.longInvokeUs.get(send)! : timeUs - agoUs;
  }

  /** Op `index`'s send row, first read or assign index (by its kind). */
  private firstOf(index: number, kind: OpKind): number {
    return this.baseOf(index >>> BLOCK_BITS, kind) + this.firstStep.get(index);
  }

  /** Block `block`'s base of the rows ops of `kind` point to. */
  private baseOf(block: number, kind: OpKind): number {
    return kind === OpKind.Poll ? this.blockReadBase.get(block) : kind === OpKind.Assign ? this.blockAssignBase.get(block) : this.blockSendBase.get(block);
  }

  /** The first pair row of read `read` (the pairs' end for the read past the last). */
  private pairStart(read: number): number {
    return read < this.readPairStep.length ? this.blockPairBase.get(read >>> BLOCK_BITS) + this.readPairStep.get(read) : this.pairOffset.length;
  }

  private row(kind: OpKind, timeUs: TimeUs, process: string, first: number): void {
    const index = this.kind.length;
    if ((index & ((1 << BLOCK_BITS) - 1)) === 0) {
      this.blockSendBase.push(this.value.length);
      this.blockReadBase.push(this.readKey.length);
      this.blockAssignBase.push(this.assignKeys.length);
    }
    this.kind.push(kind);
    this.timeUs.push(timeUs);
    this.process.push(this.interned.id(process));
    this.firstStep.push(first - this.baseOf(index >>> BLOCK_BITS, kind));
  }
}

/** The scratch objects of one transient pass (ClientOpLog.transient), reused from op to op. */
class TransientOps {
  readonly sendMop = { key: '', value: 0, offset: null as number | null };
  readonly send: ClientOp = { index: 0, timeUs: 0, invokeTimeUs: 0, process: '', type: 'ok', f: 'send', sends: [this.sendMop] };
  readonly reads: { key: string; pairs: ReadPair[] }[] = [];
  readonly poll: ClientOp = { index: 0, timeUs: 0, process: '', type: 'ok', f: 'poll', reads: this.reads };
  readonly readPool: { key: string; pairs: ReadPair[] }[] = [];
  readonly pairPool: [number, number][] = [];
}
