// Out-of-bound values, one bounded input at a time: each must be refused (exit 2) with a message
// naming its field, never accepted, however far past the bound it is. Where a bound is on a
// derived size (partitions inherited from num.partitions, a grid's cells, a run's memory), the case
// reaches it the way a user would.

import fc from 'fast-check';
import type { FuzzCase } from './hostile-cases.ts';

const SMALL = ['--scenario', 'check-small', '--set', 'durationMs=2000'];
const producer = (field: string) => (v: number) => `producers=[{"name":"p1","az":"use1-az1","topic":"orders","ratePerSec":10,"${field}":${v}}]`;

interface BoundedInput {
  /** The smallest value that must be refused. */
  over: number;
  argv: (v: number) => string[];
  /** What stderr must name (a regex source). */
  names: string;
}

const BOUNDED: BoundedInput[] = [
  { over: 201, argv: (v) => ['run', ...SMALL, '--set', `cluster.brokers=${v}`], names: '"cluster\\.brokers": at most 200' },
  { over: 10, argv: (v) => ['run', ...SMALL, '--set', `cluster.controllers=${v}`], names: '"cluster\\.controllers": at most 9' },
  { over: 10_001, argv: (v) => ['run', ...SMALL, '--set', `topics=[{"name":"orders","partitions":${v}}]`], names: '"topics\\[0\\]\\.partitions": at most 10,000' },
  { over: 10_001, argv: (v) => ['run', ...SMALL, '--set', 'topics=[{"name":"orders"}]', '--set', `num.partitions=${v}`], names: '"config\\.num\\.partitions": (topic "orders" would get|num\\.partitions must be an integer from 1 to 2147483647)' },
  { over: 100_001, argv: (v) => ['run', ...SMALL, '--set', producer('ratePerSec')(v)], names: '"producers\\[0\\]\\.ratePerSec": at most 100,000' },
  { over: 1_000_001, argv: (v) => ['run', ...SMALL, '--set', producer('keys')(v)], names: '"producers\\[0\\]\\.keys": at most 1,000,000' },
  { over: 1_048_577, argv: (v) => ['run', ...SMALL, '--set', producer('recordBytes')(v)], names: '"producers\\[0\\]\\.recordBytes": at most 1,048,576' },
  { over: 1_001, argv: (v) => ['run', ...SMALL, '--set', `consumerGroups=[{"group.id":"g","topics":["orders"],"members":${v}}]`], names: '"consumerGroups\\[0\\]\\.members": at most 1,000' },
  { over: 1e12 + 1, argv: (v) => ['run', ...SMALL, '--set', `limits.eventsMax=${v}`], names: '"limits\\.eventsMax": at most' },
  { over: 1e12 + 1, argv: (v) => ['run', ...SMALL, '--set', `durationMs=${v}`], names: '"durationMs": at most' },
  { over: 86_400_001, argv: (v) => ['run', ...SMALL, '--set', `durationMs=${Math.min(v, 1e12)}`, '--set', 'producers=[]'], names: '"(durationMs|limits\\.memoryMb)"' },
  { over: 1_048_577, argv: (v) => ['run', ...SMALL, '--set', `limits.memoryMb=${v}`], names: '"limits\\.memoryMb": at most' },
  { over: 60_000_001, argv: (v) => ['run', ...SMALL, '--set', `network.crossAz.latencyUsMax=${v}`], names: '"network\\.crossAz\\.latencyUsMax": at most' },
  { over: 10_001, argv: (v) => ['run', ...SMALL, '--set', `offsets.topic.num.partitions=${v}`, '--set', 'consumerGroups=[{"group.id":"g","topics":["orders"],"members":1}]'], names: 'offsets\\.topic\\.num\\.partitions' },
  { over: 2 ** 53, argv: (v) => ['run', ...SMALL, '--set', `seed=${v}0`], names: '"seed": at most 9007199254740991' },
  { over: 65, argv: (v) => ['run', ...SMALL, '--set', `config.acks=${'['.repeat(Math.min(v, 5000))}${']'.repeat(Math.min(v, 5000))}`], names: 'more than 64 levels deep' },
  { over: 10_000_001, argv: (v) => ['check', '--runs', String(v), '--traces-dir', '@DIR/traces'], names: '--runs .*expected an integer from 1 to 10000000' },
  { over: 2 ** 31, argv: (v) => ['check', '--seed', String(v), '--runs', '1', '--traces-dir', '@DIR/traces'], names: '--seed .*from 0 to 2147483647' },
  { over: 100_001, argv: (v) => ['sweep', '--seeds', String(v), '--out', '@DIR/sweep'], names: '--seeds .*from 1 to 100000' },
  { over: 4_097, argv: (v) => ['sweep', '--grid', `linger.ms=${Array.from({ length: Math.min(v, 50_000) }, (_, i) => i).join(',')}`, '--out', '@DIR/sweep'], names: 'cells, more than the 4,096' },
];

/** A bounded input given a value past its bound (just past, far past, or astronomically past). */
export function boundCase(): fc.Arbitrary<FuzzCase> {
  return fc
    .record({
      input: fc.constantFrom(...BOUNDED),
      past: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 1000 }), fc.constantFrom(1e6, 2 ** 32, 2 ** 53)),
    })
    .map(({ input, past }) => ({
      family: 'bound' as const,
      argv: input.argv(input.over + past),
      files: {},
      codes: [2],
      stderr: input.names,
    }));
}
