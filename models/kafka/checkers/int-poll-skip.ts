// int-poll-skip (Jepsen's name): within one poll, two consecutive records of a partition are more
// than one record apart: the poll left out records between them.
//
// Kafka's fetch returns a contiguous range of a partition's log, so only compaction explains a gap
// (cleanup.policy=compact removed the record before the fetch: configuration, consumer-causes.ts).
// Anything else is a breach.

import type { Checker, RunView } from '../../../src/check/checker.ts';
import type { Violation } from '../../../src/sim/model.ts';
import type { ClientAnalyses } from './client-analyses.ts';
import { mostSevere, pollAnomalyViolations } from './client-analyses.ts';
import { breach } from './loss-causes.ts';
import type { RunCauses } from './run-causes.ts';

export class IntPollSkipChecker implements Checker {
  readonly name = 'int-poll-skip';

  constructor(
    private readonly clients: ClientAnalyses,
    private readonly causes: RunCauses,
  ) {}

  finish(run: RunView): Violation[] {
    const polls = this.clients.polls();
    if (polls.intPollSkip.length === 0) return [];
    const consumer = this.causes.of(run).consumer;
    return pollAnomalyViolations(
      this.name,
      polls.intPollSkip,
      (a) =>
        mostSevere(
          a.skippedOffsets.map(
            (o) => consumer.compactedBefore(a.key, o, a.ops[0].timeUs) ?? breach(`a fetch returns a contiguous range of the log, and nothing removed the records left out`),
          ),
        ),
      ['gap within a poll', 'gaps within a poll'],
    );
  }
}
