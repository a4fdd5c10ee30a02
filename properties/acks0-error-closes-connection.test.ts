// acks=0 has no response to carry an error, so a broker that refuses an acks=0 produce
// (NOT_LEADER_OR_FOLLOWER: it is no longer the leader) closes the producer's connection, and the
// producer, seeing it closed, refreshes its metadata and sends to the new leader
// (KafkaApis.handleProduceRequest, "the server will close socket server so that the producer client
// will know that some error has happened and will refresh its metadata"). Found on the default
// scenario with --set acks=0: after b1's isolation healed at 20 s, the producers kept sending
// orders-1 to b1, which dropped every batch, until the 5-minute metadata refresh: 2,062 records of
// orders-1 reported lost (sent from 8 s to the end), where Kafka loses only what went to b1 while
// it was cut off (760).
import { describe, expect, it } from 'vitest';
import mskOutage from '../models/kafka/presets/msk-3az-outage.scenario.json' with { type: 'json' };
import { runScenario } from '../models/kafka/testing/scenario-run.ts';

/** The default scenario for 40 s with b1 (orders-1's leader) cut off from 8 s to 20 s only. */
function run(acks: string) {
  const scenario = { ...structuredClone(mskOutage), durationMs: 40_000, faults: [mskOutage.faults[0]] };
  return runScenario(scenario, [`acks=${acks}`]);
}

/** Send times (s, floored) of orders-1's records that no replica ever appended, but the last second's (in flight at the end). */
function neverAppendedSendSeconds(events: ReturnType<typeof run>['events']): number[] {
  const sentUs = new Map<number, number>();
  const appended = new Set<number>();
  for (const [t, , e] of events) {
    if (e.partition !== 'orders-1') continue;
    if (e.type === 'send') sentUs.set(e.record as number, t);
    if (e.type === 'append') for (const r of e.records as number[]) appended.add(r);
  }
  return [...sentUs].filter(([r, t]) => !appended.has(r) && t < 39e6).map(([, t]) => Math.floor(t / 1e6));
}

describe('acks=0: a broker that refuses the produce closes the connection', () => {
  it('the producers find the new leader once b1 is back: nothing sent after the isolation is lost', () => {
    const { events, report } = run('0');
    const lost = neverAppendedSendSeconds(events);
    expect(lost.length).toBeGreaterThan(100); // what went to b1 while it was cut off
    expect(Math.min(...lost)).toBe(8);
    expect(Math.max(...lost)).toBeLessThanOrEqual(20);
    expect(report.violations.find((v) => v.property === 'lost-write' && v.partition === 'orders-1')).toMatchObject({ permittedBy: 'configuration' });
  });

  it('decoy: acks=1 gets the error in its response, keeps its connection, and loses nothing to it', () => {
    const { events } = run('1');
    expect(events.filter(([, , e]) => e.type === 'send-fail' && e.partition === 'orders-1').length).toBeLessThanOrEqual(1);
    expect(neverAppendedSendSeconds(events).filter((s) => s > 20)).toEqual([]);
  });
});
