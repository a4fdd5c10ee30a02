// The KRaft controllers' Raft messages between voters (raft-quorum-state.ts), part of the model's
// wire messages (messages.ts).

/**
 * KRaft: a controller's periodic Raft traffic to each other voter: from the leader BeginQuorumEpoch
 * and its answers to fetches, from a follower its Fetch (controller/raft-quorum-state.ts).
 */
export interface RaftHeartbeat {
  type: 'raft-heartbeat';
  controller: number;
  epoch: number;
  /** The leader the sender follows in epoch (itself when leading; -1: none known). */
  leader: number;
  /** The sender's log end: the epoch of its last record and its offset. */
  logEpoch: number;
  logEnd: number;
}

/** KRaft: a candidate's Vote request (VoteRequestData: candidateEpoch, lastOffsetEpoch, lastOffset). */
export interface RaftVoteRequest {
  type: 'raft-vote-request';
  controller: number;
  epoch: number;
  logEpoch: number;
  logEnd: number;
}

/** KRaft: a voter's answer to a Vote request, with its epoch and the leader it knows. */
export interface RaftVoteResponse {
  type: 'raft-vote-response';
  controller: number;
  epoch: number;
  leader: number;
  granted: boolean;
}

/** Every message between KRaft controllers (KafkaMessage's share of them). */
export type RaftMessage = RaftHeartbeat | RaftVoteRequest | RaftVoteResponse;
