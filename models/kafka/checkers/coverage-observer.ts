// The Kafka situations a run reached, for `ksim check`'s coverage table: which protocol paths and
// fault effects the run exercised, so a green result says what it covered ("ISR of one with
// acks=all" in 40 of 100 runs, say). Watches the model's events; reports no violations; its
// summary (`analysis["kafka-coverage"]`) lists the situations in a fixed order. The explicit
// faults come from the scenario (FaultHorizon), since checkers do not see fault events: a crash of
// a producer or consumer counts as a client crash, not a broker one. Consumer groups: rebalances,
// fenced commits, offset resets, coordinator failovers (a new leader of a __consumer_offsets
// partition), and retention deleting records a consumer had not read (an out-of-range reset from
// below the log start). Idempotence: a leader accepting a sequence past a gap from a producer it
// had no state for.
// kafka-exploration.ts adds the situations only the model's counters show (controller failover).

import { RecordIdSet } from '../analysis/record-id-set.ts';
import type { Checker, RunView } from '../../../src/check/checker.ts';
import type { ModelEvent, Violation } from '../../../src/sim/model.ts';
import type { TimeUs } from '../../../src/sim/time.ts';
import type { RunReport } from '../../../src/scenario/run-report.ts';
import type { KafkaEvent, KafkaEventType } from '../kafka-events.ts';
import type { KafkaScenario } from '../scenario/kafka-scenario.ts';
import { faultNameRefsOf, type Fault } from '../../../src/faults/fault.ts';
import { COMMIT_FAILED_EXCEPTION } from '../consumer/consumer-coordinator.ts';

const KAFKA_COVERAGE_CHECKER = 'kafka-coverage';

/** Situation names, in report order. */
const SITUATIONS = [
  'ISR shrink',
  'ISR expansion',
  'ISR of one with acks=all',
  'clean leader failover',
  'unclean election',
  'last-known-leader election',
  'partition offline',
  'preferred-leader election',
  'controlled shutdown',
  'truncation',
  'truncation of acknowledged records',
  'power loss lost records',
  'disk loss lost records',
  'NOT_ENOUGH_REPLICAS',
  'sequence accepted past a gap',
  'broker exited rather than truncate',
  'AZ outage',
  'network partition',
  'broker or controller crash',
  'client crash',
  'power loss',
  'process pause',
  'rebalance',
  'fenced commit',
  'offset reset',
  'coordinator failover',
  'retention deleted unread records',
] as const;
type Situation = (typeof SITUATIONS)[number];

/** Commit errors of a member fenced out of its group (the Java client's CommitFailedException). */
const FENCED_COMMIT_ERRORS = new Set(['ILLEGAL_GENERATION', 'UNKNOWN_MEMBER_ID', 'FENCED_INSTANCE_ID', COMMIT_FAILED_EXCEPTION]);

const FAULT_SITUATIONS: Record<string, Situation> = {
  'az-outage': 'AZ outage',
  partition: 'network partition',
  'partition-one-way': 'network partition',
  'isolate-node': 'network partition',
  'isolate-az': 'network partition',
  crash: 'broker or controller crash',
  'power-loss': 'power loss',
  'disk-loss': 'power loss',
  pause: 'process pause',
};

export class CoverageObserver implements Checker {
  readonly name = KAFKA_COVERAGE_CHECKER;
  readonly observer = true;
  /** What onEvent reads (the kernel dispatches by type). */
  readonly eventTypes: readonly KafkaEventType[] = ['isr-shrink', 'isr-expand', 'election', 'send-ok', 'truncate', 'log-lost', 'produce-error', 'unknown-producer-append', 'broker-halt', 'rebalance-start', 'commit-fail', 'offset-reset', 'retention'];
  private readonly reached = new Set<Situation>();
  private readonly acksAllTopics = new Set<string>();
  private readonly acked = new RecordIdSet();
  /** Per partition, the highest log start offset retention moved it to. */
  private readonly logStart = new Map<string, number>();
  private readonly offsetsTopicPrefix: string;

  /** `faults`: the explicit schedule (a crash of a producer or consumer is a client crash). */
  constructor(scenario: KafkaScenario, faults: readonly Fault[] = []) {
    for (const p of scenario.producers) if (p.config.acks === 'all') this.acksAllTopics.add(p.topic);
    this.offsetsTopicPrefix = `${scenario.offsetsTopic?.name ?? '__consumer_offsets'}-`;
    const clients = new Set([...scenario.producers.map((p) => p.name), ...(scenario.consumerGroups ?? []).flatMap((g) => g.members.map((m) => m.name))]);
    for (const f of faults) {
      const s = FAULT_SITUATIONS[f.kind];
      if (!s) continue;
      const onClient = f.kind === 'crash' && faultNameRefsOf(f).some((r) => r.names === 'node' && clients.has(r.name));
      this.reached.add(onClient ? 'client crash' : s);
    }
  }

