// What a Kafka violation names, for the timeline's violation list: its classification, the
// partition and the records (ids, with the offsets they were acknowledged at or seen at). From a
// replayed run, the checkers' own fields (`records` with `ackOffsets` or `offsets`, `partition`,
// `classification`); from a trace's footer, which keeps only messages, what the messages state:
// "breach ..." / "permitted ...", "of t-0" / "in t-0", and the first few records as "r500@500".

import type { ViolationSubjects } from '../../../src/scenario/model-timeline.ts';
import type { Violation } from '../../../src/sim/model.ts';

export function kafkaViolationSubjects(v: Violation): ViolationSubjects {
  const ids = Array.isArray(v.records) ? v.records.filter((r): r is number => typeof r === 'number') : [];
  const offsets = Array.isArray(v.ackOffsets) ? v.ackOffsets : Array.isArray(v.offsets) ? v.offsets : [];
  return {
    classification: typeof v.classification === 'string' ? v.classification : null,
    band: typeof v.partition === 'string' ? v.partition : null,
    records: ids.map((record, i) => ({ record, offset: typeof offsets[i] === 'number' ? (offsets[i] as number) : null })),
  };
}

export function kafkaSubjectsFromMessage(message: string): ViolationSubjects {
  const classification = /^(breach|permitted)\b/.exec(message)?.[1] ?? null;
  const band = /\b(?:of|in) ([A-Za-z0-9._]+-\d+)\b/.exec(message)?.[1] ?? null;
  const records: { record: number; offset: number | null }[] = [];
  const seen = new Set<number>();
  for (const m of message.matchAll(/\br(\d+)(?:@(\d+))?\b/g)) {
    const record = Number(m[1]);
    if (seen.has(record)) continue;
    seen.add(record);
    records.push({ record, offset: m[2] === undefined ? null : Number(m[2]) });
  }
  return { classification, band, records };
}
