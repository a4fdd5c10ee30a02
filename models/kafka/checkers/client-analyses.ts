// Jepsen's consumer-side analyses of one run, computed once from the run's client history
// (analysis/client-history.ts) and shared by the checkers named after them (poll-skip,
// nonmonotonic-poll, int-poll-skip, int-nonmonotonic-poll, inconsistent-offsets, unseen). Also the
// shared way those checkers report: one violation per partition and class, naming the member, the
// polls and the records, each finding explained and classified (consumer-causes.ts).

import type { Violation } from '../../../src/sim/model.ts';
import { formatTimeUs } from '../../../src/sim/time.ts';
import type { OpHistory } from '../analysis/client-history.ts';
import type { KafkaRunAnalysis } from '../analysis/kafka-run-analysis.ts';
import { pollAnomalies, type PollAnomalies, type PollAnomaly } from '../analysis/poll-anomalies.ts';
import { unseen, type Unseen } from '../analysis/unseen-records.ts';
import { versionOrders, type VersionOrders } from '../analysis/version-orders.ts';
import { groupFindings, groupViolation, RECORDS_NAMED_MAX, type ClassifiedFinding } from './grouped-violations.ts';
import type { Cause } from './loss-causes.ts';
import { plural } from './kafka-terms.ts';

/** The unseen series is sampled once a virtual second. */
const UNSEEN_SAMPLE_US = 1_000_000;

/** The analyses of one run's client history, each computed once, on first use. */
export class ClientAnalyses {
  private ordersResult: VersionOrders | null = null;
  private pollsResult: PollAnomalies | null = null;
  private unseenResult: Unseen | null = null;

  constructor(private readonly analysis: KafkaRunAnalysis) {}

  private get history(): OpHistory {
    return this.analysis.clients.history.ops;
  }

  orders(): VersionOrders {
    return (this.ordersResult ??= versionOrders(this.history));
  }

  polls(): PollAnomalies {
    return (this.pollsResult ??= pollAnomalies(this.history, this.orders()));
  }

  unseen(): Unseen {
    return (this.unseenResult ??= unseen(this.history, UNSEEN_SAMPLE_US));
  }
}

/** The consumer a process stands for ("billing-a#2", its second process, is billing-a). */
export function memberOf(process: string): string {
  const hash = process.indexOf('#');
  return hash < 0 ? process : process.slice(0, hash);
}

/** "r12@40" for a read (a value that is not a record id prints as itself). */
export function readName(value: number | string, offset: number | null): string {
  const v = typeof value === 'number' ? `r${value}` : value;
  return offset === null ? v : `${v}@${offset}`;
}

/** One sentence per anomaly: who read what, when, and what it skipped or re-read. */
function describePollAnomaly(a: PollAnomaly): string {
  const [first, second] = a.ops;
  const reads = `${readName(a.values[0], a.offsets[0])} then ${readName(a.values[1], a.offsets[1])}`;
  const when = first === second ? `in one poll at ${formatTimeUs(first.timeUs)}` : `in polls at ${formatTimeUs(first.timeUs)} and ${formatTimeUs(second.timeUs)}`;
  const what =
    a.kind === 'skip'
      ? `, skipping ${plural(a.skipped.length, 'record')} (${a.skipped
          .slice(0, RECORDS_NAMED_MAX)
          .map((v, i) => readName(v, a.skippedOffsets[i]))
          .join(', ')}${a.skipped.length > RECORDS_NAMED_MAX ? ', ...' : ''})`
      : `, ${a.delta === 0 ? 'reading the same offset again' : `${-a.delta} back`}`;
  return `${first.process} read ${reads} ${when}${what}`;
}

/** Violations of one anomaly kind: one per partition and class, each explained. */
export function pollAnomalyViolations(property: string, anomalies: readonly PollAnomaly[], classify: (a: PollAnomaly) => Cause, what: [singular: string, plural: string]): Violation[] {
  const classified = anomalies.map(
    (a): ClassifiedFinding<PollAnomaly> => {
      const cause = classify(a);
      return { partition: a.key, classification: cause.classification, permittedBy: cause.permittedBy, reason: cause.reason, item: a };
    },
  );
  return groupFindings(classified).map((group) => {
    const items = group.items;
    const named = items.slice(0, 3).map(describePollAnomaly);
    const more = items.length > named.length ? `; and ${items.length - named.length} more` : '';
    return groupViolation(property, group, `${plural(items.length, what[0], what[1])} in ${group.partition}: ${named.join('; ')}${more}`, {
      processes: [...new Set(items.map((a) => a.ops[1].process))],
      deltas: items.slice(0, RECORDS_NAMED_MAX).map((a) => a.delta),
      ops: items.slice(0, RECORDS_NAMED_MAX).map((a) => [a.ops[0].index, a.ops[1].index]),
    });
  });
}

/** The most severe of several causes (a breach before anything permitted; then the configuration, the version, the fault load). */
export function mostSevere(causes: readonly Cause[]): Cause {
  const rank = (c: Cause) => (c.classification === 'breach' ? 0 : c.permittedBy === 'configuration' ? 1 : c.permittedBy === 'version' ? 2 : 3);
  let best = causes[0];
  for (const c of causes) if (rank(c) < rank(best)) best = c;
  return best;
}
