// The replication protocol a run simulates, as a table of named capabilities. The model asks
// "does this protocol truncate by leader epoch?", never "which era is this?", as Kafka asks
// MetadataVersion.isTruncationOnFetchSupported() (server-common MetadataVersion.java). An era is
// one row; adding an era is adding a row here (the scenario format, its schema and --help take
// the era names and summaries from this table).

export interface ProtocolFeatures {
  /** What the era is, for the scenario schema and --help. */
  readonly summary: string;
  /** The Apache Kafka releases the row stands for, e.g. "3.7-3.9". */
  readonly kafka: string;
  /**
   * KIP-101 (0.11): a follower or restarted broker finds where its log diverges from the
   * leader's with OffsetsForLeaderEpoch and truncates there. Without it, it truncates to its
   * own high-watermark checkpoint (Log.truncateTo(highWatermark) in 0.10 ReplicaFetcherThread),
   * which loses committed records when leadership moves fast.
   */
  readonly truncationByLeaderEpoch: boolean;
  /**
   * KIP-279 (2.0, KAFKA-6361): when the leader answers OffsetsForLeaderEpoch with an older epoch,
   * the follower walks back epoch by epoch to the true divergence point. Without it, the
   * follower trusts the first answer, and a fast leader failover can leave replicas diverged.
   */
  readonly truncationWalksBackEpochs: boolean;
  /**
   * KAFKA-6975 (fixed in 1.0.2, 1.1.1, 2.0.0; Partition.appendRecordsToFollowerOrFutureReplica): a follower whose empty
   * log starts inside a leader's batch (a log start DeleteRecords moved, reset to after OFFSET_OUT_OF_RANGE) restarts
   * it at the batch's base. Before it Log.append refused the batch and the fetcher failed (fetcherFailsPartitionAlone).
   */
  readonly followerStartsLogAtBatchBase: boolean;
  /**
   * KAFKA-7128 (fixed in 2.0.1 and 2.1.0, Partition.maybeExpandIsr): a follower rejoins the ISR
   * only once it has reached the start offset of the leader's current epoch, not merely the high
   * watermark.
   */
  readonly isrJoinNeedsLeaderEpochStart: boolean;
  /**
   * KIP-320 (2.1, the brokers' side): a follower's fetches and OffsetsForLeaderEpoch carry its
   * current leader epoch; a leader answers FENCED_LEADER_EPOCH / UNKNOWN_LEADER_EPOCH on a
   * mismatch, and checks the epoch of any fetch that carries one. The clients came later
   * (metadataRefusesOlderLeaderEpochs, consumerValidatesPositions).
   */
  readonly fetchCarriesLeaderEpoch: boolean;
  /**
   * KAFKA-7738 (2.2, clients' Metadata.updateLatestMetadata): a client (producer or consumer)
   * tracks the last leader epoch it saw per partition and keeps its cached leader when a
   * Metadata response names an older epoch (a stale broker's answer). 2.1's Metadata has no
   * leader epochs: the last response wins, and a client goes back to a deposed leader.
   */
  readonly metadataRefusesOlderLeaderEpochs: boolean;
  /**
   * KIP-320's consumer side (2.3: KAFKA-7440 puts the consumer's leader epoch in its fetches and
   * ListOffsets, KAFKA-7747 validates its position through OffsetsForLeaderEpoch after a leader
   * change, and commits carry the record's leader epoch). 2.1 and 2.2's Fetcher sends no epoch: a
   * zombie leader's answers reach the consumer, and it reads on past a truncation without noticing.
   */
  readonly consumerValidatesPositions: boolean;
  /**
   * KAFKA-7415 (2.1, LeaderEpochFileCache.endOffsetFor): an epoch older than every epoch a log
   * caches ends where the first cached epoch starts (the answer names the epoch asked about).
   * Before it the answer was "unknown epoch", and a follower whose log holds only a newer epoch
   * than the one the leader answers with (it led briefly in back-to-back elections, from an
   * empty log) truncated to the leader's offset and kept records the leader never had; one
   * answered UNDEFINED_EPOCH_OFFSET (0.11-2.0: an empty cache, an epoch older than the first entry)
   * truncated only to its high watermark and kept what lay below it.
   */
  readonly epochCacheAnswersOlderEpochs: boolean;
  /**
   * KIP-380 (2.2, broker epochs): the ZooKeeper-mode controller tells a broker's incarnations apart
   * by its registration's creation zxid (KafkaController BrokerChange, bouncedBrokerIds), so a
   * broker that restarts just as its old session expires is still handled as failed then started
   * (its leaderships move and it gets a full LeaderAndIsr). Without it the controller reads the
   * same set of live ids and misses the bounce: the new process never gets LeaderAndIsr for its
   * partitions, which stay led by a broker that does not serve them (KIP-380's motivation).
   */
  readonly controllerDetectsBrokerBounce: boolean;
  /**
   * KAFKA-7164 (fixed in 2.0.1 and 2.1.0): a follower told of a newer leader epoch by the same
   * leader it already follows goes through become-follower again and truncates. Before the fix,
   * Partition.makeFollower returned false whenever the leader id was unchanged, so a follower
   * that missed an epoch (another leader in between, which the old leader truncated under) kept
   * fetching with its diverged log. (2.0.1 skips only when the epoch moved by at most one; 2.1
   * forwards every epoch change to the fetcher, KAFKA-7395.)
   */
  readonly followerTruncatesAfterMissedEpoch: boolean;
  /**
   * KAFKA-7414 (fixed in 2.0.1 and 2.1.0; "Out of range errors should never be fatal for
   * follower"): a follower whose log ends past its leader's truncates to the leader's end and
   * fetches on. Before it, ReplicaFetcherThread.handleOffsetOutOfRange (0.10.2-2.0.0) exited the
   * broker process when the topic's unclean.leader.election.enable was false ("Exiting because log
   * truncation is not allowed", System.exit in 0.10, FatalExitError from 0.11): the broker stays
   * down, or exits again at every restart, until an operator acts (broker/truncation-halt.ts).
   */
  readonly followerTruncatesOutOfRange: boolean;
  /**
   * KAFKA-15583 (3.7, part of KIP-966): the leader does not advance the high watermark while its
   * committed ISR is below the effective min ISR, min(min.insync.replicas, replication factor)
   * (Partition.maybeIncrementLeaderHW returns at once when isUnderMinIsr), in ZooKeeper and
   * KRaft mode alike. Before it, acks=1 records written with ISR = {leader} are committed and
   * visible to consumers, though no other replica has them.
   */
  readonly hwWaitsForMinIsr: boolean;
  /**
   * KIP-966 Eligible Leader Replicas (4.0 opt-in, on by default in 4.1, KRaft only;
   * PartitionChangeBuilder.maybePopulateTargetElr/isValidNewLeader): while the ISR is below min
   * ISR the high watermark does not move (KAFKA-15583), so replicas that leave the ISR then still
   * hold every committed record; the controller keeps them in the ELR, lets the ISR become empty
   * (the last member fenced joins the ELR), and elects from the ELR when the ISR is empty. A broker
   * that registers after an unclean shutdown leaves the ISR and ELR of every partition
   * (ReplicationControlManager.handleBrokerUncleanShutdown); with the ISR and the ELR both empty,
   * the last known leader leads again once unfenced (canElectLastKnownLeader, lastKnownElr).
   * Without it, the last ISR member leads again after losing unflushed records, though a replica
   * that left below min ISR had them.
   */
  readonly eligibleLeaderReplicas: boolean;
  /**
   * KIP-903 (3.5, KRaft only): a follower's fetch carries its broker epoch (Fetch v15
   * ReplicaState.ReplicaEpoch); the leader adds a replica to the ISR only if that epoch is the one
   * its metadata cache holds (Partition.isReplicaIsrEligible), and AlterPartition v3 sends it for
   * each new member so the controller rejects a stale one (INELIGIBLE_REPLICA). A fetch sent before
   * a broker lost its disk can then no longer put the empty replica back in the ISR.
   */
  readonly alterPartitionCarriesBrokerEpochs: boolean;
  /**
   * KIP-360 (2.5, ProducerStateManager.checkSequence): a partition that has no state for a
   * producer id (its records deleted by retention or DeleteRecords, the id expired, the state
   * lost with the log) accepts the producer's next batch at any sequence. Before it, the broker
   * answered UNKNOWN_PRODUCER_ID to any first sequence but 0 and the send failed.
   */
  readonly unknownProducerAcceptsAnySequence: boolean;
  /**
   * KAFKA-10554 (2.8, AbstractFetcherThread.isTruncationOnFetchSupported): a new follower whose log
   * has a leader epoch skips the OffsetsForLeaderEpoch round and fetches at once, naming its last
   * fetched epoch (Fetch v12 lastFetchedEpoch, KIP-595); the leader answers a fetch whose epoch
   * diverges from its log with divergingEpoch (Partition.readRecords), and the follower truncates
   * there (truncateOnFetchResponse) and fetches again. Before it, the OffsetsForLeaderEpoch round
   * trip comes first.
   */
  readonly truncationOnFetch: boolean;
  /**
   * KIP-461 (2.3, AbstractFetcherThread.markPartitionFailed): a partition whose fetched data the
   * follower cannot append (its first batch starts below the follower's log end offset:
   * Log.append's UnexpectedAppendOffsetException, "Out of order offsets" in 0.11) is marked failed
   * and removed from its fetcher thread alone, until it becomes a follower again. Before it
   * (processPartitionData's `case e: Throwable => throw new KafkaException`), the exception ends
   * the fetcher thread (ShutdownableThread.run): every partition it fetched from that leader stops
   * replicating until none is left on it (shutdownIdleFetcherThreads) or the broker restarts.
   */
  readonly fetcherFailsPartitionAlone: boolean;
}

