// The run's history as the Kafka checkers need it, built in one pass over the model's events and
// nothing more: per record its send, outcome and acknowledgement (offset, leader epoch, the leader
// at the time), which replicas appended it and which truncations or log losses removed it; per
// partition its elections and availability (cluster-availability.ts); per producer and partition
// the time it had sends waiting (pending-sends.ts); and the counters for the
// summary. __consumer_offsets is Kafka's own topic, not user data: only its elections (counted
// apart) and availability are kept here; consumer-history.ts covers the groups. Event arrays are
// referenced, not copied, and nothing per event is kept beyond what an explanation needs, so a run
// is held once (by the trace, if at all), not twice.
//
// Replicas are identified by the node that emitted the append / truncate / log-lost event (the
// broker itself), as node indices; names are resolved at the end from the topology.

import type { KernelEvent } from '../../../src/check/checker.ts';
import type { ModelEvent } from '../../../src/sim/model.ts';
import type { TimeUs } from '../../../src/sim/time.ts';
import type { Acks } from '../config/config-entry.ts';
import type {
  AppendEvent,
  BrokerHaltEvent,
  ElectionEvent,
  ElectionKind,
  IsrChangeEvent,
  KafkaEvent,
  KafkaEventType,
  LogLostEvent,
  ProtocolFlawEvent,
  SendEvent,
  SendFailEvent,
  SendOkEvent,
  SequencesResetEvent,
  TruncateEvent,
  UnknownProducerAppendEvent,
} from '../kafka-events.ts';
import { ClusterAvailability } from './cluster-availability.ts';
import { PendingSends } from './pending-sends.ts';
import type { ScenarioLookup } from './scenario-lookup.ts';
import { RecordTable } from './record-table.ts';
import { countUntil } from './time-ordered.ts';
import { OffsetStepsByEpoch } from './offset-steps.ts';

export { RecordHistory } from './record-table.ts';

/** A truncation or a log loss that removed records from one replica. */
export interface RecordRemoval {
  timeUs: TimeUs;
  node: number;
  event: TruncateEvent | LogLostEvent;
}

/** A follower acting on a replication flaw of the simulated version (the evidence log-divergence names). */
interface ProtocolFlawAt {
  timeUs: TimeUs;
  node: number;
  event: ProtocolFlawEvent;
}

export interface ElectionAt {
  timeUs: TimeUs;
  event: ElectionEvent;
  /** Where the epoch starts, what it kept: the leader's LEO at become-leader (Partition.makeLeader), until then (or never) when elected. */
  epochStartOffset: number;
  /** When the new leader took over (become-leader); null until it does. */
  tookOverUs: TimeUs | null;
}

/** The event types KafkaHistory.record reads (its switch's cases, __consumer_offsets' among them; a test compares them). */
export const KAFKA_HISTORY_EVENT_TYPES: readonly KafkaEventType[] = ['send', 'send-ok', 'send-fail', 'append', 'truncate', 'log-lost', 'election', 'isr-shrink', 'isr-expand', 'become-leader', 'resign-leader', 'produce-error', 'broker-halt', 'protocol-flaw', 'unknown-producer-append', 'sequences-reset', 'stop-replica', 'hw', 'assignment', 'operation'];

