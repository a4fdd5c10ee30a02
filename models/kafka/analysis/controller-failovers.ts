// The active controller's failovers and lost majorities, for the run summary, from the changes the
// model keeps beside the trace (kafka-events.ts ControllerChange): KRaft's Raft leader, or the
// ZooKeeper-mode controller. A failover is an activation after the first: from the controller
// active before, to the new one, and how long no controller could commit in between, counted from
// what ended the previous one's commits (its majority lost, its lease lost, or its process down,
// whichever came first after it became active). A lost majority is the active controller unable to
// commit (fewer than a majority of voters fetching: LeaderState.maybeUpdateHighWatermark), until
// its majority came back, it lost its lease, its process went down, another controller took over
// (the tick that noted a lost lease may come after the takeover), or the run ended.
//
// A failover to the controller that was active before (c1 again) is a new term, not no change:
// it stopped being active (its lease lost or its process down) and was elected anew. In KRaft the
// usual cause is a voter back from being cut off: while it could not reach the leader it stood for
// election again and again, each time in a higher epoch, and its first vote request once back
// deposes the leader (a higher epoch always does; Kafka 3.x has no pre-vote, KIP-996), though its
// log is too short to win. So such a failover says what ended the previous term, with the epochs.

import type { ControllerChange } from '../kafka-events.ts';

export interface ControllerFailover {
  atMs: number;
  from: string;
  to: string;
  /** From what ended `from`'s commits to `to`'s activation; null when nothing did (not seen). */
  leaderlessMs: number | null;
  leaderlessFromMs: number | null;
  /** KRaft: the Raft epoch `to` leads. */
  epoch?: number;
  /** What ended `from`'s term and when (absent: not seen). */
  fromEndedBy?: 'lease-lost' | 'down';
  fromEndedAtMs?: number;
  /** KRaft, lease-lost: the voter whose higher epoch (deposedEpoch) deposed `from`; absent when it resigned on its own (check-quorum). */
  deposedBy?: string;
  deposedEpoch?: number;
}

export interface ControllerMajorityLoss {
  controller: string;
  atMs: number;
  /** When it ended; null: still at the end of the run. */
  untilMs: number | null;
  /** replaced: another controller became active before this one's own tick noted its lease gone. */
  endedBy: 'majority-back' | 'lease-lost' | 'down' | 'replaced' | null;
}

export function controllerFailovers(changes: readonly ControllerChange[]): { failovers: ControllerFailover[]; majorityLosses: ControllerMajorityLoss[] } {
  const failovers: ControllerFailover[] = [];
  const majorityLosses: ControllerMajorityLoss[] = [];
  let active: string | null = null;
  /** When the active controller's commits ended (its first loss since it became active, not followed by a return), or null. */
  let commitsEndedUs: number | null = null;
  let open: ControllerMajorityLoss | null = null;
  /** The change that ended the active controller's term (its lease lost or its process down), or null. */
  let termEnd: ControllerChange | null = null;
  const ms = (us: number) => us / 1000;
  const close = (timeUs: number, endedBy: ControllerMajorityLoss['endedBy']) => {
    if (open === null) return;
    open.untilMs = ms(timeUs);
    open.endedBy = endedBy;
    open = null;
  };
  for (const c of changes) {
    if (c.change === 'active') {
      close(c.timeUs, 'replaced');
      if (active !== null) failovers.push({ atMs: ms(c.timeUs), from: active, to: c.controller, leaderlessMs: commitsEndedUs === null ? null : ms(c.timeUs - commitsEndedUs), leaderlessFromMs: commitsEndedUs === null ? null : ms(commitsEndedUs), ...termDetails(c, termEnd) });
      active = c.controller;
      commitsEndedUs = null;
      termEnd = null;
      continue;
    }
    if (c.controller !== active) continue;
    if (c.change === 'majority-lost') {
      commitsEndedUs ??= c.timeUs;
      open = { controller: c.controller, atMs: ms(c.timeUs), untilMs: null, endedBy: null };
      majorityLosses.push(open);
    } else if (c.change === 'majority-back') {
      close(c.timeUs, 'majority-back');
      commitsEndedUs = null;
    } else {
      close(c.timeUs, c.change);
      commitsEndedUs ??= c.timeUs;
      termEnd ??= c;
    }
  }
  return { failovers, majorityLosses };
}

/** The new term's epoch and what ended the previous one, as far as the changes tell. */
function termDetails(activation: ControllerChange, termEnd: ControllerChange | null): Partial<ControllerFailover> {
  const out: Partial<ControllerFailover> = {};
  if (activation.epoch !== undefined) out.epoch = activation.epoch;
  if (termEnd === null || (termEnd.change !== 'lease-lost' && termEnd.change !== 'down')) return out;
  out.fromEndedBy = termEnd.change;
  out.fromEndedAtMs = termEnd.timeUs / 1000;
  if (termEnd.deposedBy !== undefined) {
    out.deposedBy = termEnd.deposedBy;
    if (termEnd.epoch !== undefined) out.deposedEpoch = termEnd.epoch;
  }
  return out;
}
