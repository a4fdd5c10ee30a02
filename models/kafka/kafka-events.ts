// The Kafka model's events: what it emits (through ctx.emit) into the trace and to the checkers.
// Client operations form a Jepsen-like history: `send` is the invocation, `send-ok` the
// acknowledgement, `send-fail` a definite failure or, with definite=false, an unknown outcome
// ("info": the record may or may not have been written). The other events describe the data and
// control plane so violations can be explained in Kafka terms.
//
// Partitions are named "topic-index" ("orders-0"); brokers by node name ("b1"). Records are
// identified by a run-wide integer id assigned at send time.

export type ElectionKind = 'initial' | 'clean' | 'unclean' | 'preferred' | 'controlled-shutdown';

export interface SendEvent {
  type: 'send';
  producer: string;
  record: number;
  key: string | null;
  partition: string;
}

export interface SendOkEvent {
  type: 'send-ok';
  producer: string;
  record: number;
  partition: string;
  offset: number;
  leaderEpoch: number;
  /** From send() to the acknowledgement. */
  latencyUs: number;
}

export interface SendFailEvent {
  type: 'send-fail';
  producer: string;
  record: number;
  partition: string;
  /** Kafka error name, e.g. NOT_ENOUGH_REPLICAS, or DELIVERY_TIMEOUT. */
  error: string;
  /** false: the outcome is unknown (the record may have been appended). */
  definite: boolean;
}

/** A replica appended records (leader on produce, follower on fetch). */
export interface AppendEvent {
  type: 'append';
  partition: string;
  role: 'leader' | 'follower';
  baseOffset: number;
  leaderEpoch: number;
  records: number[];
}

export interface HighWatermarkEvent {
  type: 'hw';
  partition: string;
  hw: number;
  leaderEpoch: number;
}

export interface IsrChangeEvent {
  type: 'isr-shrink' | 'isr-expand';
  partition: string;
  isr: string[];
  leaderEpoch: number;
}

export interface ElectionEvent {
  type: 'election';
  partition: string;
  kind: ElectionKind;
  /** null: no eligible replica, the partition is offline. */
  leader: string | null;
  leaderEpoch: number;
  isr: string[];
  previousLeader: string | null;
  /** The new leader's log end offset when elected (what an unclean election keeps). */
  leaderLogEndOffset: number;
}

/** A replica removed records from the end of its log. */
export interface TruncateEvent {
  type: 'truncate';
  partition: string;
  /** New log end offset. */
  toOffset: number;
  /** Log end offset before truncating. */
  fromOffset: number;
  removed: number[];
  reason: 'high-watermark' | 'leader-epoch' | 'diverging-epoch';
}

/** A broker lost records it had not flushed (power loss) or its whole disk (instance loss). */
export interface LogLostEvent {
  type: 'log-lost';
  partition: string;
  fromOffset: number;
  toOffset: number;
  removed: number[];
  cause: 'power-loss' | 'disk-loss';
}

export interface ProduceErrorEvent {
  type: 'produce-error';
  partition: string;
  producer: string;
  error: string;
}

export type KafkaEvent =
  | SendEvent
  | SendOkEvent
  | SendFailEvent
  | AppendEvent
  | HighWatermarkEvent
  | IsrChangeEvent
  | ElectionEvent
  | TruncateEvent
  | LogLostEvent
  | ProduceErrorEvent;

/** A replica's log at the end of the run. records[i] is the record id at offset logStartOffset + i. */
export interface FinalReplicaLog {
  broker: string;
  alive: boolean;
  logStartOffset: number;
  logEndOffset: number;
  highWatermark: number;
  records: number[];
  /** Leader epoch of each record, parallel to records. */
  epochs: number[];
}

export interface FinalPartitionState {
  partition: string;
  leader: string | null;
  leaderEpoch: number;
  isr: string[];
  replicas: string[];
  logs: FinalReplicaLog[];
}

/** ModelOutcome.final for the Kafka model. */
export interface KafkaFinalState {
  partitions: FinalPartitionState[];
  /** Producer config per producer name (what the analysis needs to classify anomalies). */
  producers: Record<string, { acks: string; idempotent: boolean; maxInFlight: number; retries: number }>;
}