  onEvent(_timeUs: TimeUs, _node: number, modelEvent: ModelEvent): void {
    const ev = modelEvent as unknown as KafkaEvent;
    switch (ev.type) {
      case 'isr-shrink':
      case 'isr-expand':
        this.reached.add(ev.type === 'isr-shrink' ? 'ISR shrink' : 'ISR expansion');
        if (ev.isr.length === 1 && this.acksAll(ev.partition)) this.reached.add('ISR of one with acks=all');
        return;
      case 'election':
        if (ev.partition.startsWith(this.offsetsTopicPrefix)) {
          if (ev.leader !== null && ev.previousLeader !== null && ev.kind !== 'initial') this.reached.add('coordinator failover');
        }
        if (ev.leader === null) this.reached.add('partition offline');
        else if (ev.kind === 'unclean') this.reached.add('unclean election');
        else if (ev.kind === 'last-known-leader') this.reached.add('last-known-leader election');
        else if (ev.kind === 'clean' && ev.previousLeader !== null) this.reached.add('clean leader failover');
        else if (ev.kind === 'preferred') this.reached.add('preferred-leader election');
        else if (ev.kind === 'controlled-shutdown') this.reached.add('controlled shutdown');
        if (ev.leader !== null && ev.isr.length === 1 && this.acksAll(ev.partition)) this.reached.add('ISR of one with acks=all');
        return;
      case 'send-ok':
        // Only ids are kept, and only while truncations can still be told apart from acks.
        if (!this.reached.has('truncation of acknowledged records')) for (const record of ev.records) this.acked.add(record);
        return;
      case 'truncate':
        if (ev.removed.length === 0) return;
        this.reached.add('truncation');
        if (!this.reached.has('truncation of acknowledged records') && ev.removed.some((r) => this.acked.has(r))) {
          this.reached.add('truncation of acknowledged records');
          this.acked.clear();
        }
        return;
      case 'log-lost':
        if (ev.removed.length > 0) this.reached.add(ev.cause === 'power-loss' ? 'power loss lost records' : 'disk loss lost records');
        return;
      case 'produce-error':
        if (ev.error === 'NOT_ENOUGH_REPLICAS') this.reached.add('NOT_ENOUGH_REPLICAS');
        return;
      case 'unknown-producer-append':
        // a leader with no state for the producer took a sequence above 0 (KIP-360's rule)
        this.reached.add('sequence accepted past a gap');
        return;
      case 'broker-halt':
        // before 2.1 a follower ahead of its leader exits (broker/truncation-halt.ts)
        this.reached.add('broker exited rather than truncate');
        return;
      default:
        return this.onConsumerEvent(ev);
    }
  }

  private onConsumerEvent(ev: KafkaEvent): void {
    switch (ev.type) {
      case 'rebalance-start':
        this.reached.add('rebalance');
        return;
      case 'commit-fail':
        if (FENCED_COMMIT_ERRORS.has(ev.error)) this.reached.add('fenced commit');
        return;
      case 'offset-reset':
        this.reached.add('offset reset');
        if (ev.reason === 'out-of-range' && ev.fromOffset < (this.logStart.get(ev.partition) ?? 0)) this.reached.add('retention deleted unread records');
        return;
      case 'retention':
        if (ev.logStartOffset > (this.logStart.get(ev.partition) ?? 0)) this.logStart.set(ev.partition, ev.logStartOffset);
        return;
    }
  }

  private acksAll(partition: string): boolean {
    const dash = partition.lastIndexOf('-');
    return this.acksAllTopics.has(dash < 0 ? partition : partition.slice(0, dash));
  }

  finish(_run: RunView): Violation[] {
    return [];
  }

  summary(): object {
    return { situations: SITUATIONS.filter((s) => this.reached.has(s)) };
  }
}

/** The situations CoverageObserver reported for a run. */
export function readCoverage(report: Pick<RunReport, 'analysis'>): string[] {
  const c = report.analysis[KAFKA_COVERAGE_CHECKER] as { situations?: string[] } | undefined;
  return c?.situations ?? [];
}
