// AZ fault kinds: an AZ outage is a power loss of every node in the AZ; az-restore ends it.
// (Cutting an AZ off the network is `isolate-az`, a network fault.)

import { drawAz } from '../fault-targets.ts';
import { azName } from '../fault-fields.ts';
import { isFaultOf, lastingFault, undoFault } from '../fault-kind.ts';

const azOutage = lastingFault(
  'az-outage',
  { az: azName },
  {
    doc: { fields: '`az`', effect: 'power loss of every node in the AZ, and its end' },
    start(f, act) {
      for (const node of act.topology.nodesInAz(f.az)) act.down(node, 'power-loss');
    },
    draw: {
      explore: (space, arb) => arb.anyAz(space).map((az) => ({ az })),
      noise: (d) => ({ az: drawAz(d) }),
    },
  },
);

const azRestore = undoFault(
  'az-restore',
  { az: azName },
  {
    doc: { sameRowAs: 'az-outage' },
    undo: (f, scope) => scope.end((g) => isFaultOf(g.fault, azOutage) && g.fault.az === f.az),
  },
);

export const AZ_FAULTS = [azOutage, azRestore] as const;
