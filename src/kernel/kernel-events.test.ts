// The kernel's checker hooks: a checker hears node, pause and fault changes in order, with a
// read-only view that already shows each change; and turning such a checker on changes nothing.
import { describe, expect, it } from 'vitest';
import type { Checker, KernelEvent, KernelView } from '../check/checker.ts';
import { MODELS, PING_SCENARIO } from '../scenario/testing/fixture-registry.ts';
import { resolveScenario } from '../scenario/resolve-scenario.ts';
import { runResolved } from '../scenario/run-scenario.ts';

/** Writes each kernel event with what the view said right then: n2 up / paused, n1->n2 and n2->n1 cut. */
class KernelRecorder implements Checker {
  readonly name = 'kernel-recorder';
  readonly seen: string[] = [];
  private kernel!: KernelView;

  attach(kernel: KernelView): void {
    this.kernel = kernel;
  }

  onKernelEvent(timeUs: number, ev: KernelEvent): void {
    if (ev.type === 'node-up' && timeUs === 0) return; // every node starts at 0
    const k = this.kernel;
    const n2 = k.topology.index('n2');
    const n1 = k.topology.index('n1');
    const what = ev.type === 'fault-start' ? `fault-start ${ev.fault.kind}` : ev.type === 'fault-end' ? 'fault-end' : `${ev.type} ${k.topology.names[ev.node]}`;
    this.seen.push(`${timeUs / 1000} ${what}: n2 ${k.isUp(n2) ? 'up' : 'down'}${k.isPaused(n2) ? ' paused' : ''}, cut ${k.isLinkCut(n1, n2)}/${k.isLinkCut(n2, n1)}`);
  }

  finish(): [] {
    return [];
  }
}

const faults = [
  { atMs: 1000, kind: 'isolate-node', node: 'n2', durationMs: 500 },
  { atMs: 2000, kind: 'pause', node: 'n2', durationMs: 300 },
  { atMs: 3000, kind: 'crash', node: 'n2', durationMs: 200 },
  { atMs: 4000, kind: 'partition-one-way', from: ['n1'], to: ['n2'] },
  { atMs: 4100, kind: 'heal' },
];

describe('kernel events for checkers', () => {
  it('reports node, pause and fault changes in order, each seen through the view once applied', () => {
    const recorder = new KernelRecorder();
    runResolved(resolveScenario({ ...PING_SCENARIO, faults }, MODELS), { checkers: [recorder] });
    expect(recorder.seen).toEqual([
      '1000 fault-start isolate-node: n2 up, cut true/true',
      '1500 fault-end: n2 up, cut false/false',
      '2000 pause n2: n2 up paused, cut false/false',
      '2000 fault-start pause: n2 up paused, cut false/false',
      '2300 resume n2: n2 up, cut false/false',
      '2300 fault-end: n2 up, cut false/false',
      '3000 node-down n2: n2 down, cut false/false',
      '3000 fault-start crash: n2 down, cut false/false',
      '3200 node-up n2: n2 up, cut false/false',
      '3200 fault-end: n2 up, cut false/false',
      '4000 fault-start partition-one-way: n2 up, cut true/false',
      // heal: an undo kind (fault-start id 0), then the end of the fault it undid, links healed
      '4100 fault-start heal: n2 up, cut false/false',
      '4100 fault-end: n2 up, cut false/false',
    ]);
  });

  it('a checker listening to kernel events changes no event of the run', () => {
    const res = () => resolveScenario({ ...PING_SCENARIO, faults }, MODELS);
    const without = runResolved(res());
    const withRecorder = runResolved(res(), { checkers: [new KernelRecorder()] });
    expect(withRecorder.traceHash).toBe(without.traceHash);
    expect(withRecorder.events).toBe(without.events);
  });
});
