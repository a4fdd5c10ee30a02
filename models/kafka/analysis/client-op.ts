// One operation of a client history in the shape of Jepsen's Kafka test (jepsen.tests.kafka), as
// client-history.ts describes it: sends, polls, assigns, with Jepsen's op types.

import type { TimeUs } from '../../../src/sim/time.ts';

export type Value = number | string;
type OpType = 'invoke' | 'ok' | 'info' | 'fail';

interface SendMop {
  key: string;
  value: Value;
  offset: number | null;
}

export type ReadPair = readonly [offset: number | null, value: Value];

export interface ClientOp {
  /** Position in the history. */
  index: number;
  timeUs: TimeUs;
  /** When the client invoked it, where that differs from timeUs (a send: its `send` event). */
  invokeTimeUs?: TimeUs;
  process: string;
  type: OpType;
  f: 'send' | 'poll' | 'txn' | 'assign' | 'subscribe';
  sends?: SendMop[];
  reads?: { key: string; pairs: ReadPair[] }[];
  keys?: string[];
  rebalancedKeys?: string[];
}
