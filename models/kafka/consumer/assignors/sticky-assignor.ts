// Kafka's StickyAssignor: the eager sticky assignor. Members revoke everything before rejoining and
// send their previous assignment as subscription user data, so the leader can keep it in place.

import { AbstractStickyAssignor } from './abstract-sticky-assignor.ts';

export class StickyAssignor extends AbstractStickyAssignor {
  readonly name = 'sticky';
  readonly rebalanceProtocol = 'eager';
}
