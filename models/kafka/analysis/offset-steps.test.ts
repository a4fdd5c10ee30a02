// OffsetSteps (offset-steps.ts) answers what the object lists it replaced answered (the offset at a
// time, when an offset was first passed), and the histories that keep one row per high watermark
// move cost a few bytes a move: a virtual hour has over a million of them (one per offset commit
// on __consumer_offsets, one per produce batch on the topics).

import v8 from 'node:v8';
import vm from 'node:vm';
import { describe, expect, it } from 'vitest';
import type { ModelEvent } from '../../../src/sim/model.ts';
import { SCENARIO_PRESETS } from '../../index.ts';
import { built } from '../testing/resolved-config.ts';
import type { KafkaEvent } from '../kafka-events.ts';
import { ConsumerTimeline } from './consumer-timeline.ts';
import { KafkaHistory } from './kafka-history.ts';
import { OffsetSteps, OffsetStepsByEpoch } from './offset-steps.ts';
import { ScenarioLookup } from './scenario-lookup.ts';

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;
/**
 * Live heap plus typed arrays' buffers, after full collections: V8 frees dead buffers (and counts
 * them off) on a background thread, so the figure settles over a few turns of the event loop.
 */
const liveB = async (): Promise<number> => {
  for (let i = 0; i < 3; i++) {
    gc();
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return v8.getHeapStatistics().used_heap_size + process.memoryUsage().external;
};

/** What a history dropped just now held a move, from the live figure while it was held. */
const heldPerMoveB = async (withB: number): Promise<number> => (withB - (await liveB())) / MOVES;

const MOVES = 200_000;
/** Microsecond times of a long run (past 2^31 µs: 36 minutes), a move every 3 ms. */
const timeOf = (i: number) => 2 ** 31 + i * 3000;

describe('OffsetSteps', () => {
  it('reads the offset at a time (0 before any row; a later row at one time supersedes) and the first time past an offset', () => {
    const s = new OffsetSteps();
    expect([s.last, s.at(5), s.firstAbove(0)]).toEqual([-Infinity, 0, undefined]);
    s.push(100, 3);
    s.push(100, 5);
    s.push(200, 9);
    s.push(300, 2 ** 40);
    expect([s.at(99), s.at(100), s.at(250), s.at(300), s.last]).toEqual([0, 5, 9, 2 ** 40, 2 ** 40]);
    expect([s.firstAbove(-1), s.firstAbove(4), s.firstAbove(5), s.firstAbove(9), s.firstAbove(2 ** 39), s.firstAbove(2 ** 40)]).toEqual([100, 100, 200, 300, 300, undefined]);
  });
});

describe('high watermark histories of a long run', () => {
  it("ConsumerTimeline keeps an offsets partition's high watermark rises in under 16 bytes each", async () => {
    let t: ConsumerTimeline | null = new ConsumerTimeline('__consumer_offsets');
    for (let i = 0; i < MOVES; i++) t.record(timeOf(i), 0, { type: 'hw', partition: '__consumer_offsets-1', hw: i + 1, leaderEpoch: 0 } as KafkaEvent);
    const rises = () => t!.offsetsHwRises.get('__consumer_offsets-1')!;
    expect([rises().at(timeOf(0) - 1), rises().at(timeOf(10)), rises().firstAbove(MOVES - 1)]).toEqual([0, 11, timeOf(MOVES - 1)]);
    const withB = await liveB();
    t = null;
    expect(await heldPerMoveB(withB)).toBeLessThan(16);
  });

  it("KafkaHistory keeps a leader's high watermark moves in under 16 bytes each (availability included)", async () => {
    const scenario = built(SCENARIO_PRESETS['check-small']);
    const partition = `${scenario.topics[0].name}-0`;
    let h: KafkaHistory | null = new KafkaHistory(new ScenarioLookup(scenario));
    for (let i = 0; i < MOVES; i++) h.record(timeOf(i), 0, { type: 'hw', partition, hw: i + 1, leaderEpoch: 1 } as unknown as ModelEvent);
    expect([h.committedAt(partition, 0, 1), h.committedAt(partition, 10, 1), h.committedAt(partition, MOVES, 1), h.committedAt(partition, 0, 2)]).toEqual([timeOf(0), timeOf(10), -1, -1]);
    const withB = await liveB();
    h = null;
    expect(await heldPerMoveB(withB)).toBeLessThan(16);
  });

  it('OffsetStepsByEpoch keeps each epoch its own rows, whichever epoch moved last', () => {
    const byEpoch = new OffsetStepsByEpoch();
    byEpoch.of(1).push(10, 5);
    byEpoch.of(2).push(20, 3);
    byEpoch.of(2).push(25, 4);
    byEpoch.of(1).push(30, 8);
    byEpoch.of(1).push(35, 9);
    expect([byEpoch.of(1).firstAbove(6), byEpoch.of(2).firstAbove(3), byEpoch.of(1).last, byEpoch.of(2).last, byEpoch.byEpoch.size]).toEqual([30, 25, 9, 4, 2]);
  });
});
