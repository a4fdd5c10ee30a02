// What one slowed broker-to-broker link costs an acks=all record, leg by leg, as Kafka's classes
// set it: the follower fetches again as soon as a response is processed (AbstractFetcherThread),
// the leader answers a parked fetch at the next append (DelayedFetch, replica.fetch.min.bytes=1)
// and moves the HW when the follower's next fetch reports its LEO (Partition.
// maybeIncrementLeaderHW), which completes the DelayedProduce. So a commit costs one round of the
// fetch loop: d for a link slowed by d one way, 2d both ways. A broker reads one request at a time
// per connection (SocketServer mutes the channel until the response is sent), so under load each
// of the up to max.in.flight.requests.per.connection produce requests a producer pipelines waits
// for the commits of those ahead of it: with 5 in flight a record waits 5 to 6 rounds in all.
// Each test fails if a leg is added or dropped (a backoff, a held response, pipelined appends).

import { describe, expect, it } from 'vitest';
import { runScenario, type Scenario } from './testing/scenario-run.ts';

const D_MS = 100;
/** What the unslowed legs may add: cross-AZ hops, the producer's hops, linger.ms (5). */
const BASE_MS = 15;

function scenario(slowed: [string, string][], producer: Record<string, unknown>, config: Record<string, unknown> = {}): Scenario {
  return {
    name: 'slow-link-latency',
    model: 'kafka',
    seed: '1',
    durationMs: 8000,
    preset: 'apache',
    cluster: { brokers: 3, controllers: 1 },
    config: { acks: 'all', ...config },
    topics: [{ name: 't', replicas: [['b1', 'b2', 'b3']] }],
    producers: [{ name: 'p1', az: 'use1-az1', topic: 't', keys: 0, ...producer }],
    faults: slowed.map(([from, to]) => ({ atMs: 0, kind: 'slow-link', from, to, latencyMsAdded: D_MS })),
  };
}

interface Legs {
  /** send() to the leader's append (accumulator, in-flight slot, the socket's queue, transit). */
  toAppendMs: number;
  /** The leader's append to the HW passing the record (Infinity: not by the ack). */
  commitMs: number;
  totalMs: number;
}

/** Per record sent at or after fromMs: its legs, read from the run's events. */
function recordLegs(raw: Scenario, fromMs: number): Legs[] {
  const { events } = runScenario(raw);
  const sentUs = new Map<number, number>();
  const appended = new Map<number, { atUs: number; offset: number }>();
  const hws: [number, number][] = [];
  const legs: Legs[] = [];
  for (const [t, , ev] of events) {
    if (ev.type === 'send') sentUs.set(ev.record as number, ev.sentUs as number);
    else if (ev.type === 'append' && ev.role === 'leader') (ev.records as number[]).forEach((r, j) => appended.set(r, { atUs: t, offset: (ev.baseOffset as number) + j }));
    else if (ev.type === 'hw') hws.push([t, ev.hw as number]);
    else if (ev.type === 'send-ok')
      for (const r of ev.records as number[]) {
        const sent = sentUs.get(r)!;
        if (sent < fromMs * 1000) continue;
        const a = appended.get(r)!;
        const hwAtUs = hws.find(([, hw]) => hw > a.offset)?.[0] ?? Infinity; // acks=1: acked before it commits
        legs.push({ toAppendMs: (a.atUs - sent) / 1000, commitMs: (hwAtUs - a.atUs) / 1000, totalMs: (t - sent) / 1000 });
      }
  }
  return legs;
}

const range = (xs: number[]) => [Math.min(...xs), Math.max(...xs)];

describe('acks=all latency on a slowed link', () => {
  it('a lone record commits in one round of the fetch loop: d one way, 2d both ways', () => {
    const lone = { ratePerSec: 0, sends: [{ atMs: 3000, key: null }] };
    for (const [slowed, rounds] of [
      [[['b1', 'b2']], 1], // leader -> follower: the parked fetch's response is slow
      [[['b2', 'b1']], 1], // follower -> leader: the next fetch, which reports the LEO, is slow
      [[['b1', 'b2'], ['b2', 'b1']], 2],
    ] as [[string, string][], number][]) {
      const [rec] = recordLegs(scenario(slowed, lone), 0);
      expect(rec.commitMs).toBeGreaterThanOrEqual(rounds * D_MS);
      expect(rec.commitMs).toBeLessThan(rounds * D_MS + BASE_MS);
      expect(rec.totalMs).toBeLessThan(rounds * D_MS + BASE_MS);
    }
  });

  it('under load each pipelined request waits for the commits ahead of it: 5 to 6 rounds with 5 in flight', () => {
    const legs = recordLegs(scenario([['b1', 'b2']], { ratePerSec: 100 }), 2000);
    expect(legs.length).toBeGreaterThan(400);
    // Appended just after the previous request's commit freed the socket, as the parked fetch
    // returns: each request commits in one round.
    const [commitMin, commitMax] = range(legs.map((l) => l.commitMs));
    expect(commitMin).toBeGreaterThanOrEqual(D_MS);
    expect(commitMax).toBeLessThan(D_MS + BASE_MS);
    // Four requests ahead in the socket, plus up to a round in the accumulator for a free slot.
    const [totalMin, totalMax] = range(legs.map((l) => l.totalMs));
    expect(totalMin).toBeGreaterThanOrEqual(5 * D_MS);
    expect(totalMax).toBeLessThan(6 * D_MS + BASE_MS);
  });

  it('with max.in.flight.requests.per.connection=1 nothing waits in the socket: 1 to 2 rounds', () => {
    const legs = recordLegs(scenario([['b1', 'b2']], { ratePerSec: 100 }, { 'max.in.flight.requests.per.connection': 1 }), 2000);
    const [totalMin, totalMax] = range(legs.map((l) => l.totalMs));
    expect(totalMin).toBeGreaterThanOrEqual(D_MS);
    expect(totalMax).toBeLessThan(2 * D_MS + BASE_MS);
  });
});

describe('requests answered at once free the socket at once', () => {
  it('acks=1 is answered without waiting for the slowed follower; acks=0 (NoOpResponse) holds nothing back', () => {
    const acks1 = recordLegs(scenario([['b1', 'b2']], { ratePerSec: 100, config: { acks: '1' } }), 2000);
    expect(acks1.length).toBeGreaterThan(400);
    expect(Math.max(...acks1.map((l) => l.totalMs))).toBeLessThan(BASE_MS);
    const { events } = runScenario(scenario([['b1', 'b2']], { ratePerSec: 100, config: { acks: '0' } }));
    const sent = events.filter(([, , ev]) => ev.type === 'send').length;
    const appended = events.filter(([, , ev]) => ev.type === 'append' && ev.role === 'leader').reduce((n, [, , ev]) => n + (ev.records as number[]).length, 0);
    expect(sent).toBeGreaterThan(700);
    expect(appended).toBeGreaterThanOrEqual(sent - 2); // the last may still be on the wire
  });
});
