// A leader that took its partition back in the same leader epoch, with no election since it last
// did: its process restarted (a crash, a power or disk loss) and the controller did not notice
// (the ZooKeeper controller before KIP-380, Kafka 2.2: a broker that re-registers within its
// session is not a failure to it). The broker leads again from what its disk kept: an older HW
// checkpoint, maybe a shorter log. What the HW checkers see next in that epoch (a HW that moves
// back, an ISR member above the new log's end; in the next epochs too while that broker is
// elected again, its followers truncating against the log it rewrote) is that flaw, permitted by the simulated version
// when a broker or the controller lacked KIP-380 then, a breach otherwise.
//
// A broker that lost records and was then elected while its old ZooKeeper session lived (its new
// process cannot register before it expires: bounce-shapes.ts electedWithinOldSession) leads from
// its registration with what its disk kept: the same flaw, though an election came between.
//
// The rewritten log's carriers: the broker that retook the partition, and each follower that
// truncated to that log while it led in its epoch. A carrier holds the rewritten log, not the
// committed one, so when another leader is elected and the carrier truncates to that leader's log
// it falls below the committed offset: the same flaw, until it has reached that offset again
// (carrierCause, caughtUp). An election of a carrier while the rewritten log still leads carries
// it on into the new epoch; once another log led, the carriers only shed theirs.
//
// Fed with `log-lost`, `become-leader`, `election` and `truncate` events (ReplicaManager.makeLeaders,
// the controller, the followers) as they come, or read back from a run's history at its end
// (missedBounceAtElection), so a checker judging an election afterwards applies the same rule.

import type { TimeUs } from '../../../src/sim/time.ts';
import { formatTimeUs } from '../../../src/sim/time.ts';
import type { KafkaHistory } from '../analysis/kafka-history.ts';
import type { KafkaRunAnalysis } from '../analysis/kafka-run-analysis.ts';
import type { VersionTimeline } from '../analysis/version-timeline.ts';
import type { KafkaScenario } from '../scenario/kafka-scenario.ts';
import { describeMissingFix } from '../version/protocol-features.ts';

interface Retaken {
  broker: string;
  /** The epoch its rewritten log leads in now (the retaken one, or a later one that kept that log). */
  epoch: number;
  /** The epoch it retook the partition in. */
  takenEpoch: number;
  timeUs: TimeUs;
}

/**
 * A broker holding a retaken leader's rewritten log; shed once it truncated under a leader of
 * another log; cut again once it truncated or lost records after that (its log's end has another cause since).
 */
interface Carrier {
  retaken: Retaken;
  shed: boolean;
  cutAgain: boolean;
}

export class MissedBounces {
  /** Per partition: the leader and epoch of the last become-leader, and when. */
  private readonly last = new Map<string, { broker: string; epoch: number; timeUs: TimeUs }>();
  /** Per partition: the latest leader epoch (of an election or a become-leader), the one a follower's truncation follows. */
  private readonly currentEpoch = new Map<string, number>();
  /** Per partition: a leadership retaken in its epoch, while the rewritten log leads. */
  private readonly retaken = new Map<string, Retaken>();
  /** Per partition: the brokers carrying a rewritten log (the retaken leader, followers that truncated to it), until caught up. */
  private readonly carriers = new Map<string, Map<string, Carrier>>();
  /** How many carriers have shed their rewritten log and not caught up (caughtUp costs nothing while 0). */
  private shedCount = 0;
  /** Per partition: the brokers that lost records of it (power or disk loss) since its last election, and when. */
  private readonly lostSinceElection = new Map<string, Map<string, TimeUs>>();
  /** zookeeper.session.timeout.ms in µs; null in KRaft (a restarted broker registers at once). */
  private readonly sessionUs: number | null;

  constructor(
    private readonly versions: VersionTimeline,
    scenario: KafkaScenario,
  ) {
    this.sessionUs = scenario.metadataMode === 'kraft' ? null : scenario.brokerConfig['zookeeper.session.timeout.ms'] * 1000;
  }

  /** A broker lost records of the partition to power or disk loss (`log-lost`) at timeUs. */
  lostRecords(partition: string, broker: string, timeUs: TimeUs): void {
    const carrier = this.carriers.get(partition)?.get(broker);
    if (carrier !== undefined) carrier.cutAgain = true;
    let brokers = this.lostSinceElection.get(partition);
    if (brokers === undefined) this.lostSinceElection.set(partition, (brokers = new Map()));
    brokers.set(broker, timeUs);
  }

