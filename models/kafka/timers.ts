// The Kafka model's timers. Periodic ones are shared constant objects (no allocation per firing);
// those that carry an argument are small tagged objects. A timer dies with its node's process.

export type KafkaTimer =
  // controller
  | { type: 'quorum-tick' }
  | { type: 'raft-timeout' }
  | { type: 'admin-operation'; operation: number }
  // broker
  | { type: 'broker-heartbeat' }
  | { type: 'isr-check' }
  | { type: 'hw-checkpoint' }
  | { type: 'log-flush' }
  | { type: 'alter-partition-retry' }
  | { type: 'alter-partition-timeout'; partition: number; requestId: number }
  | { type: 'controller-heartbeat-timeout'; controller: number; requestId: number }
  | { type: 'fetch-wait'; follower: number }
  | { type: 'fetch-timeout'; leader: number }
  | { type: 'fetch-connect-timeout'; leader: number }
  | { type: 'fetch-backoff'; leader: number }
  | { type: 'epoch-request-timeout'; partition: number; requestId: number }
  | { type: 'produce-timeout' }
  | { type: 'produce-append'; key: number }
  | { type: 'controlled-shutdown-start'; operation: number }
  | { type: 'controlled-shutdown-stop'; operation: number; incarnation: number }
  | { type: 'controlled-shutdown-restart'; operation: number; incarnation: number }
  | { type: 'rolling-restart-check'; operation: number }
  | { type: 'halt-restart'; incarnation: number }
  | { type: 'delete-records'; operation: number }
  // producer
  | { type: 'producer-operation'; operation: number }
  | { type: 'scripted-send'; index: number }
  | { type: 'sender-wakeup' }
  | { type: 'request-timeout'; broker: number }
  | { type: 'metadata-timeout'; requestId: number }
  | { type: 'metadata-refresh' }
  // any client of the cluster (producer, consumer, broker): a connect still under way times out
  | { type: 'connection-setup-timeout'; broker: number; attempt: number }
  // broker: group coordinator, consumer fetches, retention (issue 4)
  // GroupCoordinator deadlines: a member's session (DelayedHeartbeat), a group's join (DelayedJoin)
  | { type: 'member-session-expiry'; group: string; memberId: string }
  | { type: 'group-join-deadline'; group: string }
  | { type: 'consumer-fetch-wait' }
  | { type: 'offsets-append-timeout' }
  | { type: 'log-retention-check' }
  | { type: 'log-cleaner-pass' }
  | { type: 'producer-id-expiration-check' }
  // consumer
  | { type: 'consumer-start' }
  | { type: 'consumer-operation'; operation: number }
  | { type: 'consumer-heartbeat' }
  | { type: 'consumer-processed'; batch: number }
  | { type: 'consumer-request-timeout'; broker: number }
  | { type: 'consumer-retry' }
  | { type: 'consumer-metadata-refresh' };

export const QUORUM_TICK: KafkaTimer = { type: 'quorum-tick' };
/** KRaft: the Raft timer of a controller's role ran out (fetch, election, backoff, check quorum). */
export const RAFT_TIMEOUT: KafkaTimer = { type: 'raft-timeout' };
export const BROKER_HEARTBEAT: KafkaTimer = { type: 'broker-heartbeat' };
export const ISR_CHECK: KafkaTimer = { type: 'isr-check' };
export const HW_CHECKPOINT: KafkaTimer = { type: 'hw-checkpoint' };
export const LOG_FLUSH: KafkaTimer = { type: 'log-flush' };
export const ALTER_PARTITION_RETRY: KafkaTimer = { type: 'alter-partition-retry' };
export const SENDER_WAKEUP: KafkaTimer = { type: 'sender-wakeup' };
export const METADATA_REFRESH: KafkaTimer = { type: 'metadata-refresh' };
export const LOG_RETENTION_CHECK: KafkaTimer = { type: 'log-retention-check' };
export const LOG_CLEANER_PASS: KafkaTimer = { type: 'log-cleaner-pass' };
export const PRODUCER_ID_EXPIRATION_CHECK: KafkaTimer = { type: 'producer-id-expiration-check' };
export const CONSUMER_START: KafkaTimer = { type: 'consumer-start' };
export const CONSUMER_HEARTBEAT: KafkaTimer = { type: 'consumer-heartbeat' };
export const CONSUMER_RETRY: KafkaTimer = { type: 'consumer-retry' };
export const CONSUMER_METADATA_REFRESH: KafkaTimer = { type: 'consumer-metadata-refresh' };
