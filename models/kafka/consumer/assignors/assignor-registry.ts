// The assignors by partition.assignment.strategy name (Kafka instantiates the configured classes;
// the model names them as the console tools do).

import type { AssignmentStrategy } from '../../config/consumer-configs.ts';
import type { ConsumerPartitionAssignor } from './consumer-partition-assignor.ts';
import { CooperativeStickyAssignor } from './cooperative-sticky-assignor.ts';
import { RangeAssignor } from './range-assignor.ts';
import { RoundRobinAssignor } from './round-robin-assignor.ts';
import { StickyAssignor } from './sticky-assignor.ts';

const ASSIGNORS: Readonly<Record<AssignmentStrategy, ConsumerPartitionAssignor>> = {
  range: new RangeAssignor(),
  roundrobin: new RoundRobinAssignor(),
  sticky: new StickyAssignor(),
  'cooperative-sticky': new CooperativeStickyAssignor(),
};

export function assignorFor(strategy: string): ConsumerPartitionAssignor {
  if (!Object.hasOwn(ASSIGNORS, strategy)) throw new Error(`unknown partition.assignment.strategy ${strategy}`);
  return ASSIGNORS[strategy as AssignmentStrategy];
}
