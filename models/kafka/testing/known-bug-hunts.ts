// The Kafka protocol bugs ksim reproduces (properties/version-cases.test.ts scripts each one), as
// hunts for `ksim check` (issue 14): from the fault-free check-small scenario with only the last
// version that had the bug pinned (and the weak setting the bug needs), `ksim check` should find
// it by itself; the first version with the fix should pass the same budget. `ksim bench` times
// each hunt (runs and wall time to the first counterexample, its shrunk fault count), through
// the model's definition (knownBugs), with two losses the model permits rather than a bug.
//
// Versions: the rows of version/kafka-versions.ts, on the Apache preset (MSK never offered 0.10,
// 0.11, 2.0 or 4.1, and ran 3.4 on ZooKeeper only), so each side runs its version's own Apache
// defaults and the metadata mode it had by default: ZooKeeper before 3.3, KRaft from 3.3.
// Each hunt names the capability the fix brought (version/protocol-features.ts); a test holds the
// last buggy version as the last one without it and the first fixed one as the first with it.
// A hunt fails a run on its own flaw only (--fail-on breach,KIP-380, say), not on the version class:
// an old version has several flaws (2.1 lacks KIP-380 and KIP-966 alike), and a find of another
// one is right but not this hunt's; the bench lists those as met, not found.

import type { KnownBugHunt } from '../../../src/scenario/model-definition.ts';
import checkSmall from '../presets/check-small.scenario.json' with { type: 'json' };
import type { KafkaVersion } from '../version/kafka-versions.ts';
import type { PROTOCOL_CAPABILITIES } from '../version/protocol-features.ts';

interface KafkaBugHunt {
  /** The KIP or JIRA, as the verdicts name it. */
  bug: string;
  /** The capability its fix brought. */
  capability: (typeof PROTOCOL_CAPABILITIES)[number];
  lastBuggy: KafkaVersion;
  firstFixed: KafkaVersion;
  /** --set pairs the bug needs besides the version: the weak setting, the storage it breaks. */
  weak: string[];
  /** How the weak settings read in the bench's table, when not as the --set pairs. */
  weakLabel?: string;
  properties: string[];
}

/** The flaw a hunt fails on (a --fail-on term, versionFlaws): its KIP or JIRA, the first the fix names. */
export const flawOf = (h: KafkaBugHunt): string => h.bug.split(' ')[0];

export const KAFKA_BUG_HUNTS: readonly KafkaBugHunt[] = [
  // Truncation to the high watermark: a follower that becomes leader after a restart drops
  // committed records, or keeps records where the new leader's log differs. 0.10's defaults
  // (6 s ZooKeeper session, 10 s replica lag) are the ones the bug was reported under.
  { bug: 'KIP-101', capability: 'truncationByLeaderEpoch', lastBuggy: '0.10', firstFixed: '0.11', weak: [], properties: ['hw-above-isr-leo', 'lost-write', 'log-divergence'] },
  // Fast leader failover: two elections in seconds leave a replica with an epoch the new leader
  // never had. acks=1: with acks=all the record in question is never acknowledged.
  { bug: 'KIP-279 (KAFKA-6361)', capability: 'truncationWalksBackEpochs', lastBuggy: '1.1', firstFixed: '2.0', weak: ['acks=1'], properties: ['log-divergence'] },
  // A follower that missed an epoch under the same leader skips truncation (fixed in 2.0.1; the
  // version table's first release after 2.0 is 2.1). acks=1 for the same reason as KIP-279.
  { bug: 'KAFKA-7164', capability: 'followerTruncatesAfterMissedEpoch', lastBuggy: '2.0', firstFixed: '2.1', weak: ['acks=1'], properties: ['log-divergence'] },
  // A zombie replica cut from the controller fetches across leader epochs it never heard of.
  { bug: 'KIP-320 (KAFKA-6880)', capability: 'fetchCarriesLeaderEpoch', lastBuggy: '2.0', firstFixed: '2.1', weak: ['acks=1'], properties: ['log-divergence'] },
  // The ZooKeeper controller misses a fast broker bounce: its partitions stay led by a process
  // that holds no state for them (liveness-after-heal in a run long enough to judge it), or
  // acknowledged records are lost when leadership finally moves (lost-write).
  { bug: 'KIP-380', capability: 'controllerDetectsBrokerBounce', lastBuggy: '2.1', firstFixed: '2.2', weak: [], properties: ['lost-write', 'liveness-after-heal'] },
  // A stale AlterPartition puts a replica that came back empty into the ISR (KRaft). Needs disks
  // that come back empty (instance store) and min.insync.replicas=1, under which the leader
  // alone may acknowledge (version-cases.test.ts's scripted case runs the same).
  { bug: 'KIP-903', capability: 'alterPartitionCarriesBrokerEpochs', lastBuggy: '3.4', firstFixed: '3.5', weak: ['cluster.storage=instance-store', 'min.insync.replicas=1'], weakLabel: 'instance-store, min.insync.replicas=1', properties: ['lost-write'] },
  // The last replica standing: the last ISR member loses its page cache to power loss and leads
  // again, though a replica that left the ISR below min ISR held every record (Eligible Leader
  // Replicas are on by default from 4.1, KRaft).
  { bug: 'KIP-966 (ELR)', capability: 'eligibleLeaderReplicas', lastBuggy: '4.0', firstFixed: '4.1', weak: [], properties: ['lost-write'] },
];

