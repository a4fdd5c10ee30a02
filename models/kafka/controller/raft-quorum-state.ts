// Which KRaft controller is active, as KafkaRaftClient elects it (raft/, QuorumState, FollowerState,
// CandidateState, LeaderState, 3.3-3.9). Every voter sends a heartbeat every QUORUM_HEARTBEAT_US
// carrying its epoch, the leader it follows and its log end: from the leader it stands for
// BeginQuorumEpoch and the answers to the followers' fetches (a leader parks a fetch at most
// MAX_FETCH_WAIT_MS, 500 ms, and from 3.3 appends a no-op every metadata.max.idle.interval.ms,
// 500 ms, KIP-835), from a follower for its Fetch.
// - A voter following a leader becomes a candidate once no fetch of its has been answered for
//   controller.quorum.fetch.timeout.ms (pollFollowerAsVoter, hasFetchTimeoutExpired).
// - A candidate bumps the epoch, votes for itself and asks every voter; a voter that sees a higher
//   epoch drops what it had (transitionToUnattached: a leader resigns) and grants its vote if it has
//   not voted in that epoch and the candidate's log is at least as long as its own (canGrantVote).
//   A majority elects it. Its election timeout is controller.quorum.election.timeout.ms plus a random
//   part below it (randomElectionTimeoutMs); when it runs out, or a majority rejects it, it backs off
//   binaryExponentialElectionBackoffMs (100 ms x random below 2^retries, at most
//   controller.quorum.election.backoff.max.ms) and stands again in the next epoch.
// - The new leader's controller becomes active once a majority has fetched its epoch (the
//   listener's leader change fires when the high watermark passes the epoch start,
//   ListenerContext.maybeFireLeaderChange): QuorumController.claim.
// - The leader commits while a majority of voters (itself included) is fetching from it
//   (LeaderState.maybeUpdateHighWatermark). Before 3.7 a leader cut off from its majority stays
//   leader of its epoch, committing nothing, until it hears of a higher one; from 3.7 (KAFKA-15489,
//   LeaderState.timeUntilCheckQuorumExpires) it resigns once no majority has fetched within
//   1.5 x controller.quorum.fetch.timeout.ms, and stands again after an election timeout.
// - A returning voter with a higher epoch (its candidacies while cut off) makes the leader resign
//   with its first vote request, though its log is too short to win: the quorum elects again
//   (Kafka 3.x has no pre-vote; KIP-996 came in 4.0, not modelled here).
// Simplifications: the quorum forms at start with the first controller leading epoch 1, active
// from its first tick with a majority (the boot election is not modelled); a resigning leader's EndQuorumEpoch is not modelled (a follower that
// hears it waits its fetch timeout); a candidate asks again at each heartbeat, not after
// controller.quorum.retry.backoff.ms.

import type { Choice } from '../../../src/sim/choice.ts';
import type { NodeContext } from '../../../src/sim/model.ts';
import type { KafkaMessage } from '../messages.ts';
import type { RaftHeartbeat, RaftVoteRequest, RaftVoteResponse } from './raft-messages.ts';
import { RAFT_TIMEOUT, type KafkaTimer } from '../timers.ts';
import { ELECTED, FOLLOWING, LEADING, type MetadataQuorum, QUORUM_HEARTBEAT_US, FETCHING_WITHIN_US, closeIfSilent } from './quorum-state.ts';

type Ctx = NodeContext<KafkaMessage, KafkaTimer>;

/** controller.quorum.fetch.timeout.ms default. */
const FETCH_TIMEOUT_US = 2_000_000;
/** controller.quorum.election.timeout.ms default. */
const ELECTION_TIMEOUT_MS = 1000;
/** controller.quorum.election.backoff.max.ms default. */
const ELECTION_BACKOFF_MAX_MS = 1000;
/** KafkaRaftClient.RETRY_BACKOFF_BASE_MS. */
const RETRY_BACKOFF_BASE_MS = 100;
/** LeaderState.CHECK_QUORUM_TIMEOUT_FACTOR (KAFKA-15489, 3.7). */
const CHECK_QUORUM_TIMEOUT_US = 1.5 * FETCH_TIMEOUT_US;

/** Raft roles (Unattached and Voted are a follower that knows no leader). */
const FOLLOWER = 0;
const CANDIDATE = 1;
const LEADER = 2;
const RESIGNED = 3;

