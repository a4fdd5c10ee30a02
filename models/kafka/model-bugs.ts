// The bug zoo: deliberate model bugs, each switched on by name in the scenario's `bugs` list (off by
// default), so the property suite can prove that the checkers catch what they claim to catch
// (properties/bug-zoo.test.ts). Each bug is one small guarded change at the place it names; with
// `bugs` empty the model is untouched. Never switch one on outside tests and demonstrations.

export const MODEL_BUGS = [
  'ack-before-isr',
  'hw-skips-isr-member',
  'elect-outside-isr',
  'skip-truncation',
  'forget-idempotent-dedup',
  'sticky-keyed-records',
  'accept-stale-generation-commit',
  'assign-partition-twice',
  'skip-record-after-poll',
  'rewind-position-after-poll',
  'drop-record-in-poll',
  'repeat-record-in-poll',
  'ack-wrong-offset',
  'seek-past-committed-offset',
] as const;

export type ModelBug = (typeof MODEL_BUGS)[number];

/** What each bug does, for the schema and --help. */
export const MODEL_BUG_DOCS: Readonly<Record<ModelBug, string>> = {
  'ack-before-isr': 'the leader answers an acks=all produce as soon as it has appended, before the ISR has the records (replica-manager.ts appendBatch)',
  'hw-skips-isr-member': 'the leader computes the HW without the last follower of its ISR (partition.ts computeHighWatermark)',
  'elect-outside-isr':
    'a clean election picks the first live replica in assignment order even when it is out of sync, and adds it to the ISR, with unclean election off (partition-leader-election.ts offlinePartitionLeaderElection)',
  'skip-truncation': 'a follower keeps its divergent suffix instead of truncating to the leader (replica-manager.ts truncate; from 2.8 its fetches name no last fetched epoch, replica-fetcher-thread.ts)',
  'forget-idempotent-dedup': 'the leader appends a retried idempotent batch again instead of answering with the original offset (replica-manager.ts appendBatch)',
  'sticky-keyed-records': 'the producer sends keyed records with the sticky partitioner, as if they had no key (kafka-producer.ts send)',
  'accept-stale-generation-commit':
    'the coordinator accepts an offset commit from an older generation, even from a member it has removed, instead of ILLEGAL_GENERATION / UNKNOWN_MEMBER_ID (group-coordinator.ts validateOffsetCommit)',
  'assign-partition-twice': "the group leader's assignment also hands the first member's first partition to the second member (consumer-coordinator.ts onLeaderElected)",
  'skip-record-after-poll': "after each poll the consumer's position moves one record further than it read, dropping that record from the fetch buffer (fetcher.ts collectFetch)",
  'rewind-position-after-poll': "after each poll the consumer's position moves back one record, so the next poll returns the last record again (fetcher.ts collectFetch)",
  'drop-record-in-poll': 'a poll leaves out the second record of a partition when more follow it, though the position moves past it (fetcher.ts collectFetch)',
  'repeat-record-in-poll': "a poll returns a partition's first record again after its last (fetcher.ts collectFetch)",
  'ack-wrong-offset': "the leader's produce response gives the producer the base offset plus one, so acknowledgements name the wrong offsets (replica-manager.ts appendBatch)",
  'seek-past-committed-offset': 'a newly assigned partition starts one record after its committed offset (subscription-state.ts seekToCommitted)',
};

/** One flag per bug, read on the hot paths as plain booleans. */
export class BugSwitches {
  readonly ackBeforeIsr: boolean;
  readonly hwSkipsIsrMember: boolean;
  readonly electOutsideIsr: boolean;
  readonly skipTruncation: boolean;
  readonly forgetIdempotentDedup: boolean;
  readonly stickyKeyedRecords: boolean;
  readonly acceptStaleGenerationCommit: boolean;
  readonly assignPartitionTwice: boolean;
  readonly skipRecordAfterPoll: boolean;
  readonly rewindPositionAfterPoll: boolean;
  readonly dropRecordInPoll: boolean;
  readonly repeatRecordInPoll: boolean;
  readonly ackWrongOffset: boolean;
  readonly seekPastCommittedOffset: boolean;

  constructor(bugs: readonly ModelBug[] = []) {
    this.ackBeforeIsr = bugs.includes('ack-before-isr');
    this.hwSkipsIsrMember = bugs.includes('hw-skips-isr-member');
    this.electOutsideIsr = bugs.includes('elect-outside-isr');
    this.skipTruncation = bugs.includes('skip-truncation');
    this.forgetIdempotentDedup = bugs.includes('forget-idempotent-dedup');
    this.stickyKeyedRecords = bugs.includes('sticky-keyed-records');
    this.acceptStaleGenerationCommit = bugs.includes('accept-stale-generation-commit');
    this.assignPartitionTwice = bugs.includes('assign-partition-twice');
    this.skipRecordAfterPoll = bugs.includes('skip-record-after-poll');
    this.rewindPositionAfterPoll = bugs.includes('rewind-position-after-poll');
    this.dropRecordInPoll = bugs.includes('drop-record-in-poll');
    this.repeatRecordInPoll = bugs.includes('repeat-record-in-poll');
    this.ackWrongOffset = bugs.includes('ack-wrong-offset');
    this.seekPastCommittedOffset = bugs.includes('seek-past-committed-offset');
  }
}