export class KafkaHistory {
  /** Every record sent, by id (columnar: tens of bytes a record). */
  readonly records = new RecordTable();
  readonly removals: RecordRemoval[] = [];
  readonly protocolFlaws: ProtocolFlawAt[] = [];
  /** Brokers whose process exited rather than truncate a follower (before 2.1, broker/truncation-halt.ts), in time order. */
  readonly processExits: { timeUs: TimeUs; node: number; event: BrokerHaltEvent }[] = [];
  /** Idempotent batches a leader accepted at a sequence above 0 from a producer it had no state for (unknown-producer-append). */
  readonly unknownProducerAppends: { timeUs: TimeUs; node: number; event: UnknownProducerAppendEvent }[] = [];
  /** Before KIP-360: partitions whose sequences a producer restarted at 0 on UNKNOWN_PRODUCER_ID (sequences-reset). */
  readonly sequencesResets: { timeUs: TimeUs; event: SequencesResetEvent }[] = [];
  /** Scripted operations Kafka refused (an error code), in time order: the run summary names them. */
  readonly operationsRefused: { timeUs: TimeUs; operation: string; subject: string; error: string }[] = [];
  readonly electionsByPartition = new Map<string, ElectionAt[]>();
  /** Per partition, the brokers that deleted their copy (stop-replica after a reassignment, KIP-455) and when. */
  private readonly replicaDeletions = new Map<string, { timeUs: TimeUs; node: number }[]>();
  /** Per partition, each time a broker took leadership (become-leader, Partition.makeLeader): broker node, time and leader epoch. */
  private readonly leadershipsTaken = new Map<string, { timeUs: TimeUs; node: number; leaderEpoch: number }[]>();
  /** Per partition, the ISR after each election and ISR change, in time order. */
  private readonly isrHistory = new Map<string, { timeUs: TimeUs; isr: string[] }[]>();
  /** By partition, then leader epoch: the leader's HW moves in that epoch (never down within it), by columns (a row per move). */
  private readonly hwMoves = new Map<string, OffsetStepsByEpoch>();
  /** By node: when it went down and came back up (Infinity: not yet), in time order. */
  private readonly downs = new Map<number, { downUs: TimeUs; upUs: TimeUs }[]>();
  /** The producer each producer node runs (learnt from its sends), and how many times it restarted. */
  private readonly producerOfNode = new Map<number, string>();
  private readonly producerSessions = new Map<string, number>();
  /** Every partition's availability, __consumer_offsets included. */
  readonly availability: ClusterAvailability;
  /** The time each producer had sends waiting, per partition (producer-felt-unavailability.ts reads both). */
  readonly pendingSends = new PendingSends();
  readonly electionsByKind: Record<ElectionKind, number> = {
    initial: 0,
    clean: 0,
    unclean: 0,
    preferred: 0,
    'controlled-shutdown': 0,
    'last-known-leader': 0,
  };
  /** Elections that left the partition without a leader. */
  offlineElections = 0;
  /** The same two for __consumer_offsets partitions. */
  readonly offsetsElectionsByKind: Record<ElectionKind, number> = {
    initial: 0,
    clean: 0,
    unclean: 0,
    preferred: 0,
    'controlled-shutdown': 0,
    'last-known-leader': 0,
  };
  offsetsOfflineElections = 0;
  /** The leaders' own ISR changes (AlterPartition), as Kafka's IsrShrinksPerSec and IsrExpandsPerSec count them (Partition.shrinkIsr / expandIsr). */
  isrShrinks = 0;
  isrExpands = 0;
  isrRemovalsByController = 0; // shrinks the controller made itself (IsrChangeEvent.byController): no broker metric counts them
  /** Counted per replica copy: a record truncated on two followers counts twice. */
  recordsTruncated = 0;
  recordsLostToPowerLoss = 0;
  recordsLostToDiskLoss = 0;
  produceErrors = 0;
  /** produceErrors per Kafka error code, in first-seen order. */
  readonly produceErrorsByCode = new Map<string, number>();
  /** Events naming a record that was never sent (a model bug; counted, not fatal). */
  eventsForUnsentRecords = 0;
  /** Producer -> partition -> the index its next send there gets (nested: no key string built per send). */
  private readonly nextSendIndex = new Map<string, Map<string, number>>();
  private readonly currentLeader = new Map<string, string | null>();
  /** Leader of each leader epoch per partition: an ack names its epoch, which may be superseded. */
  private readonly leaderOfEpoch = new Map<string, Map<number, string | null>>();

  constructor(private readonly lookup: ScenarioLookup) {
    this.availability = new ClusterAvailability(lookup);
  }

  /** send-ok latencies (µs) per acks of the sender, in send order, one per acked record (from the record table, on demand). */
  latenciesUsByAcks(): Map<Acks | 'unknown', Int32Array | Float64Array> {
    const acksOf = new Map<string, Acks | 'unknown'>();
    const ackSetting = (producer: string) => {
      let acks = acksOf.get(producer);
      if (acks === undefined) acksOf.set(producer, (acks = this.lookup.producer(producer)?.acks ?? 'unknown'));
      return acks;
    };
    const counts = new Map<Acks | 'unknown', number>();
    // Latencies are whole microseconds under 36 minutes in a run (4 bytes a sample); any other
    // value (a scripted test event's) makes the arrays 8 bytes a sample, so they stay exact.
    let int32 = true;
    this.records.forEachAckLatency((producer, latencyUs) => {
      const acks = ackSetting(producer);
      counts.set(acks, (counts.get(acks) ?? 0) + 1);
      if ((latencyUs | 0) !== latencyUs) int32 = false;
    });
    const out = new Map<Acks | 'unknown', Int32Array | Float64Array>();
    const filled = new Map<Acks | 'unknown', number>();
    for (const [acks, n] of counts) {
      out.set(acks, int32 ? new Int32Array(n) : new Float64Array(n));
      filled.set(acks, 0);
    }
    this.records.forEachAckLatency((producer, latencyUs) => {
      const acks = ackSetting(producer);
      const i = filled.get(acks)!;
      out.get(acks)![i] = latencyUs;
      filled.set(acks, i + 1);
    });
    return out;
  }