export class RaftQuorumState implements MetadataQuorum {
  /** The leader whose controller claimed last, while it leads (-1: none). */
  active = -1;
  private readonly epoch: Int32Array;
  private readonly role: Uint8Array;
  /** The leader each voter knows in its epoch (-1: none). */
  private readonly leaderOf: Int32Array;
  private readonly votedFor: Int32Array;
  /** The epoch of the last record in each voter's log, and its end (a count of the leaders' appends). */
  private readonly logEpoch: Int32Array;
  private readonly logEnd: Float64Array;
  /** Follower: when its leader last answered it (the fetch timer's start). */
  private readonly leaderHeardUs: Float64Array;
  /** Unattached, voted, candidate, resigned: when the election timer runs out; candidate: when its backoff ends (-1: none). */
  private readonly electionDeadlineUs: Float64Array;
  private readonly backoffUntilUs: Float64Array;
  private readonly retries: Int32Array;
  /** Candidate: votes[c * n + v] 1 granted, 2 rejected, 0 unrecorded. */
  private readonly votes: Uint8Array;
  /** Leader: fetchedUs[c * n + v], when voter v last fetched from leader c in its epoch. */
  private readonly fetchedUs: Float64Array;
  /** Leader: the check-quorum timer's start, and the voters that fetched since (LeaderState.fetchedVoters). */
  private readonly checkQuorumFromUs: Float64Array;
  private readonly fetchedVoters: Uint8Array;
  /** Leader: whether its controller has claimed (activated) in this epoch. */
  private readonly claimed: Uint8Array;
  private readonly started: Uint8Array;
  private readonly lastHeardPeerUs: Float64Array;
  private readonly lastClosedUs: Float64Array;
  private readonly lastBeatUs: Float64Array;
  /** The Raft timer armed on each controller (-1: none) and when it fires. */
  private readonly timerId: Int32Array;
  private readonly timerAtUs: Float64Array;

  constructor(
    private readonly n: number,
    private readonly controllerNodes: readonly number[],
    private readonly choice: Choice,
    /** KAFKA-15489 (3.7): a leader without fetches from a majority resigns. */
    private readonly checkQuorum: boolean,
  ) {
    this.epoch = new Int32Array(n).fill(1);
    this.role = new Uint8Array(n);
    this.role[0] = LEADER;
    this.leaderOf = new Int32Array(n);
    this.votedFor = new Int32Array(n).fill(-1);
    this.logEpoch = new Int32Array(n).fill(1);
    this.logEnd = new Float64Array(n);
    this.leaderHeardUs = new Float64Array(n);
    this.electionDeadlineUs = new Float64Array(n).fill(Infinity);
    this.backoffUntilUs = new Float64Array(n).fill(-1);
    this.retries = new Int32Array(n);
    this.votes = new Uint8Array(n * n);
    this.fetchedUs = new Float64Array(n * n).fill(-Infinity);
    this.fetchedUs[0] = Infinity; // the first leader counts itself
    this.checkQuorumFromUs = new Float64Array(n);
    this.fetchedVoters = new Uint8Array(n * n);
    this.claimed = new Uint8Array(n);
    this.started = new Uint8Array(n);
    this.lastHeardPeerUs = new Float64Array(n * n).fill(-Infinity);
    this.lastClosedUs = new Float64Array(n * n);
    this.lastBeatUs = new Float64Array(n).fill(-Infinity);
    this.timerId = new Int32Array(n).fill(-1);
    this.timerAtUs = new Float64Array(n).fill(-1);
  }

  /** Controller c's process starts: first as the quorum formed; after a restart from its quorum-state file (QuorumState.initialize). */
  onStart(ctx: Ctx, c: number): void {
    const now = ctx.nowUs;
    for (let p = 0; p < this.n; p++) {
      this.lastHeardPeerUs[c * this.n + p] = -Infinity;
      this.lastClosedUs[c * this.n + p] = now;
    }
    this.timerId[c] = -1; // the old process's timer died with it
    this.timerAtUs[c] = -1;
    if (this.started[c] === 0) {
      this.started[c] = 1;
      this.leaderHeardUs[c] = now;
      this.checkQuorumFromUs[c] = now;
    } else if (this.role[c] === LEADER || this.role[c] === RESIGNED) {
      this.loseLeadership(c);
      this.role[c] = RESIGNED; // a leader starts resigned in its epoch, so it never votes in it
      this.electionDeadlineUs[c] = now + this.randomElectionTimeoutUs();
    } else if (this.role[c] === CANDIDATE || this.leaderOf[c] < 0) {
      // A candidate starts its election over (retries 1), unattached or voted its election timer.
      this.retries[c] = 1;
      this.backoffUntilUs[c] = -1;
      this.votes.fill(0, c * this.n, (c + 1) * this.n);
      this.votes[c * this.n + c] = 1;
      this.electionDeadlineUs[c] = now + this.randomElectionTimeoutUs();
    } else this.leaderHeardUs[c] = now;
    this.broadcastHeartbeat(ctx, c);
    this.armTimer(ctx, c);
  }