/** A capability a protocol era may lack, with the fix that brought it: what a version-permitted verdict names. */
interface ProtocolFix {
  /** The KIP or JIRA, e.g. "KIP-101". */
  fix: string;
  /** The Kafka release that shipped it, e.g. "0.11". */
  release: string;
  /** What goes wrong without it, in a few words. */
  flaw: string;
}

/** A capability of PROTOCOL_FEATURES (every field but the descriptions). */
export type ProtocolCapability = Exclude<keyof ProtocolFeatures, 'summary' | 'kafka'>;

/** The fix behind each capability of PROTOCOL_FEATURES (a later era adds its own), in release order. */
const PROTOCOL_FIXES: Readonly<Record<ProtocolCapability, ProtocolFix>> = {
  truncationByLeaderEpoch: { fix: 'KIP-101', release: '0.11', flaw: 'a follower truncates to its high watermark: it loses committed records, or keeps records where the new leader\'s log differs' },
  truncationWalksBackEpochs: { fix: 'KIP-279 (KAFKA-6361)', release: '2.0', flaw: 'a fast leader failover leaves replicas diverged' },
  followerStartsLogAtBatchBase: { fix: 'KAFKA-6975', release: '2.0', flaw: "a follower starting from a leader's log start inside a batch (after DeleteRecords) fails its fetcher: it stops replicating (fixed in 1.0.2 and 1.1.1 too)" },
  isrJoinNeedsLeaderEpochStart: { fix: 'KAFKA-7128', release: '2.0.1', flaw: 'a follower rejoins the ISR before it has the current epoch' },
  followerTruncatesAfterMissedEpoch: { fix: 'KAFKA-7164', release: '2.0.1', flaw: 'a follower that missed a leader epoch skips truncation when the leader is the same broker again' },
  followerTruncatesOutOfRange: { fix: 'KAFKA-7414', release: '2.0.1', flaw: 'a follower whose log ends past its leader\'s exits rather than truncate (unclean.leader.election.enable=false): it stays down, or exits again at every restart, until an operator acts' },
  fetchCarriesLeaderEpoch: { fix: 'KIP-320 (KAFKA-6880)', release: '2.1', flaw: 'follower fetches are not fenced by leader epoch (a zombie replica fetches across leader changes it never heard of)' },
  epochCacheAnswersOlderEpochs: { fix: 'KAFKA-7415', release: '2.1', flaw: "a leader's epoch cache cannot place an epoch older than its first entry: a follower that led briefly from an empty log in back-to-back elections, or one answered UNDEFINED_EPOCH_OFFSET that truncates only to its high watermark, keeps records the leader never had" },
  controllerDetectsBrokerBounce: { fix: 'KIP-380', release: '2.2', flaw: 'the ZooKeeper controller misses a fast broker bounce: its partitions stay unavailable, or the restarted broker keeps its leaderships and ISR places without what it lost' },
  metadataRefusesOlderLeaderEpochs: { fix: 'KAFKA-7738', release: '2.2', flaw: "a client's metadata takes a stale broker's answer with an older leader epoch, and the client goes back to a deposed leader" },
  consumerValidatesPositions: { fix: 'KAFKA-7747 (KAFKA-7440)', release: '2.3', flaw: "consumer fetches carry no leader epoch and consumers do not validate their position after a leader change: a zombie leader's answers reach them, and they read on past a truncation without noticing" },
  fetcherFailsPartitionAlone: { fix: 'KIP-461 (KAFKA-8346)', release: '2.3', flaw: 'a follower handed a batch that starts below its log end offset ends its fetcher thread: every partition it fetched from that leader stops replicating' },
  alterPartitionCarriesBrokerEpochs: { fix: 'KIP-903', release: '3.5', flaw: 'a fetch or AlterPartition from before a broker restarted empty can put it back in the ISR (KRaft)' },
  unknownProducerAcceptsAnySequence: { fix: 'KIP-360', release: '2.5', flaw: "a producer whose state the broker no longer has (records deleted, id expired) has its next sends rejected" },
  truncationOnFetch: { fix: 'KAFKA-10554', release: '2.8', flaw: 'a new follower asks where its log diverges (OffsetsForLeaderEpoch) before it fetches: a round trip more before acks=all writes commit after a leader change' },
  hwWaitsForMinIsr: { fix: 'KAFKA-15583 (KIP-966)', release: '3.7', flaw: 'the leader advances the high watermark while the ISR is below min.insync.replicas' },
  eligibleLeaderReplicas: { fix: 'KIP-966 (ELR)', release: '4.1', flaw: 'the last ISR member leads again after an unclean shutdown, with what it lost, though a replica that left the ISR below min ISR had it (KRaft)' },
};