  becameLeader(timeUs: TimeUs, partition: string, broker: string, epoch: number): void {
    this.currentEpoch.set(partition, Math.max(epoch, this.currentEpoch.get(partition) ?? -1));
    const last = this.last.get(partition);
    const retaken = this.retaken.get(partition);
    // Again in its epoch: it restarted, a bounce of its own (judged by what ran then), even when it had retaken the partition before.
    const again = last !== undefined && last.broker === broker && last.epoch === epoch;
    // The same leader in a newer epoch with no election (a reassignment's bump, KIP-455; a ZooKeeper controller's ISR
    // removal) goes on with the rewritten log: the retaken leader, or a carrier elected while that log led.
    if (!again && retaken !== undefined && this.carriers.get(partition)?.get(broker)?.retaken === retaken) retaken.epoch = epoch;
    // Or leading after losing records with no election since: its bounce went unnoticed.
    else if (again || this.lostSinceElection.get(partition)?.has(broker)) {
      const r = { broker, epoch, takenEpoch: epoch, timeUs };
      this.retaken.set(partition, r);
      this.carry(partition, broker, r);
    }
    this.last.set(partition, { broker, epoch, timeUs });
  }

  /**
   * An election: the flaw ends, unless it elected a carrier of the rewritten log while that log
   * leads (the broker that retook the partition, or a follower that truncated to its log): that
   * log stays the partition's history (its followers truncate against it).
   */
  elected(partition: string, leader: string | null, epoch: number, timeUs: TimeUs): void {
    this.currentEpoch.set(partition, epoch);
    const r = this.retaken.get(partition);
    const carrier = leader === null ? undefined : this.carriers.get(partition)?.get(leader);
    if (r !== undefined && carrier?.retaken === r && !carrier.shed) r.epoch = epoch;
    else this.retaken.delete(partition);
    this.last.delete(partition);
    // Elected while its old ZooKeeper session lived after losing records: it leads once registered, from what it kept.
    const lostUs = leader === null ? undefined : this.lostSinceElection.get(partition)?.get(leader);
    if (lostUs !== undefined && this.sessionUs !== null && timeUs <= lostUs + this.sessionUs) this.lostSinceElection.set(partition, new Map([[leader!, lostUs]]));
    else this.lostSinceElection.delete(partition);
  }

  /**
   * A follower truncated its log under the partition's current leader: to the retaken leader's
   * rewritten log, if that log leads now (it carries it on); a carrier truncating under a leader
   * of another log sheds the rewritten one (it stays a carrier until caughtUp).
   */
  truncated(partition: string, broker: string): void {
    const r = this.retaken.get(partition);
    if (r !== undefined && r.epoch === this.currentEpoch.get(partition)) {
      if (r.broker !== broker) this.carry(partition, broker, r);
      return;
    }
    const carrier = this.carriers.get(partition)?.get(broker);
    if (carrier === undefined) return;
    if (carrier.shed) carrier.cutAgain = true;
    else {
      carrier.shed = true;
      this.shedCount++;
    }
  }

  /** A replica reached the partition's committed offset: a carrier that shed the rewritten log carries it no more. */
  caughtUp(partition: string, broker: string): void {
    if (this.shedCount === 0) return;
    const brokers = this.carriers.get(partition);
    if (brokers?.get(broker)?.shed !== true) return;
    brokers.delete(broker);
    this.shedCount--;
  }

  private carry(partition: string, broker: string, retaken: Retaken): void {
    let brokers = this.carriers.get(partition);
    if (brokers === undefined) this.carriers.set(partition, (brokers = new Map()));
    if (brokers.get(broker)?.shed === true) this.shedCount--;
    brokers.set(broker, { retaken, shed: false, cutAgain: false });
  }

  /**
   * The cause of an anomaly of `partition` in `epoch` at timeUs, if its leader retook it in that
   * epoch before: the reason, and whether the simulated version permits it. Undefined otherwise.
   */
  causeOf(partition: string, epoch: number, timeUs: TimeUs): { reason: string; byVersion: boolean } | undefined {
    const r = this.retaken.get(partition);
    if (r === undefined || r.epoch !== epoch || r.timeUs > timeUs) return undefined;
    return this.explain(r, partition, timeUs, '');
  }

  /**
   * The cause of `broker` falling short at timeUs if it carries a retaken leader's rewritten log
   * (see above), whatever leads now: the reason, and whether the version permits it. Undefined otherwise.
   */
  carrierCause(partition: string, broker: string, timeUs: TimeUs): { reason: string; byVersion: boolean } | undefined {
    const r = this.carriers.get(partition)?.get(broker)?.retaken;
    if (r === undefined || r.timeUs > timeUs) return undefined;
    return this.explain(r, partition, timeUs, r.broker === broker ? '' : `; ${broker} had truncated to its log`);
  }

