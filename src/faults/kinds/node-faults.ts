// Node fault kinds. A node goes down three ways (the model is told which and decides what is
// lost): a process crash, a power loss, or the loss of the instance and its disk. A restart brings
// back a node the explicit schedule took down, or crashes and starts a running one. A pause stalls
// the process (a long GC, a frozen VM) until resumed; what arrived meanwhile is handled then.

import { drawNode } from '../fault-targets.ts';
import { nodeName } from '../fault-fields.ts';
import type { NodeDownKind } from '../../sim/model.ts';
import { lastingFault, undoFault } from '../fault-kind.ts';

function nodeDown<const K extends NodeDownKind>(kind: K, effect: string) {
  return lastingFault(
    kind,
    { node: nodeName },
    {
      doc: { fields: '`node`', effect },
      start: (f, act) => act.down(act.topology.index(f.node), kind),
      draw: {
        explore: (space, arb) => arb.anyNode(space).map((node) => ({ node })),
        noise: (d) => ({ node: drawNode(d) }),
      },
    },
  );
}

const crash = nodeDown('crash', 'process crash: in-memory state and timers gone, the OS page cache survives; the live host resets its connections at once');
const powerLoss = nodeDown('power-loss', 'the instance loses power: unflushed data is lost too; the host is silent, peers learn by their own timeouts');
const diskLoss = nodeDown(
  'disk-loss',
  'instance replaced: an instance-store disk comes back empty (EBS survives, acts as power loss)',
);

const pause = lastingFault(
  'pause',
  { node: nodeName },
  {
    doc: { fields: '`node`', effect: 'the process stalls (a long GC, a frozen VM) and later acts on stale state' },
    start: (f, act) => act.pause(act.topology.index(f.node)),
    draw: {
      explore: (space, arb) => arb.anyNode(space).map((node) => ({ node })),
      noise: (d) => ({ node: drawNode(d) }),
    },
  },
);

const resume = undoFault(
  'resume',
  { node: nodeName },
  {
    doc: { sameRowAs: 'pause' },
    undo(f, scope) {
      const node = scope.topology.index(f.node);
      scope.end((g) => g.fault.kind === pause.kind && g.pausedNodes[0] === node);
    },
  },
);

const restart = undoFault(
  'restart',
  { node: nodeName },
  {
    doc: { fields: '`node`', effect: 'brings a crashed node back; on a running node, a crash followed by a start' },
    undo(f, scope) {
      const node = scope.topology.index(f.node);
      if (scope.isUp(node)) scope.crashAndStart(node);
      else scope.end((g) => g.downNodes.length === 1 && g.downNodes[0] === node);
    },
  },
);

export const NODE_FAULTS = [crash, powerLoss, diskLoss, pause, resume, restart] as const;
