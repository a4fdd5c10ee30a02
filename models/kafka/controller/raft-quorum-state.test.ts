import { describe, expect, it } from 'vitest';
import { SeededChoices } from '../../../src/sim/seeded-choices.ts';
import type { KafkaVersion } from '../version/kafka-versions.ts';
import { RecordingContext } from '../testing/recording-context.ts';
import { testWorld } from '../testing/test-world.ts';
import { QuorumController } from './quorum-controller.ts';

/**
 * Three KRaft controllers on a small event loop: controller-to-controller messages arrive after
 * 1 ms (plus 0.1 ms per sender index, so no two arrive at once), timers fire when due; what the
 * controllers send brokers is dropped. Controller `cut` is cut off from the other two in [fromUs, toUs).
 */
function quorumRun(kafkaVersion: KafkaVersion, cut: { c: number; fromUs: number; toUs: number }, endUs: number) {
  const world = testWorld({ durationMs: endUs / 1000, kafkaVersion });
  const qc = new QuorumController(world, new SeededChoices('1').stream('kafka.controller.quorum'));
  const nodes = world.layout.controllerNode;
  const ctxs = nodes.map((node) => new RecordingContext(node));
  const seen = ctxs.map(() => ({ sent: 0, timers: 0 }));
  type Item = { atUs: number; seq: number; c: number; run: (ctx: RecordingContext) => void };
  const queue: Item[] = [];
  let seq = 0;
  const isCut = (a: number, b: number, atUs: number) => (a === cut.c || b === cut.c) && atUs >= cut.fromUs && atUs < cut.toUs;
  const harvest = (c: number) => {
    const ctx = ctxs[c];
    for (const s of ctx.sent.slice(seen[c].sent)) {
      const to = nodes.indexOf(s.to);
      if (to < 0 || isCut(c, to, ctx.nowUs)) continue;
      queue.push({ atUs: ctx.nowUs + 1000 + 100 * c, seq: seq++, c: to, run: (x) => qc.onMessage(x, to, s.msg) });
    }
    for (const t of ctx.timers.slice(seen[c].timers)) queue.push({ atUs: t.atUs, seq: seq++, c, run: (x) => (ctx.cancelled.has(t.id) ? undefined : qc.onTimer(x, c, t.timer)) });
    seen[c] = { sent: ctx.sent.length, timers: ctx.timers.length };
  };
  for (let c = 0; c < 3; c++) {
    qc.onStart(ctxs[c], c);
    harvest(c);
  }
  /** Runs to untilUs; calls watch after every step. */
  const runTo = (untilUs: number, watch: (nowUs: number) => void = () => {}) => {
    for (;;) {
      queue.sort((a, b) => a.atUs - b.atUs || a.seq - b.seq);
      const next = queue[0];
      if (next === undefined || next.atUs > untilUs) return;
      queue.shift();
      const ctx = ctxs[next.c];
      ctx.nowUs = next.atUs;
      next.run(ctx);
      harvest(next.c);
      watch(next.atUs);
    }
  };
  /** The active controller now, if one is. */
  const active = (nowUs: number) => [0, 1, 2].filter((c) => qc.quorum.isActive(c, nowUs));
  return { qc, world, runTo, active };
}

/** When controllers other than `than` were first active (and could commit) after fromUs, over the run. */
function takeover(run: ReturnType<typeof quorumRun>, than: number, untilUs: number): number {
  let atUs = -1;
  run.runTo(untilUs, (now) => {
    if (atUs < 0 && [0, 1, 2].some((c) => c !== than && run.qc.quorum.canCommit(c, now))) atUs = now;
  });
  return atUs;
}

describe('KRaft quorum failover (KafkaRaftClient)', () => {
  const CUT_US = 5_000_000;

  it('a follower stands once its fetch timeout (2 s) passes without the leader, and wins: a new controller within 1.5-3 s', () => {
    // The leader answers a fetch within 500 ms, so the followers heard from it 0-0.5 s before the cut.
    for (const version of ['3.6', '3.9'] as const) {
      const run = quorumRun(version, { c: 0, fromUs: CUT_US, toUs: 60_000_000 }, 60_000_000);
      run.runTo(CUT_US);
      expect(run.active(CUT_US)).toEqual([0]);
      const atUs = takeover(run, 0, CUT_US + 10_000_000);
      expect(atUs - CUT_US).toBeGreaterThan(1_500_000);
      expect(atUs - CUT_US).toBeLessThan(3_000_000);
    }
  });

  it('before 3.7 the cut-off leader stays leader of its epoch, committing nothing, until it hears of the next one', () => {
    const run = quorumRun('3.6', { c: 0, fromUs: CUT_US, toUs: 20_000_000 }, 30_000_000);
    run.runTo(CUT_US + 10_000_000);
    expect(run.qc.quorum.isActive(0, CUT_US + 10_000_000)).toBe(true);
    expect(run.qc.quorum.canCommit(0, CUT_US + 10_000_000)).toBe(false);
    expect(run.active(CUT_US + 10_000_000)).toHaveLength(2);
    run.runTo(30_000_000);
    expect(run.active(30_000_000)).toHaveLength(1);
    expect(run.world.stats.controllerActivations).toBe(2); // its return elects nobody
  });

  it('from 3.7 it resigns once no majority fetched for 1.5 x the fetch timeout (KAFKA-15489); back, its higher epoch forces an election', () => {
    const run = quorumRun('3.7', { c: 0, fromUs: CUT_US, toUs: 20_000_000 }, 30_000_000);
    run.runTo(CUT_US + 2_400_000);
    expect(run.qc.quorum.isActive(0, CUT_US + 2_400_000)).toBe(true);
    run.runTo(CUT_US + 3_000_000);
    expect(run.qc.quorum.isActive(0, CUT_US + 3_000_000)).toBe(false);
    // Its candidacies while cut off bumped its epoch: its vote request makes the leader resign, and
    // its log, shorter than the majority's, loses (no pre-vote before KIP-996).
    const activations = run.world.stats.controllerActivations;
    let leaderless = 0;
    let lastUs = 20_000_000;
    run.runTo(20_000_000);
    run.runTo(30_000_000, (now) => {
      if (run.active(now).length === 0) leaderless += now - lastUs;
      lastUs = now;
    });
    expect(run.world.stats.controllerActivations).toBe(activations + 1);
    expect(run.qc.quorum.isActive(0, 30_000_000)).toBe(false);
    expect(leaderless).toBeGreaterThan(500_000);
  });
});
