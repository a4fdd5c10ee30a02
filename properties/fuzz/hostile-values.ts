// The values the fuzzer tries, as a careful user's mistakes and a hostile file would write them:
// numbers at and beyond every edge (negative, fractional, 2^31, 2^32, 2^53, 1e308, Infinity as
// 1e999), strings that are empty, huge, control characters, prototype keys or paths, arrays and
// objects of the wrong shape or nested deep. Also small legal values, so a mutation often still
// leaves a runnable scenario and the run itself is exercised. Legal times stay small: a legal
// long run is slow, not a hang, and is not what this looks for.

import fc from 'fast-check';

const EDGE_NUMBERS = [0, -1, 1, 2, 3, 0.5, -0.5, 1e-300, 1e300, 2 ** 31 - 1, 2 ** 31, 2 ** 32, 2 ** 32 + 1, 2 ** 53, 2 ** 53 + 2, 1e21, -(2 ** 53)];
const SMALL_LEGAL = [0, 1, 2, 3, 5, 10, 100, 500, 1000, 2000, 3000];
const HOSTILE_STRINGS = [
  '',
  ' ',
  'x',
  'all',
  'true',
  'null',
  '__proto__',
  'constructor',
  'prototype',
  '💥',
  '\n',
  'a\u0000b',
  '\t\r\n',
  '../../etc/passwd',
  '/dev/full',
  '1',
  '-1',
  '1e9',
  'NaN',
  'Infinity',
  'b1',
  'use1-az1',
  'orders',
  'kafka',
  'heartbeat',
];

/** A JSON-able value a scenario field might be given. */
export function hostileValue(): fc.Arbitrary<unknown> {
  const leaf = fc.oneof(
    fc.constantFrom(...EDGE_NUMBERS),
    fc.constantFrom(...SMALL_LEGAL),
    fc.constantFrom(...HOSTILE_STRINGS),
    fc.constantFrom(true, false, null),
    fc.constant('x'.repeat(5000)),
    fc.integer(),
    fc.double({ noNaN: true, noDefaultInfinity: true }),
    fc.string({ maxLength: 12 }),
  );
  return fc.oneof(
    { weight: 6, arbitrary: leaf },
    { weight: 1, arbitrary: fc.array(leaf, { maxLength: 4 }) },
    { weight: 1, arbitrary: fc.dictionary(fc.constantFrom('a', 'name', '__proto__', 'kind', 'atMs', 'x'), leaf, { maxKeys: 3 }) },
    { weight: 1, arbitrary: fc.integer({ min: 2, max: 300 }).map((depth) => nested(depth)) },
    { weight: 1, arbitrary: fc.constant(Array.from({ length: 2000 }, (_, i) => i)) },
  );
}

function nested(depth: number): unknown {
  let v: unknown = 1;
  for (let i = 0; i < depth; i++) v = i % 2 ? [v] : { a: v };
  return v;
}

/** The text of a `--set` value: JSON of a hostile value, or raw text that is not JSON. */
export function hostileValueText(): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 5, arbitrary: hostileValue().map((v) => JSON.stringify(v) ?? 'null') },
    {
      weight: 2,
      arbitrary: fc.constantFrom('1e999', '-1e999', '{', '[1,', '"unterminated', '{"__proto__":{"polluted":1}}', '', '=', 'a=b', `${'['.repeat(3000)}${']'.repeat(3000)}`),
    },
    { weight: 1, arbitrary: fc.string({ maxLength: 20 }) },
  );
}

/** A value for a flag that takes one (--runs, --seed, --out...): numbers, paths, nonsense. */
export function flagValue(paths: readonly string[]): fc.Arbitrary<string> {
  return fc.oneof(
    fc.constantFrom('0', '1', '2', '-1', '1.5', '1e3', '4294967297', '9007199254740993', '99999999999999999999', 'x', '', ' ', 'x:y', '0:0', '1/2', '3/2', '0/0', 'NaN'),
    fc.constantFrom(...paths),
    fc.integer({ min: 0, max: 5 }).map(String),
  );
}

