// KafkaRunAnalysis hands an event only to the recorders whose declared event types name it (and its
// observer subscribes to their union), so a recorder that reads a type it does not declare would
// miss those events silently. Every type a recorder's source compares against must be declared, and
// a declared type it no longer reads is stale.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLIENT_HISTORY_EVENT_TYPES } from './client-history.ts';
import { CONSUMER_HISTORY_EVENT_TYPES } from './consumer-history.ts';
import { CONSUMER_TIMELINE_EVENT_TYPES } from './consumer-timeline.ts';
import { KAFKA_HISTORY_EVENT_TYPES } from './kafka-history.ts';
import { KAFKA_RUN_ANALYSIS_EVENT_TYPES } from './kafka-run-analysis.ts';

const RECORDERS: [file: string, declared: readonly string[]][] = [
  ['kafka-history.ts', KAFKA_HISTORY_EVENT_TYPES],
  ['consumer-history.ts', CONSUMER_HISTORY_EVENT_TYPES],
  ['consumer-timeline.ts', CONSUMER_TIMELINE_EVENT_TYPES],
  ['client-history.ts', CLIENT_HISTORY_EVENT_TYPES],
];

/** The event types a recorder's source dispatches on: the cases of its switches (its other type tests are of kernel events and ops). */
function typesRead(text: string): Set<string> {
  return new Set([...text.matchAll(/case '([a-z-]+)'/g)].map((m) => m[1]));
}

describe('the analysis recorders declare the event types they read', () => {
  for (const [file, declared] of RECORDERS)
    it(file, () => {
      const read = typesRead(readFileSync(join(import.meta.dirname, file), 'utf8'));
      expect([...read].sort()).toEqual([...new Set(declared)].sort());
    });

  it('the analysis reads their union and version-change, and no more', () => {
    const union = new Set(['version-change', ...RECORDERS.flatMap(([, declared]) => declared)]);
    expect([...KAFKA_RUN_ANALYSIS_EVENT_TYPES].sort()).toEqual([...union].sort());
  });
});