/**
 * A flaw a fix brought that no release ksim simulates fixes: a run has it when the capability that
 * brought it is on. Named by its JIRA and the upstream change that fixes it, not by a release
 * (the change is newer than every release ksim simulates, and ksim cannot confirm which one ships it).
 */
interface ProtocolRegression {
  /** The JIRA, e.g. "KAFKA-15591": a --fail-on term. */
  readonly name: string;
  /** The capability whose fix brought the flaw. */
  readonly broughtBy: ProtocolCapability;
  /** The upstream change that fixes it, and what it covers. */
  readonly upstreamFix: string;
  /** What goes wrong, in a few words. */
  readonly flaw: string;
}

/**
 * KAFKA-15591 (the same defect as KAFKA-14312 and KAFKA-19880): since KIP-360 (2.5),
 * ProducerAppendInfo.checkSequence takes any first sequence from a producer id the replica has no
 * state for, so a batch that reaches a new leader before the lower sequences still in flight to
 * the old one is written ahead of them; the lower ones then land behind it (re-sequenced under a
 * bumped epoch, which writes the unfinished batches the leader already took a second time) or
 * never. apache/kafka PR #23234 rejects such a first sequence, for a partition that never held a record only.
 */
const PROTOCOL_REGRESSIONS: readonly ProtocolRegression[] = [
  {
    name: 'KAFKA-15591',
    broughtBy: 'unknownProducerAcceptsAnySequence',
    upstreamFix: 'apache/kafka PR #23234 rejects it upstream, for a partition that never held a record',
    flaw: 'a leader with no state for an idempotent producer accepts its batch at any sequence, ahead of lower sequences still in flight: they land behind it, or the batches it took are written again under a bumped epoch',
  },
];

