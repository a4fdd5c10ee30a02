// int-nonmonotonic-poll (Jepsen's name): within one poll, a partition's records are not in offset
// order, or one repeats. A fetch returns a contiguous range of the log in offset order and poll()
// hands it to the application as it is, whatever the configuration, the version or the faults: a
// breach, always.

import type { Checker, RunView } from '../../../src/check/checker.ts';
import type { Violation } from '../../../src/sim/model.ts';
import type { ClientAnalyses } from './client-analyses.ts';
import { pollAnomalyViolations } from './client-analyses.ts';
import { breach } from './loss-causes.ts';

export class IntNonmonotonicPollChecker implements Checker {
  readonly name = 'int-nonmonotonic-poll';

  constructor(private readonly clients: ClientAnalyses) {}

  finish(run: RunView): Violation[] {
    const polls = this.clients.polls();
    return pollAnomalyViolations(this.name, polls.intNonmonotonicPoll, () => breach('a poll returns each partition in offset order, once'), ['step back within a poll', 'steps back within a poll']);
  }
}
