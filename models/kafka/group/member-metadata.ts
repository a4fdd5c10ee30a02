// Kafka's MemberMetadata (classic group protocol): one member of a group as its coordinator knows
// it, with the JoinGroup or SyncGroup request it is waiting to have answered (Kafka keeps the
// response callbacks; the model keeps request ids and answers on the member's node).

export class MemberMetadata {
  /** Request id of a JoinGroup awaiting its response (-1: none). */
  joinRequestId = -1;
  /** Request id of a SyncGroup awaiting its response (-1: none). */
  syncRequestId = -1;
  assignment: readonly number[] = [];
  /** Its armed session-expiry timer (the coordinator's DelayedHeartbeat); a fired timer that is not this one is stale. */
  sessionTimer: object | null = null;

  constructor(
    public memberId: string,
    /** group.instance.id (KIP-345), null for a dynamic member. */
    readonly instanceId: string | null,
    /** The client node its responses go to. */
    public node: number,
    public sessionTimeoutUs: number,
    public rebalanceTimeoutUs: number,
    /** The assignor it asked for (the group uses its first member's). */
    public protocol: string,
    public topics: readonly string[],
    /** Partitions it owns, for the sticky assignors. */
    public owned: readonly number[],
    public lastHeartbeatUs: number,
  ) {}

  get isAwaitingJoin(): boolean {
    return this.joinRequestId >= 0;
  }

  get isStaticMember(): boolean {
    return this.instanceId !== null;
  }

  /** No heartbeat (nor join, sync or commit) for session.timeout.ms by `nowUs`: its DelayedHeartbeat's deadline has come. */
  sessionExpired(nowUs: number): boolean {
    return nowUs - this.lastHeartbeatUs >= this.sessionTimeoutUs;
  }
}