/**
 * Which side of Kafka's version split a capability falls on during a rolling upgrade (a broker's
 * software changes at its restart; the protocol level only at the upgrade's final step):
 * - `software`: the code path runs on one broker and follows that broker's running version as
 *   soon as it restarts on the new software (its class named in `where`).
 * - `protocol`: it needs a request version or field between brokers, so besides the code on the
 *   broker it needs the protocol level to allow it: in ZooKeeper mode the broker's own
 *   inter.broker.protocol.version (ApiVersion.scala 2.x, MetadataVersion.java 3.x), raised by a
 *   second rolling restart; in KRaft the cluster's finalized metadata.version, raised by
 *   kafka-features.sh upgrade --metadata (the UpdateFeatures API). `level` is the first level
 *   that allows it.
 * - `controller`: the controller's code decides (see where).
 */
interface CapabilityGate {
  readonly gate: 'software' | 'protocol' | 'controller';
  /** The Kafka class (and request version) the gate follows. */
  readonly where: string;
  /** protocol: the first inter.broker.protocol.version / metadata.version that allows it, e.g. "2.1". */
  readonly level?: string;
}

export const CAPABILITY_GATES: Readonly<Record<ProtocolCapability, CapabilityGate>> = {
  // ReplicaFetcherThread (0.11-2.x) brokerSupportsLeaderEpochRequest = IBP >= KAFKA_0_11_0_IV2
  // (MetadataVersion.isOffsetForLeaderEpochSupported in 3.x); below it the follower truncates to its HW.
  truncationByLeaderEpoch: { gate: 'protocol', where: 'ReplicaFetcherThread: OffsetsForLeaderEpoch needs inter.broker.protocol.version >= 0.11.0-IV2', level: '0.11' },
  // ReplicaFetcherThread.offsetForLeaderEpochRequestVersion: v1 (the answer carries the epoch) from
  // IBP 2.0-IV0; on v0 AbstractFetcherThread.getOffsetTruncationState takes the leader's offset alone.
  truncationWalksBackEpochs: { gate: 'protocol', where: 'AbstractFetcherThread: OffsetsForLeaderEpoch v1 needs inter.broker.protocol.version >= 2.0-IV0', level: '2.0' },
  isrJoinNeedsLeaderEpochStart: { gate: 'software', where: 'Partition.maybeExpandIsr on the leader' },
  followerStartsLogAtBatchBase: { gate: 'software', where: 'Partition.appendRecordsToFollowerOrFutureReplica on the follower' },
  followerTruncatesAfterMissedEpoch: { gate: 'software', where: 'Partition.makeFollower on the follower' },
  followerTruncatesOutOfRange: { gate: 'software', where: 'ReplicaFetcherThread.handleOffsetOutOfRange on the follower' },
  // ReplicaFetcherThread.fetchRequestVersion: Fetch v10 (currentLeaderEpoch, KIP-320) from IBP
  // 2.1-IV2 (MetadataVersion.fetchRequestVersion); the leader checks the epoch when one is sent.
  fetchCarriesLeaderEpoch: { gate: 'protocol', where: 'ReplicaFetcherThread: Fetch v10 needs inter.broker.protocol.version >= 2.1-IV2', level: '2.1' },
  // KafkaController's BrokerChange handler (2.2) tells bounced brokers by their znode's czxid,
  // whatever the IBP (only LeaderAndIsr v2's broker epoch needs IBP 2.2-IV0).
  // The answering broker's code (the leader's answer, the follower's lookup of its own end of that epoch).
  epochCacheAnswersOlderEpochs: { gate: 'software', where: 'LeaderEpochFileCache.endOffsetFor on the broker that answers or looks up' },
  // The clients run the scenario's version (kafka-world.ts): their own code decides.
  metadataRefusesOlderLeaderEpochs: { gate: 'software', where: "clients' Metadata.updateLatestMetadata (the producer's and the consumer's)" },
  consumerValidatesPositions: { gate: 'software', where: "the consumer's Fetcher (currentLeaderEpoch in its fetches, validateOffsetsIfNeeded) and SubscriptionState" },
  controllerDetectsBrokerBounce: { gate: 'controller', where: "KafkaController (ZooKeeper mode): the controller broker's software" },
  // MetadataVersion.fetchRequestVersion: Fetch v15 carries the replica's broker epoch from
  // metadata.version 3.5-IV1, and AlterPartition v3 its new members' epochs; KRaft only.
  alterPartitionCarriesBrokerEpochs: { gate: 'protocol', where: 'Fetch v15 / AlterPartition v3 need metadata.version >= 3.5-IV1', level: '3.5' },
  unknownProducerAcceptsAnySequence: { gate: 'software', where: "ProducerStateManager.checkSequence on the partition's leader" },
  // ApiVersion.isTruncationOnFetchSupported (2.8; MetadataVersion.isTruncationOnFetchSupported in
  // 3.x): inter.broker.protocol.version >= 2.7-IV1, whose Fetch v12 carries lastFetchedEpoch (the
  // 2.7 leader already answers divergingEpoch); a 2.7 follower never uses it. KRaft's metadata.version is always past it.
  fetcherFailsPartitionAlone: { gate: 'software', where: 'AbstractFetcherThread.processFetchRequest on the follower' },
  truncationOnFetch: { gate: 'protocol', where: 'ReplicaFetcherThread: Fetch v12 lastFetchedEpoch needs inter.broker.protocol.version >= 2.7-IV1', level: '2.7' },
  hwWaitsForMinIsr: { gate: 'software', where: 'Partition.maybeIncrementLeaderHW on the leader (isUnderMinIsr, 3.7.0)' },
  // MetadataVersion.isElrSupported (IBP_4_0_IV1) and the finalized eligible.leader.replicas.version
  // feature (docs/ops: on by default only for clusters created on 4.1): the cluster keeps the state
  // it was created with; raising metadata.version does not turn it on.
  eligibleLeaderReplicas: { gate: 'controller', where: 'PartitionChangeBuilder: metadata.version >= 4.0-IV1 and eligible.leader.replicas.version=1, as the cluster was created' },
};