const FAULT_KINDS = ['partition', 'partition-one-way', 'isolate-node', 'isolate-az', 'hold', 'release', 'heal', 'crash', 'power-loss', 'pause', 'resume', 'restart', 'az-outage', 'az-restore', 'nope'];
const NODES = ['b1', 'b2', 'b3', 'c1', 'p1', 'g-1', 'n1', 'n2', 'n3', 'zz', ''];
const AZS = ['use1-az1', 'use1-az2', 'use1-az4', 'az1', 'az2', 'nowhere'];

/** A fault schedule of one to four faults, mostly well formed, naming nodes and AZs that may or may not exist. */
export function faultList(): fc.Arbitrary<unknown[]> {
  const fault = fc.record(
    {
      atMs: fc.oneof(fc.integer({ min: 0, max: 2500 }), fc.constantFrom(-1, 1e12, 0.5)),
      kind: fc.constantFrom(...FAULT_KINDS),
      node: fc.constantFrom(...NODES),
      az: fc.constantFrom(...AZS),
      from: fc.oneof(fc.constantFrom(...NODES), fc.array(fc.constantFrom(...NODES), { maxLength: 3 })),
      to: fc.oneof(fc.constantFrom(...NODES), fc.array(fc.constantFrom(...NODES), { maxLength: 3 })),
      groups: fc.array(fc.array(fc.constantFrom(...NODES), { maxLength: 3 }), { maxLength: 3 }),
      durationMs: fc.oneof(fc.integer({ min: 1, max: 2000 }), fc.constantFrom(0, -5, 1e300)),
    },
    { requiredKeys: ['atMs', 'kind'] },
  );
  return fc.array(fault, { minLength: 1, maxLength: 4 });
}

/** A legal-looking fault schedule over the given nodes and AZs: what a user would write, in any combination. */
export function legalFaultList(nodes: readonly string[], azs: readonly string[], windowMs: number): fc.Arbitrary<unknown[]> {
  const node = fc.constantFrom(...nodes);
  const at = fc.integer({ min: 0, max: windowMs });
  const duration = fc.option(fc.integer({ min: 1, max: windowMs }), { nil: undefined });
  const two = fc.uniqueArray(node, { minLength: 2, maxLength: 2 });
  const fault = fc.oneof(
    fc.record({ atMs: at, kind: fc.constant('partition'), groups: fc.tuple(fc.array(node, { minLength: 1, maxLength: 2 }), fc.array(node, { minLength: 1, maxLength: 2 })), durationMs: duration }),
    fc.record({ atMs: at, kind: fc.constant('partition-one-way'), from: fc.array(node, { minLength: 1, maxLength: 2 }), to: fc.array(node, { minLength: 1, maxLength: 2 }), durationMs: duration }),
    fc.record({ atMs: at, kind: fc.constantFrom('isolate-node', 'crash', 'power-loss', 'pause'), node, durationMs: duration }),
    fc.record({ atMs: at, kind: fc.constantFrom('resume', 'restart'), node }),
    fc.record({ atMs: at, kind: fc.constantFrom('isolate-az', 'az-outage'), az: fc.constantFrom(...azs), durationMs: duration }),
    fc.record({ atMs: at, kind: fc.constant('az-restore'), az: fc.constantFrom(...azs) }),
    two.chain(([from, to]) => fc.record({ atMs: at, kind: fc.constant('hold'), from: fc.constant(from), to: fc.constant(to), durationMs: duration })),
    two.chain(([from, to]) => fc.record({ atMs: at, kind: fc.constant('release'), from: fc.constant(from), to: fc.constant(to) })),
    fc.record({ atMs: at, kind: fc.constant('heal') }),
  );
  return fc.array(fault, { maxLength: 6 }).map((faults) => faults.map((f) => JSON.parse(JSON.stringify(f)) as unknown));
}
