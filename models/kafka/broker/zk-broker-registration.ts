// ZooKeeper mode: a broker process's registration (KafkaServer.startup's
// KafkaZkClient.registerBroker, the ephemeral /brokers/ids/N znode) and what LeaderAndIsr reaches
// a process the controller has not registered. A process started within its old session cannot
// create the znode (NODEEXISTS; KafkaServer.startup fails before it starts its request processors),
// so it acts on nothing, in every ZooKeeper-era release. Once it has registered, a controller that
// has KIP-380 (2.2) handles the bounce (onBrokerFailure then onBrokerStartup's full LeaderAndIsr)
// and a new process rejects control requests meant for the old one (STALE_BROKER_EPOCH). Before
// KIP-380 a bounce the controller missed leaves the broker's id in its channel manager, whose
// RequestSendThread retries every request queued since the old process died: the LeaderAndIsr
// for each partition changed since the old process last acted on one reaches the new process (one
// naming it leader makes it lead with what its disk kept). KRaft never gets here (its brokers
// register before they replay any metadata).

export class ZkBrokerRegistration {
  /** Whether this process's znode exists (the controller answered a heartbeat without NODE_EXISTS). */
  private registered = false;
  /**
   * Per partition: the partition epoch of the last LeaderAndIsr any process of this broker acted
   * on. It survives restarts: it stands for what the controller's queue for this broker id held.
   */
  private readonly actedEpoch: number[] = [];

  /** Process start or stop: no znode of this process yet. */
  reset(): void {
    this.registered = false;
  }

  /**
   * An active controller answered a heartbeat (error null, or NODE_EXISTS while the old znode
   * lives): true when this answer is the one that tells the process it has registered.
   */
  onHeartbeatAnswer(registered: boolean): boolean {
    if (!registered || this.registered) return false;
    this.registered = true;
    return true;
  }

  /**
   * Whether a process the controller has not registered acts on p at partitionEpoch: only after
   * its own registration, before KIP-380, for a change since the broker last acted on p.
   */
  reachesUnregistered(p: number, partitionEpoch: number, controllerDetectsBounce: boolean): boolean {
    return this.registered && !controllerDetectsBounce && partitionEpoch > (this.actedEpoch[p] ?? 0);
  }

  /** The process acted on p's state at partitionEpoch. */
  acted(p: number, partitionEpoch: number): void {
    this.actedEpoch[p] = partitionEpoch;
  }
}