  isActive(c: number, _nowUs: number): boolean {
    return this.role[c] === LEADER && this.claimed[c] === 1;
  }

  /** Active, and a majority of voters fetching: what c appends commits at once. */
  canCommit(c: number, nowUs: number): boolean {
    return this.active === c && this.isActive(c, nowUs) && this.majorityFetching(c, nowUs);
  }

  /** Controller c's periodic tick: heartbeats; a leader claims once a majority fetches. */
  tick(ctx: Ctx, c: number): number {
    if (ctx.nowUs - this.lastBeatUs[c] >= QUORUM_HEARTBEAT_US) this.broadcastHeartbeat(ctx, c);
    return this.role[c] !== LEADER ? FOLLOWING : this.claimed[c] === 1 ? LEADING : this.maybeClaim(c, ctx.nowUs);
  }

  /** The leader's controller becomes active once a majority has fetched its epoch: ELECTED then. */
  private maybeClaim(c: number, nowUs: number): number {
    if (this.claimed[c] === 1 || !this.majorityFetching(c, nowUs)) return FOLLOWING;
    this.claimed[c] = 1;
    this.active = c;
    return ELECTED;
  }

  /** Controller c's Raft timer ran out (KafkaRaftClient.poll of its state). */
  onTimeout(ctx: Ctx, c: number): void {
    this.timerId[c] = -1;
    this.timerAtUs[c] = -1;
    const now = ctx.nowUs;
    if (now >= this.deadlineUs(c))
      switch (this.role[c]) {
        case LEADER:
          this.loseLeadership(c);
          this.role[c] = RESIGNED;
          this.electionDeadlineUs[c] = now + this.randomElectionTimeoutUs();
          break;
        case CANDIDATE:
          if (this.backoffUntilUs[c] >= 0) this.becomeCandidate(ctx, c);
          else this.startBackingOff(c, now);
          break;
        default:
          this.becomeCandidate(ctx, c);
      }
    this.armTimer(ctx, c);
  }

  /** When c's current Raft timer runs out (Infinity: none). */
  private deadlineUs(c: number): number {
    switch (this.role[c]) {
      case LEADER:
        // LeaderState.timeUntilCheckQuorumExpires: a lone voter's check never expires.
        return this.checkQuorum && this.n > 1 ? this.checkQuorumFromUs[c] + CHECK_QUORUM_TIMEOUT_US : Infinity;
      case FOLLOWER:
        return this.leaderOf[c] >= 0 ? this.leaderHeardUs[c] + FETCH_TIMEOUT_US : this.electionDeadlineUs[c];
      case CANDIDATE:
        return this.backoffUntilUs[c] >= 0 ? this.backoffUntilUs[c] : this.electionDeadlineUs[c];
      default:
        return this.electionDeadlineUs[c];
    }
  }

  /** Sets c's timer for its current deadline (one timer per controller, moved as the deadline moves). */
  private armTimer(ctx: Ctx, c: number): void {
    const at = this.deadlineUs(c);
    if (at === this.timerAtUs[c]) return;
    if (this.timerId[c] >= 0) ctx.cancelTimer(this.timerId[c]);
    this.timerId[c] = -1;
    this.timerAtUs[c] = -1;
    if (at === Infinity) return;
    this.timerId[c] = ctx.setTimer(Math.max(0, at - ctx.nowUs), RAFT_TIMEOUT);
    this.timerAtUs[c] = at;
  }

  epochOf(c: number): number {
    return this.epoch[c];
  }

  /** A Raft message to controller c: ELECTED when c's controller claims with it, else FOLLOWING or LEADING. */
  onMessage(ctx: Ctx, c: number, msg: RaftHeartbeat | RaftVoteRequest | RaftVoteResponse): number {
    this.lastHeardPeerUs[c * this.n + msg.controller] = ctx.nowUs;
    if (msg.type === 'raft-heartbeat') this.onHeartbeat(ctx, c, msg);
    else if (msg.type === 'raft-vote-request') this.onVoteRequest(ctx, c, msg);
    else this.onVoteResponse(ctx, c, msg);
    this.armTimer(ctx, c);
    // The quorum formed at start claims on its leader's first tick, as ksim's start always has.
    if (this.role[c] !== LEADER || this.epoch[c] === 1) return FOLLOWING;
    return this.claimed[c] === 1 ? LEADING : this.maybeClaim(c, ctx.nowUs);
  }

