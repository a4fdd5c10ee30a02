// The Kafka situations a run reached, for `ksim check`'s coverage table: which protocol paths and
// fault effects the run exercised, so a green result says what it covered ("ISR of one with
// acks=all" in 40 of 100 runs, say). Watches the model's events; reports no violations; its
// summary (`analysis["kafka-coverage"]`) lists the situations in a fixed order. The kinds of
// explicit faults come from the scenario (FaultHorizon), since checkers do not see fault events.
// kafka-exploration.ts adds the situations only the model's counters show (controller failover).

import type { Checker, RunView } from '../../../src/check/checker.ts';
import type { ModelEvent, Violation } from '../../../src/sim/model.ts';
import type { TimeUs } from '../../../src/sim/time.ts';
import type { RunReport } from '../../../src/scenario/run-report.ts';
import type { KafkaEvent } from '../kafka-events.ts';
import type { KafkaScenario } from '../scenario/kafka-scenario.ts';

const KAFKA_COVERAGE_CHECKER = 'kafka-coverage';

/** Situation names, in report order. */
const SITUATIONS = [
  'ISR shrink',
  'ISR expansion',
  'ISR of one with acks=all',
  'clean leader failover',
  'unclean election',
  'partition offline',
  'preferred-leader election',
  'controlled shutdown',
  'truncation',
  'truncation of acknowledged records',
  'power loss lost records',
  'disk loss lost records',
  'NOT_ENOUGH_REPLICAS',
  'AZ outage',
  'network partition',
  'broker or controller crash',
  'power loss',
  'process pause',
] as const;
type Situation = (typeof SITUATIONS)[number];

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
  private readonly reached = new Set<Situation>();
  private readonly acksAllTopics = new Set<string>();
  private readonly acked = new Set<number>();

  constructor(scenario: KafkaScenario, faultKinds: readonly string[] = []) {
    for (const p of scenario.producers) if (p.config.acks === 'all') this.acksAllTopics.add(p.topic);
    for (const k of faultKinds) {
      const s = FAULT_SITUATIONS[k];
      if (s) this.reached.add(s);
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
        if (ev.leader === null) this.reached.add('partition offline');
        else if (ev.kind === 'unclean') this.reached.add('unclean election');
        else if (ev.kind === 'clean' && ev.previousLeader !== null) this.reached.add('clean leader failover');
        else if (ev.kind === 'preferred') this.reached.add('preferred-leader election');
        else if (ev.kind === 'controlled-shutdown') this.reached.add('controlled shutdown');
        if (ev.leader !== null && ev.isr.length === 1 && this.acksAll(ev.partition)) this.reached.add('ISR of one with acks=all');
        return;
      case 'send-ok':
        // Only ids are kept, and only while truncations can still be told apart from acks.
        if (!this.reached.has('truncation of acknowledged records')) this.acked.add(ev.record);
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
      default:
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
