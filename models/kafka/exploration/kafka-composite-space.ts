// What a Kafka composite aimed at a focus partition draws from (kafka-composites.ts builds it for
// each kind): the run's fault window, the focus partitions, a part's presence and the lengths
// drawn around the scenario's timeouts. Shared by the composites that need no more than that.

import type fc from 'fast-check';

export interface FocusCompositeSpace {
  fc: typeof fc;
  windowMs: number;
  /** Focus partitions by name ("orders-0"). */
  partitions: readonly string[];
  /** A part's presence (on as drawn, shrinking to off). */
  on: fc.Arbitrary<boolean>;
  /** Durations around the scenario's timeouts (or blind), for a part's length. */
  lasting: fc.Arbitrary<number>;
}
