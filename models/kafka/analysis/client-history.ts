// A history of client operations in the shape of Jepsen's Kafka test (jepsen.tests.kafka): the
// consumer-side analyses (version orders, poll-skip, nonmonotonic-poll, int-poll-skip,
// int-nonmonotonic-poll, inconsistent-offsets, unseen) read only this, so they run on a ksim run
// and on a history of a real cluster alike (imported from Jepsen's EDN, a later issue).
//
// Jepsen's vocabulary: a *key* is a topic-partition ("orders-0"), a *value* a message (a record id
// in ksim), a *process* one client (a new process after a crash). Operations:
// - send: `sends` [key, value, offset] micro-ops; offset null when unknown (an :info send);
// - poll: `reads`, per key the [offset, value] pairs returned, in order (several entries of one
//   key are several [:poll] micro-ops of one op, read in order);
// - assign / subscribe: `keys`, the partitions (or topics) the consumer now reads; a rebalance
//   that revokes partitions is an assign of the ones it keeps (Jepsen's assign replaces the set);
// - `rebalancedKeys`: Jepsen's :rebalance-log, keys rebalanced while the op ran.
// Types: invoke, ok, info (outcome unknown), fail.
//
// ClientHistoryRecorder builds one from the Kafka model's events: a producer's `send-ok` /
// `send-fail` is a send's completion (ok with its offset; info when the outcome is unknown; fail),
// one record per op (its invocation, the `send`, is implied and not kept); a member's poll() (its `poll` events of one
// time) one ok poll; an `assignment` an assign (eager protocols revoke everything first: an assign
// of nothing, then of the new partitions; cooperative ones keep what they keep); a member that lost
// its partitions (`member-reset`) an assign of nothing; a consumer process start a new process.

import type { TimeUs } from '../../../src/sim/time.ts';
import type { KafkaEvent } from '../kafka-events.ts';

export type Value = number | string;
type OpType = 'invoke' | 'ok' | 'info' | 'fail';

interface SendMop {
  key: string;
  value: Value;
  offset: number | null;
}

export type ReadPair = readonly [offset: number | null, value: Value];

export interface ClientOp {
  /** Position in the history. */
  index: number;
  timeUs: TimeUs;
  /** When the client invoked it, where that differs from timeUs (a send: its `send` event). */
  invokeTimeUs?: TimeUs;
  process: string;
  type: OpType;
  f: 'send' | 'poll' | 'txn' | 'assign' | 'subscribe';
  sends?: SendMop[];
  reads?: { key: string; pairs: ReadPair[] }[];
  keys?: string[];
  rebalancedKeys?: string[];
}

class ClientHistory {
  readonly ops: ClientOp[] = [];

  /** Appends `op`, numbering it (the object is kept, not copied). */
  add(op: Omit<ClientOp, 'index'>): ClientOp {
    const full = op as ClientOp;
    full.index = this.ops.length;
    this.ops.push(full);
    return full;
  }
}

/** Jepsen's op-reads: per key, every [offset, value] pair an op read, in order. */
export function opReads(op: ClientOp): Map<string, ReadPair[]> {
  const out = new Map<string, ReadPair[]>();
  for (const r of op.reads ?? []) {
    const list = out.get(r.key);
    if (list) for (const p of r.pairs) list.push(p);
    else out.set(r.key, [...r.pairs]);
  }
  return out;
}

/**
 * Jepsen's must-have-committed?: an ok op, or an info op one of whose sent values some ok op read
 * (then its sends took effect). `okReads` is every value ok ops read, per key.
 */
export function mustHaveCommitted(op: ClientOp, okReads: ReadonlyMap<string, ReadonlySet<Value>>): boolean {
  if (op.type === 'ok') return true;
  if (op.type !== 'info') return false;
  for (const s of op.sends ?? []) if (okReads.get(s.key)?.has(s.value)) return true;
  return false;
}