/** The fix each protocol-flaw event shows missing (kafka-events.ts ProtocolFlawEvent). */
export const PROTOCOL_FLAW_FIX = {
  'truncated-to-high-watermark': 'truncationByLeaderEpoch',
  'skipped-truncation': 'followerTruncatesAfterMissedEpoch',
  'unfenced-fetch': 'fetchCarriesLeaderEpoch',
  'undefined-epoch-offset': 'epochCacheAnswersOlderEpochs',
} as const satisfies Record<string, ProtocolCapability>;

/** Every capability, in the order of the releases that brought them. */
export const PROTOCOL_CAPABILITIES = Object.keys(PROTOCOL_FIXES) as ProtocolCapability[];

/**
 * Kafka releases compared part by part: "2.0.1" > "2.0" = "2.0.0". The releases the fixes name
 * and the releases the versions stand for (kafka-versions.ts) are compared this way.
 */
export function compareReleases(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

/** The capabilities of Kafka `release`: each one whose fix (PROTOCOL_FIXES) shipped in or before it. */
export const capabilitiesAt = (release: string): Omit<ProtocolFeatures, 'summary' | 'kafka'> =>
  Object.fromEntries(PROTOCOL_CAPABILITIES.map((c) => [c, compareReleases(release, PROTOCOL_FIXES[c].release) >= 0])) as Record<ProtocolCapability, boolean>;

/**
 * The eras: each one a Kafka release whose capabilities it takes (capabilitiesAt), so the fixes'
 * releases are the one source of truth for eras and versions alike (kafka-versions.ts).
 */
export const PROTOCOL_FEATURES = {
  'hw-truncation': {
    summary: 'before Kafka 0.11: a follower or restarted broker truncates to its high watermark',
    kafka: '0.10',
    ...capabilitiesAt('0.10.2'),
  },
  'kip-101': {
    summary: 'Kafka 0.11: truncation by leader epoch (OffsetsForLeaderEpoch), without KIP-279',
    kafka: '0.11-1.1',
    ...capabilitiesAt('0.11.0'),
  },
  'kip-279': {
    summary: 'Kafka 2.0.0: followers walk back epoch by epoch to the divergence point (KIP-279), before KAFKA-7128 and KAFKA-7164',
    kafka: '2.0.0',
    ...capabilitiesAt('2.0.0'),
  },
  current: {
    summary: 'KIP-279 plus KIP-320: fetches carry the leader epoch and are fenced (the default)',
    kafka: '3.7-3.9',
    ...capabilitiesAt('3.7.0'),
  },
} as const satisfies Record<string, ProtocolFeatures>;

/** An era: a row of PROTOCOL_FEATURES, named as in the scenario's `era` field. */
export type ProtocolEra = keyof typeof PROTOCOL_FEATURES;

/** A KIP or JIRA as a fix names it. */
const FLAW_NAME = /\b(?:KIP|KAFKA)-\d+\b/g;

/**
 * The names a version finding may blame, each a `--fail-on` term (src/scenario/verdict.ts): every
 * KIP and JIRA of the fixes, in release order ("KIP-279 (KAFKA-6361)" gives both).
 */
export const KAFKA_FLAW_NAMES: readonly string[] = [
  ...new Set([...Object.values(PROTOCOL_FIXES).flatMap((f) => f.fix.match(FLAW_NAME) ?? []), ...PROTOCOL_REGRESSIONS.map((r) => r.name)]),
];

/** The regressions (PROTOCOL_REGRESSIONS) a run with these capabilities has. */
function regressionsOf(features: Pick<ProtocolFeatures, ProtocolCapability>): ProtocolRegression[] {
  return PROTOCOL_REGRESSIONS.filter((r) => features[r.broughtBy]);
}

/** The flaws a run with these capabilities has: the KIPs and JIRAs of every fix it lacks, in release order, then the regressions it has. */
export function flawsLackingFixes(features: Pick<ProtocolFeatures, ProtocolCapability>): string[] {
  const lacked = PROTOCOL_CAPABILITIES.filter((c) => !features[c]).flatMap((c) => PROTOCOL_FIXES[c].fix.match(FLAW_NAME) ?? []);
  return [...new Set([...lacked, ...regressionsOf(features).map((r) => r.name)])];
}

/** "KAFKA-15591 (since KIP-360, 2.5)" for each regression these capabilities have: the version table's entries. */
export function regressionLabels(features: Pick<ProtocolFeatures, ProtocolCapability>): string[] {
  return regressionsOf(features).map((r) => `${r.name} (since ${PROTOCOL_FIXES[r.broughtBy].fix}, ${PROTOCOL_FIXES[r.broughtBy].release})`);
}

/**
 * Why a simulated version does not have a regression it could be asked to hunt: "it came with
 * KIP-360 (Kafka 2.5)"; undefined for a name that is no regression.
 */
export function regressionAbsence(flaw: string): string | undefined {
  const r = PROTOCOL_REGRESSIONS.find((x) => x.name === flaw);
  return r === undefined ? undefined : `it came with ${PROTOCOL_FIXES[r.broughtBy].fix} (Kafka ${PROTOCOL_FIXES[r.broughtBy].release})`;
}

/**
 * A regression as a version-permitted verdict names it: "KAFKA-15591, in Kafka since 2.5 and not
 * fixed in any release ksim simulates (apache/kafka PR #23234 ...): <what goes wrong>". Without
 * the name of the fix that brought it, which is no flaw of the run's.
 */
export function describeRegression(name: string): string {
  const r = PROTOCOL_REGRESSIONS.find((x) => x.name === name)!;
  return `${r.name}, in Kafka since ${PROTOCOL_FIXES[r.broughtBy].release} and not fixed in any release ksim simulates (${r.upstreamFix}): ${r.flaw}`;
}

/** The release whose fix removed a flaw ("KIP-101" -> "0.11", "KAFKA-6880" -> "2.1"), or undefined for a name no fix carries. */
export function fixReleaseOf(flaw: string): string | undefined {
  return Object.values(PROTOCOL_FIXES).find((f) => [...(f.fix.match(FLAW_NAME) ?? [])].includes(flaw))?.release;
}

/** The flaws some reasons name (describeMissingFix's "KIP-380, fixed in Kafka 2.2: ..."), each once, in order. */
export function flawsNamedIn(reasons: readonly string[]): string[] {
  const named = reasons.flatMap((r) => r.match(FLAW_NAME) ?? []).filter((n) => KAFKA_FLAW_NAMES.includes(n));
  return [...new Set(named)];
}

/** The fixes that carry more than one name ("KIP-320 (KAFKA-6880)"), each with its names. */
const ALIASED_FIXES = Object.values(PROTOCOL_FIXES)
  .map((f) => ({ label: f.fix, names: [...(f.fix.match(FLAW_NAME) ?? [])] }))
  .filter((f) => f.names.length > 1);

/**
 * How a finding that names these flaws shows each one, where a fix carries two names: a name
 * maps to the fix the reasons quote whole ("KIP-320 (KAFKA-6880), fixed in Kafka 2.1"), else to
 * the one fix that carries it as an alias; a name that is a fix's only name stays itself (KIP-966
 * alone is ELR, not "KAFKA-15583 (KIP-966)"). The summaries count one finding once under its
 * label, while --fail-on matches either name. Only the names whose label differs.
 */
export function flawLabelsNamedIn(reasons: readonly string[], names: readonly string[]): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const name of names) {
    const quoted = ALIASED_FIXES.find((f) => f.names.includes(name) && reasons.some((r) => r.includes(f.label)));
    const carrying = ALIASED_FIXES.filter((f) => f.names.includes(name));
    const soleName = Object.values(PROTOCOL_FIXES).some((f) => f.fix.match(FLAW_NAME)?.join() === name);
    const label = quoted?.label ?? (carrying.length === 1 && !soleName ? carrying[0].label : undefined);
    if (label !== undefined) labels[name] = label;
  }
  return labels;
}

