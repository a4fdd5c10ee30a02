// What a per-event invariant checker keeps of its violations: per partition and classification,
// how many times the invariant broke, the distinct reasons with their counts, and the first few
// occurrences in Kafka terms with their virtual time. Memory is bounded however often a broken
// model trips the invariant (a bug may trip it on every event), and the report is one violation
// per partition and classification, breaches first, partitions in report order (as for the
// end-of-run analyses, grouped-violations.ts).

import type { Violation } from '../../../src/sim/model.ts';
import { formatTimeUs, type TimeUs } from '../../../src/sim/time.ts';
import { comparePartitions } from '../analysis/partition-name.ts';
import { classPhrase, namedFlaws, type Classification, type PermittedBy } from './grouped-violations.ts';

/** Occurrences described per violation. */
const OCCURRENCES_KEPT = 3;

interface Group {
  partition: string;
  classification: Classification;
  permittedBy: PermittedBy | undefined;
  count: number;
  reasons: { reason: string; count: number }[];
  occurrences: { timeUs: TimeUs; text: string }[];
}

export class InvariantFindings {
  private readonly groups = new Map<string, Group>();

  constructor(private readonly property: string) {}

  get size(): number {
    return this.groups.size;
  }

  add(partition: string, timeUs: TimeUs, text: string, reason: string, classification: Classification = 'breach', permittedBy?: PermittedBy): void {
    const key = `${partition}\u0000${classification}\u0000${permittedBy ?? ''}`;
    let g = this.groups.get(key);
    if (!g) this.groups.set(key, (g = { partition, classification, permittedBy, count: 0, reasons: [], occurrences: [] }));
    g.count++;
    const r = g.reasons.find((x) => x.reason === reason);
    if (r) r.count++;
    else g.reasons.push({ reason, count: 1 });
    if (g.occurrences.length < OCCURRENCES_KEPT) g.occurrences.push({ timeUs, text });
  }

  /** One violation per partition and classification; `what` names the anomaly ("HW above an ISR member's LEO"). */
  violations(what: string): Violation[] {
    const groups = [...this.groups.values()].sort(
      (a, b) => comparePartitions(a.partition, b.partition) || (a.classification === b.classification ? 0 : a.classification === 'breach' ? -1 : 1),
    );
    return groups.map((g) => {
      const reason = g.reasons.length === 1 ? g.reasons[0].reason : g.reasons.map((r) => `${r.reason} (${r.count})`).join('; ');
      const first = g.occurrences.map((o) => `at ${formatTimeUs(o.timeUs)} ${o.text}`).join('; ');
      const more = g.count > g.occurrences.length ? `; and ${g.count - g.occurrences.length} more` : '';
      return {
        property: this.property,
        message: `${classPhrase(g.classification, g.permittedBy)} (${reason}): ${what} in ${g.partition}, ${g.count === 1 ? 'once' : `${g.count} times`}: ${first}${more}`,
        classification: g.classification,
        ...(g.permittedBy ? { permittedBy: g.permittedBy } : {}),
        ...namedFlaws(g.reasons),
        reason,
        partition: g.partition,
        count: g.count,
        firstAtUs: g.occurrences[0].timeUs,
      };
    });
  }
}
