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
import type { KafkaEvent, KafkaEventType } from '../kafka-events.ts';
import { ClientOpLog } from './client-op-log.ts';

import type { ClientOp, ReadPair, Value } from './client-op.ts';

export type { ClientOp, ReadPair, Value };

/**
 * A history as the analyses read it: its ops in order, as an array (a history imported from
 * Jepsen's EDN) or as a run's compact ClientOpLog, which builds each op as it is read.
 */
export type OpHistory = Iterable<ClientOp> & {
  readonly length: number;
  /** ClientOpLog's: the ops as scratch objects valid until the pass's next step (ClientOpLog.transient). */
  transient?(): Iterable<ClientOp>;
  /** ClientOpLog's: op `index` as a new object, for what a transient pass keeps. */
  opAt?(index: number): ClientOp;
};

/** The ops of `history` in order for a pass that keeps none of them past its step: scratch ops where the history has them. */
export function passOver(history: OpHistory): Iterable<ClientOp> {
  return history.transient?.() ?? history;
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
export function okReadsOf(history: OpHistory): Map<string, Set<Value>> {
  const out = new Map<string, Set<Value>>();
  for (const op of passOver(history)) {
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

/** The event types ClientHistoryRecorder.record reads (the cases of its switch; a test compares them). */
export const CLIENT_HISTORY_EVENT_TYPES: readonly KafkaEventType[] = ['send', 'send-ok', 'send-fail', 'poll', 'consumer-start', 'assignment', 'member-reset'];

/** Builds the client history of a ksim run from the Kafka model's events, as they happen. */
export class ClientHistoryRecorder {
  /** The run's ops, stored by columns (client-op-log.ts). */
  readonly history = { ops: new ClientOpLog() };
  /** Member name -> its current process name (a new one per process start). */
  private readonly processOf = new Map<string, string>();
  private readonly starts = new Map<string, number>();
  /** Records sent and not completed yet, and when each was sent. */
  private readonly invoked = new Map<number, TimeUs>();

  constructor(private readonly protocolOf: (member: string) => Protocol) {}

  record(timeUs: TimeUs, ev: KafkaEvent): void {
    switch (ev.type) {
      case 'send':
        // The invocation is not an op of its own (no analysis reads send invocations); the completion
        // keeps its time, for an exported history (jepsen-history-edn.ts).
        if (this.invoked.get(ev.record) === undefined) this.invoked.set(ev.record, ev.sentUs);
        return;
      case 'send-ok':
        for (let j = 0; j < ev.records.length; j++) {
          const record = ev.records[j];
          const sentUs = this.invoked.get(record);
          if (sentUs === undefined) continue; // a second ack of one record
          this.invoked.delete(record);
          this.history.ops.addSend(timeUs, ev.producer, 'ok', ev.partition, record, ev.offset >= 0 ? ev.offset + j : null, sentUs);
        }
        return;
      case 'send-fail': {
        const sentUs = this.invoked.get(ev.record);
        if (sentUs === undefined) return;
        this.invoked.delete(ev.record);
        this.history.ops.addSend(timeUs, ev.producer, ev.definite ? 'fail' : 'info', ev.partition, ev.record, null, sentUs);
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
        if (this.protocolOf(ev.member) === 'eager') this.history.ops.addAssign(timeUs, this.process(ev.member), []);
        this.history.ops.addAssign(timeUs, this.process(ev.member), [...ev.partitions]);
        return;
      case 'member-reset':
        this.history.ops.addAssign(timeUs, this.process(ev.member), []);
        return;
    }
  }

  private process(member: string): string {
    return this.processOf.get(member) ?? member;
  }

  private onPoll(timeUs: TimeUs, member: string, key: string, offsets: readonly number[], records: readonly number[]): void {
    const process = this.process(member);
    // One poll() is one op: its reads of several partitions arrive as several events of one time.
    if (this.history.ops.lastIsPoll(timeUs, process)) this.history.ops.addRead(key, offsets, records);
    else this.history.ops.addPoll(timeUs, process, key, offsets, records);
  }
}