/** Every value ok ops read, per key. */
export function okReadsOf(history: readonly ClientOp[]): Map<string, Set<Value>> {
  const out = new Map<string, Set<Value>>();
  for (const op of history) {
    if (op.type !== 'ok') continue;
    for (const r of op.reads ?? []) {
      let set = out.get(r.key);
      if (!set) out.set(r.key, (set = new Set()));
      for (const [, v] of r.pairs) set.add(v);
    }
  }
  return out;
}

type Protocol = 'eager' | 'cooperative';

/** Builds the client history of a ksim run from the Kafka model's events, as they happen. */
export class ClientHistoryRecorder {
  readonly history = new ClientHistory();
  /** Member name -> its current process name (a new one per process start). */
  private readonly processOf = new Map<string, string>();
  private readonly starts = new Map<string, number>();
  /** The poll op being filled: one per member and time. */
  private openPoll: ClientOp | null = null;
  /** Records sent and not completed yet, and when each was sent. */
  private readonly invoked = new Map<number, TimeUs>();

  constructor(private readonly protocolOf: (member: string) => Protocol) {}

  record(timeUs: TimeUs, ev: KafkaEvent): void {
    switch (ev.type) {
      case 'send':
        // The invocation is not an op of its own (no analysis reads send invocations); the completion
        // keeps its time, for an exported history (jepsen-history-edn.ts).
        if (!this.invoked.has(ev.record)) this.invoked.set(ev.record, timeUs);
        return;
      case 'send-ok': {
        const sentUs = this.invoked.get(ev.record);
        if (sentUs === undefined) return; // a second ack of one record
        this.invoked.delete(ev.record);
        const sends = [{ key: ev.partition, value: ev.record, offset: ev.offset >= 0 ? ev.offset : null }];
        this.add(timeUs, ev.producer, 'ok', 'send', { sends, invokeTimeUs: sentUs });
        return;
      }
      case 'send-fail': {
        const sentUs = this.invoked.get(ev.record);
        if (sentUs === undefined) return;
        this.invoked.delete(ev.record);
        this.add(timeUs, ev.producer, ev.definite ? 'fail' : 'info', 'send', { sends: [{ key: ev.partition, value: ev.record, offset: null }], invokeTimeUs: sentUs });
        return;
      }
      case 'poll':
        return this.onPoll(timeUs, ev.member, ev.partition, ev.offsets, ev.records);
      case 'consumer-start': {
        const n = (this.starts.get(ev.member) ?? 0) + 1;
        this.starts.set(ev.member, n);
        this.processOf.set(ev.member, n === 1 ? ev.member : `${ev.member}#${n}`);
        return;
      }
      case 'assignment':
        if (this.protocolOf(ev.member) === 'eager') this.add(timeUs, this.process(ev.member), 'ok', 'assign', { keys: [] });
        this.add(timeUs, this.process(ev.member), 'ok', 'assign', { keys: [...ev.partitions] });
        return;
      case 'member-reset':
        this.add(timeUs, this.process(ev.member), 'ok', 'assign', { keys: [] });
        return;
    }
  }

  private process(member: string): string {
    return this.processOf.get(member) ?? member;
  }

  private onPoll(timeUs: TimeUs, member: string, key: string, offsets: readonly number[], records: readonly number[]): void {
    const process = this.process(member);
    const pairs: ReadPair[] = records.map((r, i) => [offsets[i], r] as const);
    const open = this.openPoll;
    if (open && open.timeUs === timeUs && open.process === process && this.history.ops[this.history.ops.length - 1] === open) {
      open.reads!.push({ key, pairs });
      return;
    }
    this.openPoll = this.add(timeUs, process, 'ok', 'poll', { reads: [{ key, pairs }] });
  }

  private add(timeUs: TimeUs, process: string, type: OpType, f: ClientOp['f'], body: Partial<ClientOp>): ClientOp {
    body.timeUs = timeUs;
    body.process = process;
    body.type = type;
    body.f = f;
    return this.history.add(body as Omit<ClientOp, 'index'>);
  }
}
