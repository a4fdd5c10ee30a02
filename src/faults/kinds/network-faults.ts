// Network fault kinds. Partitions (between groups, one way, around a node, around an AZ) block the
// directed links they cut: what crosses them, including what is in flight, is lost to the network
// and TCP retransmits it (src/kernel/transport.ts), so connections stall and their applications'
// timeouts decide what happens. A hold buffers one link's traffic until its release; a slow link
// adds latency for a while (a slow broker, a congested AZ link). A heal ends every explicit fault
// that blocks, holds or slows a link.

import { drawAz, drawNode, drawTwoSides } from '../fault-targets.ts';
import { azName, nodeGroups, nodeName, nodeNames } from '../fault-fields.ts';
import { lastingFault, undoFault } from '../fault-kind.ts';
import { z } from 'zod';

const partition = lastingFault(
  'partition',
  { groups: nodeGroups },
  {
    doc: {
      fields: '`groups: [[names],[names],...]`',
      effect: 'cuts traffic between nodes in different groups, both ways (TCP retransmits what was in flight once it heals); nodes named in no group are untouched',
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
      explore: (space, arb) => (space.nodes.length >= 2 ? arb.twoSides(space).map((groups) => ({ groups })) : undefined),
      noise: (d) => ({ groups: drawTwoSides(d) }),
    },
  },
);

const partitionOneWay = lastingFault(
  'partition-one-way',
  { from: nodeNames, to: nodeNames },
  {
    doc: { fields: '`from: [names], to: [names]`', effect: 'cuts traffic from → to only' },
    start(f, act) {
      const topo = act.topology;
      for (const from of f.from) for (const to of f.to) if (from !== to) act.block(topo.index(from), topo.index(to));
    },
    draw: {
      explore: (space, arb) => (space.nodes.length >= 2 ? arb.twoSides(space).map(([from, to]) => ({ from, to })) : undefined),
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

const slowLink = lastingFault(
  'slow-link',
  { from: nodeName, to: nodeName, latencyMsAdded: z.number().positive() },
  {
    doc: { fields: '`from`, `to`, `latencyMsAdded`', effect: 'adds latency to the link from → to (a slow broker, a congested AZ link)' },
    start: (f, act) => act.slow(act.topology.index(f.from), act.topology.index(f.to), Math.round(f.latencyMsAdded * 1000)),
    draw: {
      explore: (space, arb) =>
        space.nodes.length >= 2
          ? arb.fc
              .tuple(arb.anyNode(space), arb.anyNode(space), arb.fc.integer({ min: 1, max: 1000 }))
              .filter(([from, to]) => from !== to)
              .map(([from, to, latencyMsAdded]) => ({ from, to, latencyMsAdded }))
          : undefined,
      noise: (d) => {
        const i = d.choice.below(d.nodes.length);
        const j = (i + 1 + d.choice.below(Math.max(1, d.nodes.length - 1))) % d.nodes.length;
        return { from: d.nodes[i], to: d.nodes[j], latencyMsAdded: 1 + d.choice.below(1000) };
      },
    },
  },
);

const hold = lastingFault(
  'hold',
  { from: nodeName, to: nodeName },
  {
    doc: { fields: '`from`, `to`', effect: "buffers the link's traffic in the network, then delivers it in order (even if its sender has since lost power)" },
    start: (f, act) => act.hold(act.topology.index(f.from), act.topology.index(f.to)),
    // A held link delivers late what a cut one retransmits: a stale fetch or AlterPartition
    // arriving after the state it describes changed (KIP-903, KIP-279's fast failover).
    draw: {
      explore: (space, arb) =>
        space.nodes.length >= 2
          ? arb.fc
              .tuple(arb.anyNode(space), arb.anyNode(space))
              .filter(([from, to]) => from !== to)
              .map(([from, to]) => ({ from, to }))
          : undefined,
      noise: (d) => {
        const i = d.choice.below(d.nodes.length);
        const j = (i + 1 + d.choice.below(Math.max(1, d.nodes.length - 1))) % d.nodes.length;
        return { from: d.nodes[i], to: d.nodes[j] };
      },
    },
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
    undo: (_f, scope) => scope.end((g) => g.blockedLinks.length > 0 || g.heldLinks.length > 0 || g.slowedLinks.length > 0),
  },
);

export const NETWORK_FAULTS = [partition, partitionOneWay, isolateNode, isolateAz, slowLink, hold, release, heal] as const;
