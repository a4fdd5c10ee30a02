// nonmonotonic-poll (Jepsen's name): a consumer's poll of a partition starts at or before where
// its previous poll of that partition ended, with no rebalance in between (see poll-skip.ts for
// what starts afresh). The consumer went back and read records again.
//
// Explained by the reset of that member between the two polls that moved its position back
// (consumer-causes.ts), classified by why the reset happened: KIP-320 truncation detection or an
// out-of-range position after an election cut the log (an unclean election: configuration; every
// in-sync copy lost: the fault load; a protocol flaw of the era: the version), a committed offset
// lost with its __consumer_offsets partition. Without such a reset: a breach.

import type { Checker, RunView } from '../../../src/check/checker.ts';
import type { Violation } from '../../../src/sim/model.ts';
import type { ClientAnalyses } from './client-analyses.ts';
import { memberOf, pollAnomalyViolations } from './client-analyses.ts';
import type { RunCauses } from './run-causes.ts';

export class NonmonotonicPollChecker implements Checker {
  readonly name = 'nonmonotonic-poll';

  constructor(
    private readonly clients: ClientAnalyses,
    private readonly causes: RunCauses,
  ) {}

  finish(run: RunView): Violation[] {
    const polls = this.clients.polls();
    if (polls.nonmonotonicPoll.length === 0) return [];
    const consumer = this.causes.of(run).consumer;
    return pollAnomalyViolations(
      this.name,
      polls.nonmonotonicPoll,
      (a) => consumer.whyBackwards(a.key, memberOf(a.ops[1].process), a.offsets[0] ?? -1, a.offsets[1] ?? -1, a.ops[0].timeUs, a.ops[1].timeUs),
      ['step back between polls', 'steps back between polls'],
    );
  }
}
