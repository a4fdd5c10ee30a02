// The KRaft quorum in whole runs: an active controller cut off from the other two controllers
// commits nothing more (the Raft high watermark is the majority's fetched offset), so brokers see
// none of what it decided after the cut; a follower controller cut off changes nothing.

import { describe, expect, it } from 'vitest';
import { runKafka, type TestCluster } from './testing/kafka-test-cluster.ts';

const CUT_MS = 2000;
const CONTROLLER_EVENTS = new Set(['isr-shrink', 'isr-expand', 'election', 'reassignment', 'operation']);

/** orders-0 led by b1 (replicas b1, b2, b3), acks=all writes every 100 ms; `side` cut off from the rest at 2 s for 20 s. */
function cutOff(side: string[]): ReturnType<typeof runKafka> {
  const sends: [number, null][] = [];
  for (let t = 500; t <= 8000; t += 100) sends.push([t, null]);
  const everyone = ['b1', 'b2', 'b3', 'c1', 'c2', 'c3', 'p1'];
  const t: TestCluster = {
    brokerConfig: { 'replica.lag.time.max.ms': 1000, 'min.insync.replicas': 1 },
    producers: [{ name: 'p1', az: 'az1', config: { acks: 'all', 'request.timeout.ms': 3000, 'delivery.timeout.ms': 30000 }, sends }],
    faults: [{ atMs: CUT_MS, kind: 'partition', groups: [side, everyone.filter((n) => !side.includes(n))], durationMs: 20000 }],
    durationMs: 40000,
  };
  return runKafka(t);
}

/** Controller decisions after the cut: [node, type, ISR or leader]. */
function decisionsAfterCut(r: ReturnType<typeof runKafka>): [string, string, string][] {
  return r.events
    .filter((e) => e.timeUs > CUT_MS * 1000 && CONTROLLER_EVENTS.has(e.event.type))
    .map((e) => [e.node, e.event.type, String(e.event.type === 'election' ? e.event.leader : e.event.isr)]);
}

describe('kafka model: controller quorum', () => {
  it('an active controller cut off from its majority commits nothing: no ISR of its lone leader alone, no acks, b2 takes over', () => {
    const r = cutOff(['c1', 'b1', 'p1']);
    // c1 was active: b1's AlterPartition dropping b2 and b3 reached only c1, which could append it
    // but never commit it (before the fix it committed ISR [b1] at 3.0 s, and c2, taking over
    // that uncommitted state, left orders-0 offline until b1 came back at 24 s). The change that
    // counts comes from c2 once it took over: b1 fenced (no heartbeats reach c2 or c3), b2
    // elected from the committed ISR.
    const decisions = decisionsAfterCut(r);
    expect(decisions.filter(([node]) => node === 'c1')).toEqual([]);
    const failover = r.events.find((e) => e.timeUs > CUT_MS * 1000 && e.event.type === 'election')!;
    expect(failover.node).not.toBe('c1'); // c2 or c3: the Raft election's randomised timeouts decide
    expect(failover.event.leader).toBe('b2');
    // The committed ISR stayed b1, b2, b3: b1 could not advance its high watermark alone, so
    // nothing sent after the cut was acknowledged before b2 led, and nothing acknowledged was lost.
    const ackedMeanwhile = r.events.filter((e) => e.event.type === 'send-ok' && e.timeUs > (CUT_MS + 100) * 1000 && e.timeUs < failover.timeUs);
    expect(ackedMeanwhile).toEqual([]);
    expect(r.lostAcked('orders-0')).toEqual([]);
  });

  it('decoy: a follower controller cut off leaves the active one committing', () => {
    const r = cutOff(['c2', 'b2']);
    expect(decisionsAfterCut(r)[0]).toEqual(['c1', 'isr-shrink', 'b1,b3']);
  });
});
