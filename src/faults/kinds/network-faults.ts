// Network fault kinds. Partitions (between groups, one way, around a node, around an AZ) block the
// directed links they cut: traffic on them is dropped, including messages in flight. A hold buffers
// one link's traffic until its release. A heal ends every explicit fault that blocks or holds a link.

import { drawAz, drawNode, drawTwoSides } from '../fault-targets.ts';
import { azName, nodeGroups, nodeName, nodeNames } from '../fault-fields.ts';
import { lastingFault, undoFault } from '../fault-kind.ts';

const partition = lastingFault(
  'partition',
  { groups: nodeGroups },
  {
    doc: {
      fields: '`groups: [[names],[names],...]`',
      effect: 'traffic between nodes in different groups is dropped, both ways (including messages in flight); nodes named in no group are untouched',
    },
    start(f, act) {
      const topo = act.topology;
      const n = topo.size;
      const groupOf = new Int32Array(n).fill(-1);
      f.groups.forEach((g, gi) => g.forEach((name) => (groupOf[topo.index(name)] = gi)));
      for (let x = 0; x < n; x++)
        for (let y = 0; y < n; y++) if (groupOf[x] >= 0 && groupOf[y] >= 0 && groupOf[x] !== groupOf[y]) act.block(x, y);
    },
    draw: {
      explore: (space, arb) => (space.nodes.length >= 2 ? arb.twoSides(space.nodes).map((groups) => ({ groups })) : undefined),
      noise: (d) => ({ groups: drawTwoSides(d) }),
    },
  },
);

const partitionOneWay = lastingFault(
  'partition-one-way',
  { from: nodeNames, to: nodeNames },
  {
    doc: { fields: '`from: [names], to: [names]`', effect: 'drops traffic from → to only' },
    start(f, act) {
      const topo = act.topology;
      for (const from of f.from) for (const to of f.to) if (from !== to) act.block(topo.index(from), topo.index(to));
    },
    draw: {
      explore: (space, arb) => (space.nodes.length >= 2 ? arb.twoSides(space.nodes).map(([from, to]) => ({ from, to })) : undefined),
      noise: (d) => {
        const [from, to] = drawTwoSides(d);
        return { from, to };
      },
    },
  },
);

const isolateNode = lastingFault(
  'isolate-node',
  { node: nodeName },
  {
    doc: { fields: '`node`', effect: 'cuts one node from every other node' },
    start(f, act) {
      const x = act.topology.index(f.node);
      for (let y = 0; y < act.topology.size; y++)
        if (y !== x) {
          act.block(x, y);
          act.block(y, x);
        }
    },
    draw: {
      explore: (space, arb) => arb.anyNode(space).map((node) => ({ node })),
      noise: (d) => ({ node: drawNode(d) }),
    },
  },
);

const isolateAz = lastingFault(
  'isolate-az',
  { az: azName },
  {
    doc: { fields: '`az`', effect: "cuts the AZ's nodes from every node outside it" },
    start(f, act) {
      const topo = act.topology;
      const inAz = topo.nodesInAz(f.az);
      for (let y = 0; y < topo.size; y++) {
        if (topo.azOf[y] === f.az) continue;
        for (const x of inAz) {
          act.block(x, y);
          act.block(y, x);
        }
      }
    },
    draw: {
      explore: (space, arb) => arb.anyAz(space).map((az) => ({ az })),
      noise: (d) => ({ az: drawAz(d) }),
    },
  },
);

const hold = lastingFault(
  'hold',
  { from: nodeName, to: nodeName },
  {
    doc: { fields: '`from`, `to`', effect: "buffers the link's traffic, then delivers it in order" },
    start: (f, act) => act.hold(act.topology.index(f.from), act.topology.index(f.to)),
  },
);

const release = undoFault(
  'release',
  { from: nodeName, to: nodeName },
  {
    doc: { sameRowAs: 'hold' },
    undo(f, scope) {
      const from = scope.topology.index(f.from);
      const to = scope.topology.index(f.to);
      scope.end((g) => g.fault.kind === hold.kind && g.heldLinks[0] === from && g.heldLinks[1] === to);
    },
  },
);

const heal = undoFault(
  'heal',
  {},
  {
    doc: { fields: '', effect: 'ends every explicit network fault' },
    undo: (_f, scope) => scope.end((g) => g.blockedLinks.length > 0 || g.heldLinks.length > 0),
  },
);

export const NETWORK_FAULTS = [partition, partitionOneWay, isolateNode, isolateAz, hold, release, heal] as const;