/** A version's --set pair. */
const version = (v: KafkaVersion): { label: string; settings: string[] } => ({ label: `Kafka ${v}`, settings: [`kafkaVersion=${v}`] });

/**
 * Two losses the model permits, not bugs: the loss acks=1 allows (a leader fails before its
 * followers have the record), which the default --fail-on already fails; and every in-sync copy
 * lost to power loss, which only --fail-on fault-load fails. min.insync.replicas=1 lets the ISR
 * shrink to the leader alone, whose page cache then holds the only copies; flushing every message
 * (log.flush.interval.messages=1, fsync before the append returns) is what makes power loss harmless.
 */
const PERMITTED_LOSSES: readonly KnownBugHunt[] = [
  {
    bug: 'acks=1 loss (configuration)',
    raw: checkSmall,
    scenario: 'check-small',
    settings: [],
    properties: ['lost-write'],
    failOn: ['breach', 'configuration'],
    flawed: { label: 'acks=1', settings: ['acks=1'] },
    fixed: { label: 'acks=all', settings: ['acks=all'] },
  },
  {
    bug: 'in-sync copies burned (fault load)',
    raw: checkSmall,
    scenario: 'check-small',
    settings: ['min.insync.replicas=1'],
    properties: ['lost-write'],
    failOn: ['breach', 'configuration', 'version', 'fault-load'],
    flawed: { label: 'min.insync.replicas=1, no flush', settings: ['log.flush.interval.messages=9223372036854775807'] },
    fixed: { label: 'min.insync.replicas=1, flush per message', settings: ['log.flush.interval.messages=1'] },
  },
];

/** The hunts as the model's definition lists them: the version bugs, then the permitted losses. */
export const KAFKA_KNOWN_BUGS: readonly KnownBugHunt[] = [
  ...KAFKA_BUG_HUNTS.map((h) => ({
    bug: h.bug,
    names: flawOf(h),
    raw: checkSmall,
    scenario: 'check-small',
    settings: ['preset=apache', ...h.weak],
    properties: h.properties,
    // a breach still fails: on any version it is a bug of the model, never a flaw to pass over
    failOn: ['breach', flawOf(h)],
    flawed: { ...version(h.lastBuggy), label: [`Kafka ${h.lastBuggy}`, ...(h.weakLabel ? [h.weakLabel] : h.weak)].join(', ') },
    fixed: version(h.firstFixed),
  })),
  ...PERMITTED_LOSSES,
];
