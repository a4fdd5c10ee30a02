// Run-wide counters of the Kafka model, reported flat in ModelOutcome.stats.

export class KafkaStats {
  recordsSent = 0;
  recordsAcked = 0;
  recordsFailed = 0;
  recordsFailedIndefinite = 0;
  produceRequests = 0;
  produceRetries = 0;
  fetchRequests = 0;
  epochRequests = 0;
  metadataRequests = 0;
  appendsLeader = 0;
  appendsFollower = 0;
  /** The leaders' own ISR changes (AlterPartition), as Kafka's IsrShrinksPerSec and IsrExpandsPerSec count them. */
  isrShrinks = 0;
  isrExpands = 0;
  /** Replicas the controller took out of an ISR itself (fenced, shut down, replaced at an election, reassigned away). */
  isrRemovalsByController = 0;
  alterPartitionRejected = 0;
  truncations = 0;
  recordsTruncated = 0;
  recordsLostPowerLoss = 0;
  recordsLostDiskLoss = 0;
  brokerFencings = 0;
  brokerUnfencings = 0;
  /** ZooKeeper mode before KIP-380: restarts the controller did not notice. */
  missedBrokerBounces = 0;
  controllerActivations = 0;
  consumerFetchRequests = 0;
  recordsProcessed = 0;
  offsetCommits = 0;
  offsetCommitsFailed = 0;
  rebalances = 0;
  offsetResets = 0;
  retentionDeletes = 0;
  recordsCompacted = 0;
  readonly elections = new Map<string, number>();
  readonly produceErrors = new Map<string, number>();

  election(kind: string): void {
    this.elections.set(kind, (this.elections.get(kind) ?? 0) + 1);
  }

  produceError(error: string): void {
    this.produceErrors.set(error, (this.produceErrors.get(error) ?? 0) + 1);
  }

  flat(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const [k, v] of Object.entries(this)) if (typeof v === 'number') out[k] = v;
    for (const k of [...this.elections.keys()].sort()) out[`elections.${k}`] = this.elections.get(k)!;
    for (const k of [...this.produceErrors.keys()].sort()) out[`produceErrors.${k}`] = this.produceErrors.get(k)!;
    return out;
  }
}
