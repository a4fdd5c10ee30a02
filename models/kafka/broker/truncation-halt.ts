// A follower ahead of its leader that may not truncate: the broker process exits (Kafka before
// 2.1). ReplicaFetcherThread.handleOffsetOutOfRange, 0.10.2 to 2.0: on OFFSET_OUT_OF_RANGE with
// the leader's log end offset below the follower's, when the topic's unclean.leader.election.enable
// is false, it logs "Exiting because log truncation is not allowed for partition ..." and exits
// (System.exit(1) in 0.10; FatalExitError, whose ShutdownableThread calls Exit.exit, from 0.11,
// KAFKA-4039). KAFKA-7414 (2.0.1 and 2.1.0, "Out of range errors should never be fatal for
// follower") made it truncate in every case. The check is the follower's own code: its running
// software decides (capability followerTruncatesOutOfRange, a known flaw before the fix).
//
// The exit is modelled as a process crash on a live host: memory gone, the page cache kept (what
// the follower held stays on disk), connections reset. Not modelled: the JVM shutdown hook
// System.exit runs (from 0.11 a clean shutdown with a controlled shutdown; in 0.10 it deadlocks
// on the exiting fetcher thread, KAFKA-4039, leaving a process that serves nothing).
//
// What restarts it is the deployment's (KafkaScenario.processRestartMs): Amazon MSK restarts a
// failed broker process; a plain Apache deployment in ksim has no supervisor (as after a crash,
// only the fault schedule brings a process back), so the broker stays down. A restarted 0.10
// follower truncates to its high-watermark checkpoint, fetches again from the same leader and may
// exit again: Kafka's halt loop, until an operator intervenes; one exit per restart delay.

import type { NodeContext } from '../../../src/sim/model.ts';
import type { KafkaMessage } from '../messages.ts';
import type { KafkaTimer } from '../timers.ts';
import type { KafkaWorld } from '../kafka-world.ts';

type Ctx = NodeContext<KafkaMessage, KafkaTimer>;

/** The reason the broker's exit names, as Kafka's fatal log line gives it. */
function truncationHaltReason(partition: string, leaderEndOffset: number, logEndOffset: number): string {
  return `log truncation not allowed for ${partition} (leader LEO ${leaderEndOffset} < follower LEO ${logEndOffset})`;
}

/**
 * One broker's side of it, which its fetcher asks: whether a partition's follower exits rather
 * than truncate, the exit itself (the broker's process stop, given), and which of its logs hold
 * what they kept by exiting (until the replica appends fetched records again; it survives
 * restarts, as the log does): the end-of-run analyses count those records as on disk, not lost.
 */
export class TruncationHalt {
  readonly kept: Uint8Array;

  constructor(
    private readonly world: KafkaWorld,
    private readonly brokerIndex: number,
    /** Stops the broker process as a crash does, after the halt event; restartUs null: nobody restarts it. */
    private readonly stopProcess: (ctx: Ctx, restartUs: number | null) => void,
  ) {
    this.kept = new Uint8Array(world.layout.partitions.length);
  }

  /** Whether the follower of p exits rather than truncate below its log end offset (KAFKA-7414 removed the exit). */
  applies(p: number): boolean {
    return !this.world.layout.partitions[p].uncleanLeaderElection && !this.world.versions.brokers[this.brokerIndex].features.followerTruncatesOutOfRange;
  }

  /** The follower of p is ahead of its leader (leaderEndOffset): the broker says why and exits. */
  exit(ctx: Ctx, p: number, leaderEndOffset: number): void {
    const partition = this.world.layout.partitions[p].name;
    const logEndOffset = this.world.logsOfBroker[this.brokerIndex]![p]!.logEndOffset;
    const restartMs = this.world.scenario.processRestartMs;
    const restartUs = restartMs === undefined ? null : restartMs * 1000;
    this.kept[p] = 1;
    ctx.emit({
      type: 'broker-halt',
      partition,
      leaderEndOffset,
      logEndOffset,
      reason: truncationHaltReason(partition, leaderEndOffset, logEndOffset),
      restartInMs: restartMs ?? null,
    });
    this.stopProcess(ctx, restartUs);
  }

  /** The follower of p appended fetched records: it follows its leader again. */
  resumed(p: number): void {
    this.kept[p] = 0;
  }
}
