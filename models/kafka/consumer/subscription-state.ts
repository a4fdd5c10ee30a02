// Kafka's SubscriptionState: the consumer's subscription (every partition of its topics, each
// given a slot), its assignment, and per assigned partition the fetch state and position (offset
// and the leader epoch of the last consumed record, KIP-320). The model also keeps the offset it
// last committed per partition (Kafka's application would compare allConsumed() with it).
//
// Fetch states follow TopicPartitionState's FetchStates: INITIALIZING (waiting for the committed
// offset), AWAIT_RESET (auto.offset.reset), AWAIT_VALIDATION (OffsetsForLeaderEpoch after a leader
// change), FETCHING; the model adds NOT_ASSIGNED and FAILED (auto.offset.reset=none hit an
// out-of-range or truncated position: the application got an exception).

import { EARLIEST_OFFSET, LATEST_OFFSET } from '../messages.ts';
import type { AutoOffsetReset } from '../config/consumer-configs.ts';

export const NOT_ASSIGNED = 0;
export const INITIALIZING = 1;
export const AWAIT_RESET = 2;
export const AWAIT_VALIDATION = 3;
export const FETCHING = 4;
export const FAILED = 5;

/** What the subscription needs of ClusterLayout: partition names and each topic's partitions. */
interface SubscribedTopicsLayout {
  readonly partitions: readonly { readonly name: string }[];
  readonly partitionsOfTopic: ReadonlyMap<string, readonly number[]>;
}

/** Positions to commit: parallel slots and offsets. */
export interface ConsumedOffsets {
  slots: number[];
  offsets: number[];
}

export class SubscriptionState {
  /** Global partition index per slot: every partition of the subscribed topics. */
  readonly partitions: number[] = [];
  readonly partitionNames: string[];
  /** Slot per global partition index (-1: not subscribed). */
  readonly slotOf: Int32Array;
  /** The subscribed topics in name order, with their partitions. */
  readonly topicPartitions = new Map<string, readonly number[]>();
  readonly state: Int8Array;
  readonly position: Float64Array;
  /** Leader epoch of the last consumed record (-1: unknown). */
  readonly positionEpoch: Int32Array;
  /** The leader epoch the position was last validated against. */
  readonly validatedEpoch: Int32Array;
  readonly committed: Float64Array;
  /** Assigned partitions (global indexes), in assignment order. */
  private assignment: number[] = [];

  constructor(layout: SubscribedTopicsLayout, topics: readonly string[]) {
    for (const t of [...topics].sort()) {
      const parts = layout.partitionsOfTopic.get(t);
      if (parts === undefined) throw new Error(`unknown topic ${t}`);
      this.topicPartitions.set(t, parts);
      for (const p of parts) this.partitions.push(p);
    }
    this.partitionNames = this.partitions.map((p) => layout.partitions[p].name);
    this.slotOf = new Int32Array(layout.partitions.length).fill(-1);
    this.partitions.forEach((p, i) => (this.slotOf[p] = i));
    const n = this.partitions.length;
    this.state = new Int8Array(n);
    this.position = new Float64Array(n);
    this.positionEpoch = new Int32Array(n);
    this.validatedEpoch = new Int32Array(n);
    this.committed = new Float64Array(n);
  }

  get assigned(): readonly number[] {
    return this.assignment;
  }

  /** assignFromSubscribed: the new assignment; partitions new to it wait for their committed offset. */
  assignFromSubscribed(assignment: readonly number[], added: readonly number[]): void {
    this.assignment = [...assignment];
    for (const p of added) this.state[this.slotOf[p]] = INITIALIZING;
  }

  unassign(s: number): void {
    this.state[s] = NOT_ASSIGNED;
  }

  unassignAll(): void {
    this.state.fill(NOT_ASSIGNED);
    this.assignment = [];
  }

  /** Assigned partitions still waiting for their committed offset. */
  initializingSlots(): number[] {
    const slots: number[] = [];
    for (const p of this.assignment) if (this.state[this.slotOf[p]] === INITIALIZING) slots.push(this.slotOf[p]);
    return slots;
  }

  /** The committed offset found for an initializing partition (KIP-320: validate it if it has an epoch). */
  seekToCommitted(s: number, offset: number, leaderEpoch: number, validateEpochs: boolean, seekPastCommitted = false): void {
    this.committed[s] = offset;
    this.position[s] = seekPastCommitted ? offset + 1 : offset; // bug zoo: seek-past-committed-offset
    this.positionEpoch[s] = leaderEpoch;
    this.validatedEpoch[s] = -1;
    this.state[s] = validateEpochs && leaderEpoch >= 0 ? AWAIT_VALIDATION : FETCHING;
  }

  /** requestOffsetReset: earliest / latest resolve at the leader (AWAIT_RESET); none fails the partition. */
  requestOffsetReset(s: number, strategy: AutoOffsetReset): void {
    this.state[s] = strategy === 'none' ? FAILED : AWAIT_RESET;
    this.position[s] = strategy === 'earliest' ? EARLIEST_OFFSET : LATEST_OFFSET;
  }

  /** The reset resolved to `offset` at the leader (whose epoch is `leaderEpoch`). */
  completeOffsetReset(s: number, offset: number, leaderEpoch: number): void {
    this.position[s] = offset;
    this.positionEpoch[s] = -1;
    this.validatedEpoch[s] = leaderEpoch;
    this.state[s] = FETCHING;
  }

  /** KIP-320: a position read under an older leader epoch is validated against the new leader. */
  maybeValidatePositionForCurrentLeader(s: number, leaderEpoch: number): void {
    if (this.state[s] === FETCHING && this.positionEpoch[s] >= 0 && leaderEpoch > this.validatedEpoch[s]) this.state[s] = AWAIT_VALIDATION;
  }

  /**
   * maybeCompleteValidation: the leader's end offset for the position's epoch. Past it, the records
   * the position was read from were truncated away: the position moves back to the divergence
   * point (or the partition fails with auto.offset.reset=none). True when truncation was detected.
   */
  maybeCompleteValidation(s: number, leaderEpoch: number, endOffset: number, strategy: AutoOffsetReset): boolean {
    this.validatedEpoch[s] = leaderEpoch;
    this.state[s] = FETCHING;
    if (endOffset < 0 || endOffset >= this.position[s]) return false;
    if (strategy === 'none') this.state[s] = FAILED;
    else this.position[s] = endOffset;
    return true;
  }

  /** Whether some fetching partition's position is past its last committed offset. */
  hasUncommitted(): boolean {
    for (const p of this.assignment) {
      const s = this.slotOf[p];
      if (this.state[s] === FETCHING && this.position[s] > this.committed[s]) return true;
    }
    return false;
  }

  /** allConsumed, less what is already committed: the positions a commit would send. */
  uncommittedPositions(): ConsumedOffsets {
    const slots: number[] = [];
    const offsets: number[] = [];
    for (const p of this.assignment) {
      const s = this.slotOf[p];
      if (this.state[s] === FETCHING && this.position[s] > this.committed[s]) {
        slots.push(s);
        offsets.push(this.position[s]);
      }
    }
    return { slots, offsets };
  }

  /** A commit of these positions succeeded (a later commit may have gone further already). */
  markCommitted(slots: readonly number[], offsets: readonly number[]): void {
    for (let i = 0; i < slots.length; i++) if (offsets[i] > this.committed[slots[i]]) this.committed[slots[i]] = offsets[i];
  }
}