  /** A leader's heartbeat (BeginQuorumEpoch, a fetch answered) or a follower's fetch. */
  private onHeartbeat(ctx: Ctx, c: number, msg: RaftHeartbeat): void {
    const now = ctx.nowUs;
    const from = msg.controller;
    if (msg.leader === from && (msg.epoch > this.epoch[c] || (msg.epoch === this.epoch[c] && this.role[c] !== LEADER))) {
      const newLeader = this.leaderOf[c] !== from || this.epoch[c] !== msg.epoch;
      this.becomeFollower(c, msg.epoch, from, now);
      this.logEpoch[c] = msg.logEpoch;
      this.logEnd[c] = msg.logEnd;
      if (newLeader) this.sendHeartbeat(ctx, c, from); // a new follower fetches at once (onBecomeFollower)
    } else if (msg.epoch === this.epoch[c] && msg.leader === c && this.role[c] === LEADER) {
      const i = c * this.n + from;
      this.fetchedUs[i] = now;
      this.fetchedVoters[i] = 1;
      let fetched = 0;
      for (let v = 0; v < this.n; v++) fetched += this.fetchedVoters[c * this.n + v];
      if (fetched >= Math.floor(this.n / 2)) {
        this.fetchedVoters.fill(0, c * this.n, (c + 1) * this.n);
        this.checkQuorumFromUs[c] = now;
      }
    }
  }

  private onVoteRequest(ctx: Ctx, c: number, msg: RaftVoteRequest): void {
    if (msg.epoch > this.epoch[c]) this.becomeUnattached(c, msg.epoch, ctx.nowUs);
    const upToDate = msg.logEpoch > this.logEpoch[c] || (msg.logEpoch === this.logEpoch[c] && msg.logEnd >= this.logEnd[c]);
    const unattached = this.role[c] === FOLLOWER && this.leaderOf[c] < 0;
    const granted = msg.epoch === this.epoch[c] && unattached && (this.votedFor[c] === msg.controller || (this.votedFor[c] < 0 && upToDate));
    if (granted && this.votedFor[c] < 0) {
      this.votedFor[c] = msg.controller;
      this.electionDeadlineUs[c] = ctx.nowUs + this.randomElectionTimeoutUs();
    }
    ctx.reply(this.controllerNodes[msg.controller], { type: 'raft-vote-response', controller: c, epoch: this.epoch[c], leader: this.leaderOf[c], granted });
  }

  private onVoteResponse(ctx: Ctx, c: number, msg: RaftVoteResponse): void {
    if (msg.epoch > this.epoch[c]) {
      if (msg.leader >= 0) this.becomeFollower(c, msg.epoch, msg.leader, ctx.nowUs);
      else this.becomeUnattached(c, msg.epoch, ctx.nowUs);
      return;
    }
    if (msg.epoch < this.epoch[c] || this.role[c] !== CANDIDATE) return;
    this.votes[c * this.n + msg.controller] = msg.granted ? 1 : 2;
    let granted = 0;
    let unrecorded = 0;
    for (let v = 0; v < this.n; v++) {
      const vote = this.votes[c * this.n + v];
      if (vote === 1) granted++;
      else if (vote === 0) unrecorded++;
    }
    const majority = Math.floor(this.n / 2) + 1;
    if (granted >= majority) this.becomeLeader(ctx, c);
    else if (granted + unrecorded < majority && this.backoffUntilUs[c] < 0) this.startBackingOff(c, ctx.nowUs);
  }

  private becomeCandidate(ctx: Ctx, c: number): void {
    this.loseLeadership(c);
    this.retries[c] = this.role[c] === CANDIDATE ? this.retries[c] + 1 : 1;
    this.role[c] = CANDIDATE;
    this.epoch[c]++;
    this.leaderOf[c] = -1;
    this.votedFor[c] = c;
    this.backoffUntilUs[c] = -1;
    this.electionDeadlineUs[c] = ctx.nowUs + this.randomElectionTimeoutUs();
    this.votes.fill(0, c * this.n, (c + 1) * this.n);
    this.votes[c * this.n + c] = 1;
    if (this.n === 1) return this.becomeLeader(ctx, c);
    this.requestVotes(ctx, c);
  }