  record(timeUs: TimeUs, node: number, modelEvent: ModelEvent): void {
    const partition = modelEvent.partition;
    if (typeof partition === 'string' && partition.charCodeAt(0) === 95 && partition.startsWith('__'))
      return this.recordInternal(timeUs, node, modelEvent as unknown as KafkaEvent);
    const ev = modelEvent as unknown as KafkaEvent;
    switch (ev.type) {
      case 'send':
        this.producerOfNode.set(node, ev.producer);
        this.pendingSends.onSend(ev.producer, ev.partition, ev.record, ev.sentUs);
        return this.onSend(ev);
      case 'send-ok':
        for (let j = 0; j < ev.records.length; j++) this.pendingSends.onDone(ev.records[j], timeUs);
        return this.onSendOk(timeUs, ev);
      case 'send-fail':
        this.pendingSends.onDone(ev.record, timeUs);
        return this.onSendFail(ev);
      case 'append':
        if (ev.role === 'leader') this.availability.onLeaderAppend(timeUs, node, ev, this.senderOf(ev));
        return this.onAppend(node, ev);
      case 'truncate':
        this.recordsTruncated += ev.removed.length;
        // A restart's log recovery removes no record (only the empty offsets a truncation left at the tail).
        return ev.reason === 'log-recovery' ? undefined : this.onRemoval(timeUs, node, ev);
      case 'log-lost':
        if (ev.cause === 'power-loss') this.recordsLostToPowerLoss += ev.removed.length;
        else this.recordsLostToDiskLoss += ev.removed.length;
        return this.onRemoval(timeUs, node, ev);
      case 'election':
        return this.onElection(timeUs, ev);
      case 'isr-shrink':
      case 'isr-expand':
        return this.onIsrChange(timeUs, ev);
      case 'become-leader': {
        let taken = this.leadershipsTaken.get(ev.partition);
        if (!taken) this.leadershipsTaken.set(ev.partition, (taken = []));
        taken.push({ timeUs, node, leaderEpoch: ev.leaderEpoch });
        this.onTakeOver(timeUs, ev.partition, ev.leaderEpoch, ev.leaderEpochStartOffset);
        return this.availability.onBecomeLeader(timeUs, node, ev.partition);
      }
      case 'resign-leader':
        return this.availability.onResignLeader(timeUs, node, ev.partition);
      case 'produce-error':
        this.produceErrors++;
        this.produceErrorsByCode.set(ev.error, (this.produceErrorsByCode.get(ev.error) ?? 0) + 1);
        return;
      case 'broker-halt':
        return this.onProcessExit(timeUs, node, ev);
      case 'protocol-flaw':
        this.protocolFlaws.push({ timeUs, node, event: ev });
        return;
      case 'unknown-producer-append':
        this.unknownProducerAppends.push({ timeUs, node, event: ev });
        return;
      case 'sequences-reset':
        this.sequencesResets.push({ timeUs, event: ev });
        return;
      case 'stop-replica': {
        const list = this.replicaDeletions.get(ev.partition);
        if (list) list.push({ timeUs, node });
        else this.replicaDeletions.set(ev.partition, [{ timeUs, node }]);
        return;
      }
      case 'hw':
        this.noteHighWatermark(timeUs, ev.partition, ev.leaderEpoch, ev.hw);
        return this.availability.onHighWatermark(timeUs, node, ev);
      case 'assignment':
        return this.availability.onAssignment(timeUs, ev);
      case 'operation':
        if (ev.operation === 'producer-restart') this.newProducerSession(ev.subject);
        if (ev.error !== null) this.operationsRefused.push({ timeUs, operation: ev.operation, subject: ev.subject, error: ev.error });
        return;
    }
  }

  /** The producer that sent a leader's appended batch (a batch is one producer's), null if unknown. */
  private senderOf(ev: AppendEvent): string | null {
    return ev.records.length > 0 && this.records.has(ev.records[0]) ? this.records.producer(ev.records[0]) : null;
  }

