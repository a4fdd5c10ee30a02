// The explicit schedule and background noise compose and never undo each other.
import { describe, expect, it } from 'vitest';
import { Network } from '../net/network.ts';
import { DEFAULT_NETWORK } from '../net/network-config.ts';
import { Topology } from '../net/topology.ts';
import { SeededChoices } from '../sim/seeded-choices.ts';
import type { FaultEffects } from './fault-actions.ts';
import type { NodeDownKind } from '../sim/model.ts';
import { FaultInjector } from './fault-injector.ts';

function setup() {
  const topo = new Topology([
    { name: 'a', az: 'az1' },
    { name: 'b', az: 'az2' },
    { name: 'c', az: 'az3' },
  ]);
  const net = new Network(topo, DEFAULT_NETWORK, new SeededChoices('1').stream('net'));
  const up = [true, true, true];
  const log: string[] = [];
  const effects: FaultEffects = {
    nodeDown: (n: number, k: NodeDownKind) => {
      up[n] = false;
      log.push(`down ${n} ${k}`);
    },
    nodeUp: (n: number) => {
      up[n] = true;
      log.push(`up ${n}`);
    },
    pause: (n: number) => log.push(`pause ${n}`),
    resume: (n: number) => log.push(`resume ${n}`),
    linkCleared: () => {},
    faultStarted: () => {},
    faultEnded: () => {},
    isUp: (n: number) => up[n],
  };
  return { net, up, log, inj: new FaultInjector(topo, net, effects) };
}

describe('fault layers', () => {
  it('a heal of the schedule leaves a noise partition in force, and ending the noise leaves the schedule', () => {
    const { net, inj } = setup();
    const noise = inj.apply({ atMs: 0, kind: 'isolate-node', node: 'a' }, 'noise');
    inj.apply({ atMs: 0, kind: 'partition', groups: [['a'], ['b']] }, 'schedule');
    inj.apply({ atMs: 0, kind: 'heal' }, 'schedule');
    expect(net.isBlocked(0, 1)).toBe(true); // still cut by the noise isolation
    expect(net.isBlocked(0, 2)).toBe(true);
    const sched = inj.apply({ atMs: 0, kind: 'partition', groups: [['a'], ['b']] }, 'schedule');
    inj.end(noise);
    expect(net.isBlocked(0, 1)).toBe(true); // the schedule's partition remains
    expect(net.isBlocked(0, 2)).toBe(false);
    inj.end(sched);
    expect(net.isBlocked(0, 1)).toBe(false);
  });

  it('a scheduled restart does not bring back a node that noise holds down', () => {
    const { up, inj, log } = setup();
    inj.apply({ atMs: 0, kind: 'crash', node: 'b' }, 'schedule');
    const noise = inj.apply({ atMs: 0, kind: 'power-loss', node: 'b' }, 'noise');
    inj.apply({ atMs: 0, kind: 'restart', node: 'b' }, 'schedule');
    expect(up[1]).toBe(false);
    inj.end(noise);
    expect(up[1]).toBe(true);
    expect(log).toEqual(['down 1 crash', 'down 1 power-loss', 'up 1']);
  });

  it('ending a fault twice (heal, then its duration runs out) is harmless', () => {
    const { net, inj } = setup();
    const id = inj.apply({ atMs: 0, kind: 'partition-one-way', from: ['a'], to: ['c'], durationMs: 5 }, 'schedule');
    inj.apply({ atMs: 0, kind: 'heal' }, 'schedule');
    inj.end(id);
    expect(net.isBlocked(0, 2)).toBe(false);
    expect(inj.activeCount).toBe(0);
  });
});
