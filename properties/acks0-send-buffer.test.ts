// An acks=0 request is done once it is written to the socket (NetworkClient.handleCompletedSends),
// and nothing more goes to that broker until it is (InFlightRequests.canSendMore); the socket's
// send buffer (send.buffer.bytes, 128 KiB) holds what the broker's host has not acknowledged
// (src/kernel/send-buffer.ts). Found on the default scenario with --set acks=0: when the AZ
// holding orders-2's and orders-5's leaders lost power at 30 s, p1 "completed" every record it
// sent them until the new leaders were found at 37.3 s (1,109 and 686 lost), where the Java
// client hands a silent host one send buffer's worth and then waits (408 and 396).
import { describe, expect, it } from 'vitest';
import mskOutage from '../models/kafka/presets/msk-3az-outage.scenario.json' with { type: 'json' };
import { runScenario } from '../models/kafka/testing/scenario-run.ts';

/** The default scenario for 50 s with only its AZ power loss (30-45 s: b2 and b5, leaders of orders-2 and orders-5). */
function run(settings: string[]) {
  const scenario = { ...structuredClone(mskOutage), durationMs: 50_000, faults: [mskOutage.faults[1]] };
  return runScenario(scenario, ['acks=0', ...settings]);
}

/** Per partition, the records p1 completed (send-ok) that no replica ever appended, but the last 100 ms'. */
function completedNeverAppended(events: ReturnType<typeof run>['events']): Map<string, number> {
  const appended = new Set<number>();
  for (const [, , e] of events) if (e.type === 'append') for (const r of e.records as number[]) appended.add(r);
  const counts = new Map<string, number>();
  for (const [t, node, e] of events) {
    if (e.type !== 'send-ok' || node !== 'p1' || t > 49_900_000) continue; // the last 100 ms may still be on the wire
    const missing = (e.records as number[]).filter((r) => !appended.has(r)).length;
    if (missing > 0) counts.set(e.partition as string, (counts.get(e.partition as string) ?? 0) + missing);
  }
  return counts;
}

/** A record's share of a produce request on the wire: its 200-byte value and DefaultRecord's varints. */
const RECORD_WIRE_BYTES = 212;
const SEND_BUFFER_BYTES = 131_072;

describe('acks=0: a producer hands a silent broker host one send buffer, then waits', () => {
  it('p1 completes at most a send buffer of records toward each powered-off leader', () => {
    const lost = completedNeverAppended(run([]).events);
    expect([...lost.keys()].sort()).toEqual(['orders-2', 'orders-5']);
    for (const n of lost.values()) {
      expect(n).toBeGreaterThan(100);
      expect(n * RECORD_WIRE_BYTES).toBeLessThanOrEqual(SEND_BUFFER_BYTES);
    }
  });

  it('decoy: with the OS default (send.buffer.bytes=-1, autotuned to 4 MiB) the same outage swallows more than 128 KiB', () => {
    const lost = completedNeverAppended(run(['send.buffer.bytes=-1']).events);
    expect((lost.get('orders-2') ?? 0) * RECORD_WIRE_BYTES).toBeGreaterThan(SEND_BUFFER_BYTES);
  });
});