  /**
   * A producer's process that goes down comes back as a new instance (KafkaProducer: a new producer
   * id). Every node's downs and ups are kept: each kind of down ends its process without a
   * controlled shutdown, so a broker comes back from an unclean shutdown.
   */
  onKernelEvent(timeUs: TimeUs, event: KernelEvent): void {
    if (event.type === 'node-up') {
      const last = this.downs.get(event.node)?.at(-1);
      if (last !== undefined && last.upUs === Infinity) last.upUs = timeUs;
      return;
    }
    if (event.type !== 'node-down') return;
    const downs = this.downs.get(event.node);
    if (downs === undefined) this.downs.set(event.node, [{ downUs: timeUs, upUs: Infinity }]);
    else downs.push({ downUs: timeUs, upUs: Infinity });
    const producer = this.producerOfNode.get(event.node);
    if (producer !== undefined) this.newProducerSession(producer);
  }

  /** When node came back up from the last unclean shutdown that began at or after fromUs and ended by untilUs; null if none. */
  uncleanRestartBetween(node: number, fromUs: TimeUs, untilUs: TimeUs): TimeUs | null {
    let upUs: TimeUs | null = null;
    for (const d of this.downs.get(node) ?? []) if (d.downUs >= fromUs && d.upUs <= untilUs) upUs = d.upUs;
    return upUs;
  }

  private newProducerSession(producer: string): void {
    this.producerSessions.set(producer, (this.producerSessions.get(producer) ?? 0) + 1);
  }

  /** Closes open availability intervals. Call once, at the end of the run. */
  close(endUs: TimeUs): void {
    this.availability.close(endUs);
    this.pendingSends.close(endUs);
  }

  /** Whether `node` deleted its copy of the partition (a reassignment removed it) by timeUs: what it held is no copy any more. */
  deletedCopy(partition: string, node: number, timeUs: TimeUs): boolean {
    return (this.replicaDeletions.get(partition) ?? []).some((d) => d.node === node && d.timeUs <= timeUs);
  }

  elections(partition: string): readonly ElectionAt[] {
    return this.electionsByPartition.get(partition) ?? [];
  }

  /** When brokers took leadership of the partition (become-leader), in time order. */
  leaderships(partition: string): readonly { timeUs: TimeUs; node: number; leaderEpoch: number }[] {
    return this.leadershipsTaken.get(partition) ?? [];
  }

  /** The partition's ISR changes (elections included), in time order. */
  isrChanges(partition: string): readonly { timeUs: TimeUs; isr: string[] }[] {
    return this.isrHistory.get(partition) ?? [];
  }

  /** The partition's ISR at `timeUs` (the last election or ISR change at or before it); [] before any. */
  isrAt(partition: string, timeUs: TimeUs): readonly string[] {
    const list = this.isrHistory.get(partition);
    if (!list) return [];
    const lo = countUntil(list, timeUs);
    return lo === 0 ? [] : list[lo - 1].isr;
  }

  /**
   * When the leader of `leaderEpoch` first moved the partition's HW past `offset` (the record there
   * was committed: every ISR member had fetched it, after its own fsync where a flush policy made
   * one), or -1 if it never did.
   */
  committedAt(partition: string, offset: number, leaderEpoch: number): TimeUs {
    return this.hwMoves.get(partition)?.byEpoch.get(leaderEpoch)?.firstAbove(offset) ?? -1;
  }

  private noteHighWatermark(timeUs: TimeUs, partition: string, leaderEpoch: number, hw: number): void {
    let moves = this.hwMoves.get(partition);
    if (moves === undefined) this.hwMoves.set(partition, (moves = new OffsetStepsByEpoch()));
    moves.of(leaderEpoch).push(timeUs, hw);
  }

  private noteIsr(partition: string, timeUs: TimeUs, isr: string[]): void {
    let list = this.isrHistory.get(partition);
    if (!list) this.isrHistory.set(partition, (list = []));
    list.push({ timeUs, isr });
  }

  private onSend(ev: SendEvent): void {
    let byPartition = this.nextSendIndex.get(ev.producer);
    if (byPartition === undefined) this.nextSendIndex.set(ev.producer, (byPartition = new Map()));
    const sendIndex = byPartition.get(ev.partition) ?? 0;
    byPartition.set(ev.partition, sendIndex + 1);
    const session = this.producerSessions.get(ev.producer) ?? 0;
    this.records.add(ev.record, ev.producer, ev.partition, ev.sentUs, sendIndex, session);
  }