/** Every era, oldest first. */
export const PROTOCOL_ERAS = Object.keys(PROTOCOL_FEATURES) as ProtocolEra[];

/** "KIP-101 (Kafka 0.11): <what goes wrong without it>", for a capability the era lacks. */
export function describeMissingFix(capability: keyof typeof PROTOCOL_FIXES): string {
  const f = PROTOCOL_FIXES[capability];
  return `${f.fix}, fixed in Kafka ${f.release}: without it ${f.flaw}`;
}

/**
 * A fix Kafka shipped for KRaft only, as a ZooKeeper-mode run meets its flaw (KIP-903: "this
 * proposal just fixes it in Kraft mode"): a known flaw of every ZooKeeper-mode version.
 */
export function describeFixKraftOnly(capability: keyof typeof PROTOCOL_FIXES): string {
  const f = PROTOCOL_FIXES[capability];
  return `${f.fix}, fixed in Kafka ${f.release} for KRaft only; ZooKeeper mode never got the fix: without it ${f.flaw.replace(/ \(KRaft\)$/, '')}`;
}

/**
 * The README's era table (markdown): per era the Kafka releases it stands for, the fixes it has
 * and the known flaws it reproduces (the fixes it lacks, the regressions it has), from PROTOCOL_FEATURES,
 * PROTOCOL_FIXES and PROTOCOL_REGRESSIONS.
 */
export function protocolEraTable(): string {
  const rows = PROTOCOL_ERAS.map((era) => {
    const f = PROTOCOL_FEATURES[era];
    const has = PROTOCOL_CAPABILITIES.filter((c) => f[c]).map((c) => `${PROTOCOL_FIXES[c].fix} (${PROTOCOL_FIXES[c].release})`);
    const regressions = regressionsOf(f).map((r) => `${r.flaw} (${r.name}, since ${PROTOCOL_FIXES[r.broughtBy].release}; ${r.upstreamFix})`);
    const flaws = [...PROTOCOL_CAPABILITIES.filter((c) => !f[c]).map((c) => `${PROTOCOL_FIXES[c].flaw} (${PROTOCOL_FIXES[c].fix}, fixed in ${PROTOCOL_FIXES[c].release})`), ...regressions];
    return `| \`${era}\` | ${f.kafka} | ${has.join(', ') || '-'} | ${flaws.join('; ') || '-'} |`;
  });
  return ['| era | Kafka | fixes it has | known flaws it reproduces |', '|---|---|---|---|', ...rows].join('\n');
}
