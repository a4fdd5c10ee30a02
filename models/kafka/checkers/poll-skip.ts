// poll-skip (Jepsen's name): a consumer's poll of a partition starts more than one record after
// where its previous poll of that partition ended, with no rebalance in between (a rebalance that
// revokes the partition, or a new consumer process, starts afresh: analysis/poll-anomalies.ts). The
// consumer skipped records it should have read next.
//
// Each skipped record is explained (consumer-causes.ts) and the anomaly takes the most severe class
// among them: retention deleted it before the consumer read it and the out-of-range reset jumped
// over it (configuration: retention.ms, auto.offset.reset); a reset to latest jumped over it
// (configuration); compaction removed it (configuration: cleanup.policy=compact); it was lost before
// anyone read it (its loss's class); otherwise a breach: Kafka's consumer reads a partition in
// offset order, and only a reset or seek moves its position.

import type { Checker, RunView } from '../../../src/check/checker.ts';
import type { Violation } from '../../../src/sim/model.ts';
import type { ClientAnalyses } from './client-analyses.ts';
import { memberOf, mostSevere, pollAnomalyViolations } from './client-analyses.ts';
import type { RunCauses } from './run-causes.ts';

export class PollSkipChecker implements Checker {
  readonly name = 'poll-skip';

  constructor(
    private readonly clients: ClientAnalyses,
    private readonly causes: RunCauses,
  ) {}

  finish(run: RunView): Violation[] {
    const polls = this.clients.polls();
    if (polls.pollSkip.length === 0) return [];
    const consumer = this.causes.of(run).consumer;
    return pollAnomalyViolations(
      this.name,
      polls.pollSkip,
      (a) => {
        const member = memberOf(a.ops[1].process);
        const byUs = a.ops[1].timeUs;
        return mostSevere(a.skippedOffsets.map((o, i) => consumer.whyUnread(a.key, o, typeof a.skipped[i] === 'number' ? (a.skipped[i] as number) : -1, { member }, byUs)));
      },
      ['skip between polls', 'skips between polls'],
    );
  }
}