  private onSendOk(timeUs: TimeUs, ev: SendOkEvent): void {
    const leader = this.leaderOfEpoch.get(ev.partition)?.get(ev.leaderEpoch) ?? this.currentLeader.get(ev.partition) ?? null;
    for (let j = 0; j < ev.records.length; j++) {
      const record = ev.records[j];
      const outcome = this.records.outcome(record);
      if (outcome === undefined) {
        this.eventsForUnsentRecords++;
        continue;
      }
      if (outcome === 'acked') continue;
      this.records.setAcked(record, timeUs, ev.offset < 0 ? -1 : ev.offset + j, ev.leaderEpoch, leader, timeUs - ev.sentUs[j]);
    }
  }

  private onSendFail(ev: SendFailEvent): void {
    const outcome = this.records.outcome(ev.record);
    if (outcome === undefined) {
      this.eventsForUnsentRecords++;
      return;
    }
    if (outcome === 'acked') return;
    this.records.setFailed(ev.record, ev.definite ? 'failed' : 'unknown', ev.error);
  }

  private onAppend(node: number, ev: AppendEvent): void {
    for (const id of ev.records) {
      if (!this.records.has(id)) {
        this.eventsForUnsentRecords++;
        continue;
      }
      this.records.addHolder(id, node);
    }
  }

  private onRemoval(timeUs: TimeUs, node: number, ev: TruncateEvent | LogLostEvent): void {
    const index = this.removals.length;
    this.removals.push({ timeUs, node, event: ev });
    for (const id of ev.removed) if (this.records.has(id)) this.records.addRemoval(id, index);
  }

  /** The leader elected for `leaderEpoch` took over with its log ending at `startOffset` (one leader per epoch). */
  private onTakeOver(timeUs: TimeUs, partition: string, leaderEpoch: number, startOffset: number): void {
    const list = this.electionsByPartition.get(partition) ?? [];
    let i = list.length - 1;
    while (i >= 0 && list[i].event.leaderEpoch !== leaderEpoch) i--;
    if (i < 0 || list[i].tookOverUs !== null) return;
    const e = list[i];
    e.epochStartOffset = startOffset;
    e.tookOverUs = timeUs;
  }

  private onElection(timeUs: TimeUs, ev: ElectionEvent): void {
    let list = this.electionsByPartition.get(ev.partition);
    if (!list) this.electionsByPartition.set(ev.partition, (list = []));
    list.push({ timeUs, event: ev, epochStartOffset: ev.leaderLogEndOffset, tookOverUs: null });
    this.noteIsr(ev.partition, timeUs, ev.isr);
    if (ev.leader === null) this.offlineElections++;
    else this.electionsByKind[ev.kind]++;
    this.currentLeader.set(ev.partition, ev.leader);
    let epochs = this.leaderOfEpoch.get(ev.partition);
    if (!epochs) this.leaderOfEpoch.set(ev.partition, (epochs = new Map()));
    epochs.set(ev.leaderEpoch, ev.leader);
    this.availability.onElection(timeUs, ev);
  }

  private onIsrChange(timeUs: TimeUs, ev: IsrChangeEvent): void {
    if (ev.byController) this.isrRemovalsByController++;
    else if (ev.type === 'isr-shrink') this.isrShrinks++;
    else this.isrExpands++;
    this.noteIsr(ev.partition, timeUs, ev.isr);
    this.availability.onIsrChange(timeUs, ev);
  }

  /** The broker's process is gone, and its leaderships with it, as at a crash (the kernel sees no node-down). */
  private onProcessExit(timeUs: TimeUs, node: number, event: BrokerHaltEvent): void {
    this.processExits.push({ timeUs, node, event });
    this.availability.onProcessExit(timeUs, node);
  }

  /** A __consumer_offsets event: its elections and availability only. */
  private recordInternal(timeUs: TimeUs, node: number, ev: KafkaEvent): void {
    switch (ev.type) {
      case 'election':
        if (ev.leader === null) this.offsetsOfflineElections++;
        else this.offsetsElectionsByKind[ev.kind]++;
        return this.availability.onElection(timeUs, ev);
      case 'isr-shrink':
      case 'isr-expand':
        return this.availability.onIsrChange(timeUs, ev);
      case 'become-leader':
        return this.availability.onBecomeLeader(timeUs, node, ev.partition);
      case 'resign-leader':
        return this.availability.onResignLeader(timeUs, node, ev.partition);
      case 'broker-halt':
        return this.onProcessExit(timeUs, node, ev);
      case 'append':
        if (ev.role === 'leader') this.availability.onLeaderAppend(timeUs, node, ev);
        return;
      case 'hw':
        return this.availability.onHighWatermark(timeUs, node, ev);
    }
  }
}
