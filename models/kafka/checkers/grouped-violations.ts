// One violation per anomaly kind, partition and classification, however many records are involved:
// a run that loses 10,000 records prints a line per partition, with the count and the first few
// records. Breaches come before permitted findings of the same partition; partitions in report
// order. The message starts with the classification and the reason, as the checker interface
// promises readers of a report.
//
// A permitted finding also says what permits it (`permittedBy`): the configuration (acks=1,
// unclean election, idempotence off, auto.offset.reset: the user chose a weaker guarantee), the
// simulated version (a known flaw of the protocol era, named by the KIP or JIRA that fixed it) or
// the fault load (every in-sync copy lost to power or disk loss: beyond what replication promises
// to survive). They are grouped apart, because the verdict rule (src/scenario/verdict.ts,
// --fail-on) treats them apart; the message opens with the class in words.

import type { Violation } from '../../../src/sim/model.ts';
import { VERDICT_CLASS_PHRASE, verdictClassOf } from '../../../src/scenario/verdict.ts';
import { comparePartitions } from '../analysis/partition-name.ts';
import { flawLabelsNamedIn, flawsNamedIn } from '../version/protocol-features.ts';

export type Classification = 'permitted' | 'breach';
/** What permits a permitted finding; breaches have none. */
export type PermittedBy = 'configuration' | 'version' | 'fault-load';

/** How many records a violation names. */
export const RECORDS_NAMED_MAX = 5;
/** How many distinct reasons a violation names, the most frequent first; the rest are counted. */
const REASONS_NAMED_MAX = 4;

export interface ClassifiedFinding<T> {
  partition: string;
  classification: Classification;
  /** Short reason, e.g. "acks=1" or "unclean election of b3 at 5.1s"; grouped and counted per violation. */
  reason: string;
  item: T;
  /** Permitted findings only; default 'configuration'. */
  permittedBy?: PermittedBy;
}

interface FindingGroup<T> {
  partition: string;
  classification: Classification;
  permittedBy: PermittedBy | undefined;
  /** Distinct reasons in first-seen order, with how many findings each. */
  reasons: { reason: string; count: number }[];
  items: T[];
  /** reason -> its entry in `reasons`. */
  reasonIndex: Map<string, { reason: string; count: number }>;
}

export function groupFindings<T>(findings: readonly ClassifiedFinding<T>[]): FindingGroup<T>[] {
  const groups = new Map<string, FindingGroup<T>>();
  for (const f of findings) {
    const permittedBy = f.classification === 'permitted' ? (f.permittedBy ?? 'configuration') : undefined;
    const key = `${f.partition}\u0000${f.classification}\u0000${permittedBy ?? ''}`;
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { partition: f.partition, classification: f.classification, permittedBy, reasons: [], items: [], reasonIndex: new Map() }));
    g.items.push(f.item);
    const reason = g.reasonIndex.get(f.reason);
    if (reason) reason.count++;
    else {
      const entry = { reason: f.reason, count: 1 };
      g.reasons.push(entry);
      g.reasonIndex.set(f.reason, entry);
    }
  }
  return [...groups.values()].sort(
    (a, b) => comparePartitions(a.partition, b.partition) || (a.classification === b.classification ? 0 : a.classification === 'breach' ? -1 : 1),
  );
}

/**
 * "unclean election of b3 at 5.1s" or "acks=1 (3); unclean election ... (2)" when reasons differ:
 * the REASONS_NAMED_MAX most frequent (first seen first among equals), kept in first-seen order
 * (reasons often tell a story in time), then "and 7 other reasons (9)".
 */
function reasonOf(group: FindingGroup<unknown>): string {
  if (group.reasons.length === 1) return group.reasons[0].reason;
  const kept = new Set([...group.reasons].sort((a, b) => b.count - a.count).slice(0, REASONS_NAMED_MAX));
  const keptReasons = group.reasons.filter((r) => kept.has(r));
  const shared = sharedCause(keptReasons.map((r) => r.reason));
  const named =
    shared === null
      ? keptReasons.map((r) => `${r.reason} (${r.count})`)
      : keptReasons.map((r, i) => `${i === 0 ? `${shared}: ` : ''}${r.reason === shared ? 'alone' : `with ${r.reason.slice(0, -` and ${shared}`.length)} too`} (${r.count})`);
  const rest = group.reasons.filter((r) => !kept.has(r));
  if (rest.length > 0) named.push(`and ${rest.length} other reasons (${rest.reduce((n, r) => n + r.count, 0)})`);
  return named.join('; ');
}

/**
 * The cause every one of `reasons` names, said once: the longest text that each reason is, or ends
 * with after " and " (loss-causes names every necessary cause: "acks=1 and <the unclean election>"
 * beside "<the unclean election>" for records the whole ISR had); null when they share none.
 */
function sharedCause(reasons: readonly string[]): string | null {
  const first = reasons[0];
  const candidates = [first];
  for (let at = first.indexOf(' and '); at >= 0; at = first.indexOf(' and ', at + 1)) candidates.push(first.slice(at + ' and '.length));
  for (const shared of candidates) if (reasons.every((r) => r === shared || r.endsWith(` and ${shared}`))) return shared;
  return null;
}

export function groupViolation(
  property: string,
  group: FindingGroup<unknown>,
  body: string,
  details: Record<string, unknown>,
): Violation {
  const reason = reasonOf(group);
  return {
    property,
    message: `${classPhrase(group.classification, group.permittedBy)} (${reason}): ${body}`,
    classification: group.classification,
    ...(group.permittedBy ? { permittedBy: group.permittedBy } : {}),
    ...namedFlaws(group.reasons),
    reason,
    partition: group.partition,
    count: group.items.length,
    ...details,
  };
}

/**
 * A finding's `flaws` (src/scenario/verdict.ts: what `--fail-on KIP-380` selects): the KIPs and
 * JIRAs of known flaws all its reasons name, the ones cut from its message included. A version
 * finding names what permits it; a breach may name the fix the version lacks (KIP-903's stale ISR
 * expansion). None named: no field. With `flawLabels` for the names of a fix that carries two
 * ("KAFKA-6880" -> "KIP-320 (KAFKA-6880)"), so summaries count the finding once under that label.
 */
export function namedFlaws(reasons: readonly { reason: string }[]): { flaws?: string[]; flawLabels?: Record<string, string> } {
  const texts = reasons.map((r) => r.reason);
  const flaws = flawsNamedIn(texts);
  if (flaws.length === 0) return {};
  const flawLabels = flawLabelsNamedIn(texts, flaws);
  return Object.keys(flawLabels).length > 0 ? { flaws, flawLabels } : { flaws };
}

/** "breach", "permitted by the configuration", "permitted by the simulated version", "permitted by the fault load". */
export function classPhrase(classification: Classification, permittedBy: PermittedBy | undefined): string {
  return VERDICT_CLASS_PHRASE[verdictClassOf({ property: '', message: '', classification, permittedBy })];
}
