// The Kafka model's consumer-side events: what consumers, groups, their coordinator and log
// retention do, as the checkers and the client history read them (kafka-events.ts unions them
// into KafkaEvent).

/**
 * A poll() returned the records of [fromOffset, toOffset) of one partition to the application.
 * One poll() call that returns several partitions emits one event per partition, at one time.
 */
interface PollEvent {
  type: 'poll';
  member: string;
  group: string;
  generation: number;
  partition: string;
  fromOffset: number;
  toOffset: number;
  /** The records returned, in the order returned, and the offset of each (compacted-away offsets are skipped). */
  offsets: number[];
  records: number[];
}

/** A consumer process started (at its start time and after each restart): a new client, no position. */
interface ConsumerStartEvent {
  type: 'consumer-start';
  member: string;
  group: string;
}

/**
 * The application finished processing records of one partition (what duplicate / gap counts are
 * made of): one event per run of a poll's records from one partition, record j at offsets[j].
 */
interface ProcessEvent {
  type: 'process';
  member: string;
  group: string;
  /** The member's generation when the records were polled. */
  generation: number;
  partition: string;
  offsets: readonly number[];
  records: readonly number[];
}

interface CommitEvent {
  type: 'commit';
  member: string;
  group: string;
  generation: number;
  partitions: string[];
  /** Next offset to consume, per partition (parallel to partitions). */
  offsets: number[];
  sync: boolean;
}

interface CommitOkEvent {
  type: 'commit-ok';
  member: string;
  group: string;
  generation: number;
  partitions: string[];
  offsets: number[];
}

interface CommitFailEvent {
  type: 'commit-fail';
  member: string;
  group: string;
  generation: number;
  partitions: string[];
  offsets: number[];
  /** ILLEGAL_GENERATION, UNKNOWN_MEMBER_ID, REBALANCE_IN_PROGRESS, NOT_COORDINATOR... */
  error: string;
}

/** The coordinator began a rebalance (the group entered PreparingRebalance). */
interface RebalanceStartEvent {
  type: 'rebalance-start';
  group: string;
  /** The generation being replaced. */
  generation: number;
  reason: string;
}

/** The coordinator completed a rebalance: the new generation is stable (or the group empty). */
interface RebalanceEndEvent {
  type: 'rebalance-end';
  group: string;
  generation: number;
  members: number;
  /** "memberId=p1,p2" per member (absent for an empty group). */
  assignment?: string[];
}

/** A member learned its partitions for a generation (SyncGroup), and what it gave up (cooperative). */
interface AssignmentEvent {
  type: 'assignment';
  member: string;
  group: string;
  generation: number;
  partitions: string[];
  revoked: string[];
}

/** auto.offset.reset applied: no committed offset, out of range, or (KIP-320) truncation detected. */
interface OffsetResetEvent {
  type: 'offset-reset';
  member: string;
  group: string;
  partition: string;
  fromOffset: number;
  /** Only for truncation: the divergence point the position moves back to. */
  toOffset?: number;
  strategy: string;
  reason: 'no-committed-offset' | 'out-of-range' | 'truncation';
  /**
   * out-of-range and truncation: the broker whose answer made the position unusable (the leader in
   * the consumer's metadata, which may be stale: a deposed leader that still thinks it leads).
   */
  broker?: string;
  /** The leader epoch the consumer knew for that broker's leadership; only from KIP-320 (2.1), when metadata carries it. */
  leaderEpoch?: number;
}

/** auto.offset.reset resolved at the leader: the position the reset moved to. */
interface OffsetResetDoneEvent {
  type: 'offset-reset-done';
  member: string;
  group: string;
  partition: string;
  offset: number;
}

/** OffsetFetch answered a newly assigned partition's committed offset (-1: none). */
interface OffsetFetchEvent {
  type: 'offset-fetch';
  member: string;
  group: string;
  partition: string;
  offset: number;
}

/** The member's heartbeat thread left the group: the application had not polled for max.poll.interval.ms (KIP-62). */
interface PollTimeoutEvent {
  type: 'poll-timeout';
  member: string;
  group: string;
  generation: number;
}

/** The member learned it is no longer in the group (its generation reset): its partitions are lost, not revoked. */
interface MemberResetEvent {
  type: 'member-reset';
  member: string;
  group: string;
}

/** The coordinator removed a member whose session expired (no heartbeat for session.timeout.ms). */
interface MemberExpiredEvent {
  type: 'member-expired';
  group: string;
  memberId: string;
  generation: number;
}

/** A broker became the coordinator of a __consumer_offsets partition and loaded its groups from the log. */
interface CoordinatorLoadEvent {
  type: 'coordinator-load';
  partition: string;
  groups: number;
}

/** Retention deleted segments of a replica: its new log start offset. */
interface RetentionEvent {
  type: 'retention';
  partition: string;
  logStartOffset: number;
  /**
   * Set when a DeleteRecords request moved it (scenario operation delete-records), or when a
   * follower took the leader's from a fetch response ('leader'); absent: this replica's retention.
   */
  cause?: 'delete-records' | 'leader';
}

/** The log cleaner removed superseded records of a replica below cleanedTo. */
interface CompactionEvent {
  type: 'compaction';
  partition: string;
  cleanedTo: number;
  removed: number;
}

export type ConsumerEvent =
  | PollEvent
  | ConsumerStartEvent
  | ProcessEvent
  | CommitEvent
  | CommitOkEvent
  | CommitFailEvent
  | RebalanceStartEvent
  | RebalanceEndEvent
  | AssignmentEvent
  | OffsetResetEvent
  | OffsetResetDoneEvent
  | OffsetFetchEvent
  | PollTimeoutEvent
  | MemberResetEvent
  | MemberExpiredEvent
  | CoordinatorLoadEvent
  | RetentionEvent
  | CompactionEvent;
