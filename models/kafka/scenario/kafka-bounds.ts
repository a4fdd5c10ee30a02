// Upper bounds on the sizes of a Kafka scenario, each with the reason it is there, so a mistaken or
// hostile scenario (10,000 brokers, 1e9 keys, a topic inheriting num.partitions=2147483647) is
// refused before the run starts instead of running for hours or aborting in the heap. What the
// run's records, partitions and members will take in memory is checked separately, against
// limits.memoryMb (kafka-memory-projection.ts).

import { z } from 'zod';

/** A bound and why; `max` is inclusive. */
interface Bound {
  max: number;
  why: string;
}

export const KAFKA_BOUNDS = {
  brokers: { max: 200, why: 'ksim runs replica fetchers between brokers that share partitions; a larger cluster takes hours a run' },
  controllers: { max: 9, why: 'a KRaft quorum has 3 or 5 voters in practice; more only slows the run' },
  topics: { max: 1_000, why: 'more topics than any test needs' },
  partitions: { max: 10_000, why: 'MSK advises at most 4,000 partition replicas a broker; a larger topic only slows the run' },
  ratePerSec: { max: 100_000, why: 'ksim simulates every record, about 40 µs of wall time each; a higher rate is a load test, not a simulation' },
  keys: { max: 1_000_000, why: 'the producer maps every key to its partition when it starts' },
  recordBytes: {
    max: 1_048_576,
    why: "Kafka's default max.request.size and message.max.bytes; a larger record fails with RecordTooLargeException, which ksim does not model",
  },
  sends: { max: 100_000, why: 'scripted sends are for a few exact records; use ratePerSec for a load' },
  operations: { max: 10_000, why: 'more scripted operations than any run needs' },
  consumerGroups: { max: 100, why: 'more groups than any test needs' },
  members: { max: 1_000, why: 'each member is a node; a group that large only slows the run' },
} as const satisfies Record<string, Bound>;

type BoundName = keyof typeof KAFKA_BOUNDS;

/** The message for a value above a bound: "at most 200 (why)". */
export function boundMessage(name: BoundName): string {
  const b = KAFKA_BOUNDS[name];
  return `at most ${b.max.toLocaleString('en-US')} (${b.why})`;
}

/** The same for a value that was derived: "more than 10,000 (why)". */
export function boundExceeded(name: BoundName): string {
  const b = KAFKA_BOUNDS[name];
  return `more than ${b.max.toLocaleString('en-US')} (${b.why})`;
}

/** A non-negative integer count with its upper bound. */
export function boundedCount(name: BoundName, min: number) {
  // zod refuses an integer beyond 2^53 in int() itself, before max(): it gets the bound's message too.
  return z
    .number()
    .int({ error: (issue) => (issue.code === 'too_big' ? boundMessage(name) : undefined) })
    .min(min)
    .max(KAFKA_BOUNDS[name].max, boundMessage(name));
}