  private requestVotes(ctx: Ctx, c: number): void {
    for (let v = 0; v < this.n; v++)
      if (this.votes[c * this.n + v] === 0)
        ctx.send(this.controllerNodes[v], { type: 'raft-vote-request', controller: c, epoch: this.epoch[c], logEpoch: this.logEpoch[c], logEnd: this.logEnd[c] });
  }

  private becomeLeader(ctx: Ctx, c: number): void {
    this.role[c] = LEADER;
    this.leaderOf[c] = c;
    this.claimed[c] = 0;
    this.logEpoch[c] = this.epoch[c];
    this.logEnd[c]++; // the LeaderChangeMessage opening the epoch
    this.fetchedUs.fill(-Infinity, c * this.n, (c + 1) * this.n);
    this.fetchedUs[c * this.n + c] = Infinity;
    this.fetchedVoters.fill(0, c * this.n, (c + 1) * this.n);
    this.checkQuorumFromUs[c] = ctx.nowUs;
    this.broadcastHeartbeat(ctx, c); // BeginQuorumEpoch
  }

  private becomeFollower(c: number, epoch: number, leader: number, nowUs: number): void {
    this.loseLeadership(c);
    if (epoch > this.epoch[c]) this.votedFor[c] = -1;
    this.epoch[c] = epoch;
    this.role[c] = FOLLOWER;
    this.leaderOf[c] = leader;
    this.leaderHeardUs[c] = nowUs;
  }

  /** A higher epoch with no leader known yet: a candidate, voted or unattached voter keeps its election timer (QuorumState.transitionToUnattached). */
  private becomeUnattached(c: number, epoch: number, nowUs: number): void {
    const keepsTimer = this.role[c] === CANDIDATE || (this.role[c] === FOLLOWER && this.leaderOf[c] < 0);
    this.loseLeadership(c);
    this.epoch[c] = epoch;
    this.role[c] = FOLLOWER;
    this.leaderOf[c] = -1;
    this.votedFor[c] = -1;
    this.backoffUntilUs[c] = -1;
    if (!keepsTimer) this.electionDeadlineUs[c] = nowUs + this.randomElectionTimeoutUs();
  }

  private loseLeadership(c: number): void {
    this.claimed[c] = 0;
    if (this.active === c) this.active = -1;
  }

  private startBackingOff(c: number, nowUs: number): void {
    const ms = Math.min(RETRY_BACKOFF_BASE_MS * this.choice.below(2 << Math.min(20, this.retries[c] - 1)), ELECTION_BACKOFF_MAX_MS);
    this.backoffUntilUs[c] = nowUs + ms * 1000;
  }

  /** QuorumState.randomElectionTimeoutMs: the timeout plus a random part below it. */
  private randomElectionTimeoutUs(): number {
    return (ELECTION_TIMEOUT_MS + this.choice.below(ELECTION_TIMEOUT_MS)) * 1000;
  }

  /** Whether a majority of voters (c included) fetched from leader c within FETCHING_WITHIN_US. */
  private majorityFetching(c: number, nowUs: number): boolean {
    let fetching = 0;
    for (let v = 0; v < this.n; v++) if (nowUs - this.fetchedUs[c * this.n + v] <= FETCHING_WITHIN_US) fetching++;
    return fetching * 2 > this.n;
  }

  private broadcastHeartbeat(ctx: Ctx, c: number): void {
    const now = ctx.nowUs;
    this.lastBeatUs[c] = now;
    if (this.role[c] === LEADER) this.logEnd[c]++; // a no-op or a metadata batch (KIP-835)
    if (this.role[c] === CANDIDATE && this.backoffUntilUs[c] < 0) this.requestVotes(ctx, c);
    for (let p = 0; p < this.n; p++) {
      if (p === c) continue;
      closeIfSilent(ctx, this.controllerNodes[p], c * this.n + p, this.lastHeardPeerUs, this.lastClosedUs);
      this.sendHeartbeat(ctx, c, p);
    }
  }

  private sendHeartbeat(ctx: Ctx, c: number, to: number): void {
    ctx.send(this.controllerNodes[to], { type: 'raft-heartbeat', controller: c, epoch: this.epoch[c], leader: this.leaderOf[c], logEpoch: this.logEpoch[c], logEnd: this.logEnd[c] });
  }
}