  /**
   * The cause of electing `leader` short of the committed offset at timeUs when it carries a
   * retaken leader's rewritten log and nothing cut its log since it shed it (short since then, as
   * carrierCause exempts it until it catches up): undefined otherwise.
   */
  electedCarrierCause(partition: string, leader: string, timeUs: TimeUs): { reason: string; byVersion: boolean } | undefined {
    const carrier = this.carriers.get(partition)?.get(leader);
    if (carrier === undefined || carrier.cutAgain || carrier.retaken.timeUs > timeUs) return undefined;
    return this.explain(carrier.retaken, partition, timeUs, '');
  }

  private explain(r: Retaken, partition: string, timeUs: TimeUs, then: string): { reason: string; byVersion: boolean } {
    const what = `${r.broker} restarted and took leadership of ${partition} back in epoch ${r.takenEpoch} at ${formatTimeUs(r.timeUs)} with no election: the controller missed its bounce${then}`;
    const missed = this.versions.bounceMissedBetween(r.timeUs, timeUs);
    return missed === null ? { reason: what, byVersion: false } : { reason: `${missed}: ${describeMissingFix('controllerDetectsBrokerBounce')}: ${what}`, byVersion: true };
  }
}

/** What a partition's history holds of a bounce: its removals (power or disk losses, truncations), elections and leaderships, each in time order. */
interface BounceEvidence {
  removals: readonly { timeUs: TimeUs; node: number; cause: string }[];
  elections: readonly { timeUs: TimeUs; event: { leader: string | null; leaderEpoch: number } }[];
  leaderships: readonly { timeUs: TimeUs; node: number; leaderEpoch: number }[];
}

/** Event kinds at one time, in the order the cluster emits them: a loss, the controller's election, the leader's start, a follower's truncation. */
const LOST = 0;
const ELECTED = 1;
const LED = 2;
const TRUNCATED = 3;

/**
 * The missed bounce behind `partition`'s election at electionUs (its leader epoch `epoch`, its
 * leader `leader`): it elected the broker that had retaken the partition with no election, or a
 * follower that had truncated to that broker's rewritten log, while that log led or after, short
 * since (MissedBounces, fed the partition's history up to the election, ties in time in emission
 * order). Undefined when the election owes nothing to one.
 */
export function missedBounceAtElection(
  analysis: Pick<KafkaRunAnalysis, 'versions' | 'scenario'>,
  nodeName: (node: number) => string,
  partition: string,
  history: BounceEvidence,
  election: { leader: string; epoch: number; electionUs: TimeUs },
): { reason: string; byVersion: boolean } | undefined {
  const { leader, epoch, electionUs } = election;
  const steps: { timeUs: TimeUs; kind: number; index: number }[] = [];
  history.removals.forEach(({ timeUs, cause }, index) => timeUs <= electionUs && steps.push({ timeUs, kind: cause === 'truncation' ? TRUNCATED : LOST, index }));
  history.elections.forEach(({ timeUs }, index) => timeUs <= electionUs && steps.push({ timeUs, kind: ELECTED, index }));
  history.leaderships.forEach(({ timeUs }, index) => timeUs <= electionUs && steps.push({ timeUs, kind: LED, index }));
  steps.sort((a, b) => a.timeUs - b.timeUs || a.kind - b.kind || a.index - b.index);
  const bounces = new MissedBounces(analysis.versions, analysis.scenario);
  for (const s of steps) {
    if (s.kind === LOST) bounces.lostRecords(partition, nodeName(history.removals[s.index].node), s.timeUs);
    else if (s.kind === TRUNCATED) bounces.truncated(partition, nodeName(history.removals[s.index].node));
    else if (s.kind === ELECTED) {
      const e = history.elections[s.index].event;
      bounces.elected(partition, e.leader, e.leaderEpoch, s.timeUs);
    } else {
      const l = history.leaderships[s.index];
      bounces.becameLeader(s.timeUs, partition, nodeName(l.node), l.leaderEpoch);
    }
  }
  // The retaken leader's log leads on through this election, or the new leader carried it and is short since.
  return bounces.causeOf(partition, epoch, electionUs) ?? bounces.electedCarrierCause(partition, leader, electionUs);
}

/**
 * What a user partition's history (kafka-history.ts) holds of a bounce, as missedBounceAtElection
 * reads it: every replica's removals of the partition (a truncation, or a power or disk loss),
 * its elections and the leaderships taken.
 */
export function bounceEvidenceOf(history: KafkaHistory, partition: string): BounceEvidence {
  const removals = history.removals
    .filter(({ event }) => event.partition === partition)
    .map(({ timeUs, node, event }) => ({ timeUs, node, cause: event.type === 'truncate' ? 'truncation' : event.cause }));
  return { removals, elections: history.elections(partition), leaderships: history.leaderships(partition) };
}
