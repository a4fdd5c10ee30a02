// The operator of a rolling restart (scenario operations `rolling-restart` and `upgrade`, whose
// brokers are restarted the same way, each on its new software), as Amazon MSK's
// patching or an operator's script runs one: the brokers are restarted one at a time with a
// controlled shutdown each; before the next broker stops, the previous one must be back and every
// partition must have its full ISR again (under-replicated partitions = 0, the health check MSK
// and Kafka's own docs ask for between brokers), or isrWaitMs must have passed since it came back.
//
// The operator stands outside Kafka: it reads the controller's committed ISRs (what
// kafka-topics --describe --under-replicated-partitions shows) through KafkaWorld, and it checks
// every ROLLING_RESTART_CHECK_US. Each broker runs its own turn on its own timers, so the
// operator's state lives here, one per run. Rolling operations run one at a time, in the order
// they start, as MSK runs cluster updates (a second update waits until the one in progress is
// done, rather than two restarting brokers at once or one broker twice).

import type { KafkaWorld } from '../kafka-world.ts';
import type { KafkaOperation } from '../scenario/kafka-scenario.ts';

/** An operation that restarts its brokers one at a time. */
type RollingOperation = Extract<KafkaOperation, { kind: 'rolling-restart' | 'upgrade' }>;

function isRolling(op: KafkaOperation): op is RollingOperation {
  return op.kind === 'rolling-restart' || op.kind === 'upgrade';
}

/** How often a waiting broker's turn is checked (an operator script polling the cluster's health). */
export const ROLLING_RESTART_CHECK_US = 1_000_000;

interface Turn {
  /** The broker's position in the operation's order. */
  position: number;
  stopped: boolean;
  /** When the broker started again after its shutdown (-1: not yet). */
  restartedUs: number;
}

export class RollingRestartOperator {
  /** Per operation index: the turn of every broker in its order (absent: not a rolling restart). */
  private readonly turns = new Map<number, Turn[]>();

  constructor(private readonly world: KafkaWorld) {
    world.scenario.operations.forEach((op, i) => {
      if (isRolling(op)) this.turns.set(i, op.brokers.map((_, position) => ({ position, stopped: false, restartedUs: -1 })));
    });
  }

  /** The rolling restarts in which broker `name` still has to stop: operation index and when its check starts. */
  pendingFor(name: string): { operation: number; atUs: number }[] {
    const out: { operation: number; atUs: number }[] = [];
    for (const [i, turns] of this.turns) {
      const op = this.world.scenario.operations[i];
      if (!isRolling(op)) continue;
      const position = op.brokers.indexOf(name);
      if (position >= 0 && !turns[position].stopped) out.push({ operation: i, atUs: op.atMs * 1000 });
    }
    return out;
  }

  /** Whether broker `name` may begin its controlled shutdown for operation i now (marks it stopping). */
  mayStop(i: number, name: string, nowUs: number): boolean {
    const op = this.world.scenario.operations[i];
    const turns = this.turns.get(i);
    if (!isRolling(op) || turns === undefined) return false;
    const turn = turns[op.brokers.indexOf(name)];
    if (turn.stopped || this.earlierUnfinished(i)) return false;
    if (turn.position > 0) {
      const previous = turns[turn.position - 1];
      if (previous.restartedUs < 0) return false;
      if (nowUs < previous.restartedUs + op.isrWaitMs * 1000 && !this.everyIsrFull()) return false;
    }
    turn.stopped = true;
    return true;
  }

  /** Broker `name` started again after its shutdown for operation i. */
  restarted(i: number, name: string, nowUs: number): void {
    const op = this.world.scenario.operations[i];
    const turns = this.turns.get(i);
    if (!isRolling(op) || turns === undefined) return;
    const turn = turns[op.brokers.indexOf(name)];
    if (turn.restartedUs < 0) turn.restartedUs = nowUs;
  }

  /** Whether a rolling operation that started before operation i still has a broker to stop or to bring back. */
  private earlierUnfinished(i: number): boolean {
    const ops = this.world.scenario.operations;
    for (const [j, turns] of this.turns) {
      const before = ops[j].atMs < ops[i].atMs || (ops[j].atMs === ops[i].atMs && j < i);
      if (before && turns.some((t) => t.restartedUs < 0)) return true;
    }
    return false;
  }

  /**
   * No under-replicated partition: every created partition's committed ISR holds all its replicas,
   * replicas a reassignment is still adding not counted (Partition.isUnderReplicated: the
   * replication factor of a reassigning partition is its replicas minus the adding ones).
   */
  private everyIsrFull(): boolean {
    for (const m of this.world.committedPartitions()) if (m !== undefined && m.isr.length < m.replicas.length - (m.addingReplicas?.length ?? 0)) return false;
    return true;
  }
}
