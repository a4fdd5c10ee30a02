// Test support: reads the EDN histories of Jepsen's own Kafka checker tests (jepsen-histories/,
// copied from jepsen-io/jepsen's kafka_test.clj, one operation map per line) into ClientOps, so the
// consumer-side analyses are checked against what Jepsen's tests expect of them. Only the EDN those
// files use: maps, vectors, sets, keywords, integers, nil, booleans. Keywords keep their colon
// (":x"), so a key or value reads as Jepsen prints it. Jepsen's analysis looks only at client
// operations (an integer :process); `clientOnly` drops the others as it does.

import type { ClientOp, ReadPair, Value } from '../analysis/client-history.ts';

type Edn = null | boolean | number | string | Edn[] | { set: Edn[] } | Map<Edn, Edn>;

function parse(text: string): Edn[] {
  let i = 0;
  const skip = () => {
    while (i < text.length && /[\s,]/.test(text[i])) i++;
  };
  const atom = (): Edn => {
    const start = i;
    while (i < text.length && !/[\s,\]\}\)]/.test(text[i])) i++;
    const word = text.slice(start, i);
    if (word === 'nil') return null;
    if (word === 'true' || word === 'false') return word === 'true';
    if (/^-?\d+$/.test(word)) return Number(word);
    if (word.startsWith(':')) return word;
    throw new Error(`EDN: unsupported token ${JSON.stringify(word)} at ${start}`);
  };
  const seq = (close: string): Edn[] => {
    const out: Edn[] = [];
    for (;;) {
      skip();
      if (text[i] === close) {
        i++;
        return out;
      }
      out.push(value());
    }
  };
  const value = (): Edn => {
    skip();
    const c = text[i];
    if (c === '[') return (i++, seq(']'));
    if (c === '(') return (i++, seq(')'));
    if (c === '#' && text[i + 1] === '{') return ((i += 2), { set: seq('}') });
    if (c === '{') {
      i++;
      const items = seq('}');
      const m = new Map<Edn, Edn>();
      for (let k = 0; k < items.length; k += 2) m.set(items[k], items[k + 1]);
      return m;
    }
    return atom();
  };
  const out: Edn[] = [];
  for (skip(); i < text.length; skip()) out.push(value());
  return out;
}

function field(m: Edn, key: string): Edn {
  return (m as Map<Edn, Edn>).get(key) ?? null;
}

function toOp(m: Edn, position: number): ClientOp {
  const f = (field(m, ':f') as string).slice(1) as ClientOp['f'];
  const value = field(m, ':value') as Edn[];
  const op: ClientOp = {
    index: position,
    timeUs: field(m, ':time') as number,
    process: String(field(m, ':process')),
    type: (field(m, ':type') as string).slice(1) as ClientOp['type'],
    f,
  };
  if (f === 'assign' || f === 'subscribe') {
    op.keys = (value as string[]).map(String);
    return op;
  }
  op.sends = [];
  op.reads = [];
  for (const mop of value as Edn[][]) {
    if (mop[0] === ':send') {
      const v = mop[2];
      const pair = Array.isArray(v) ? v : [null, v];
      op.sends.push({ key: String(mop[1]), value: pair[1] as Value, offset: pair[0] as number | null });
    } else if (mop[0] === ':poll' && mop.length > 1) {
      for (const [k, pairs] of mop[1] as Map<Edn, Edn>) op.reads.push({ key: String(k), pairs: (pairs as Edn[][]).map((p) => [p[0] as number | null, p[1] as Value] as ReadPair) });
    }
  }
  return op;
}

export interface JepsenHistory {
  ops: ClientOp[];
  /** Each op's :index as the file gives it (Jepsen's tests name ops by it: op@N). */
  ednIndex: Map<ClientOp, number>;
}

/** One history file's text; `clientOnly` keeps only ops with an integer :process, as Jepsen's analysis does. */
export function readJepsenHistory(text: string, clientOnly = true): JepsenHistory {
  const maps = parse(text).filter((m) => !clientOnly || typeof field(m, ':process') === 'number');
  const ops = maps.map(toOp);
  return { ops, ednIndex: new Map(ops.map((op, i) => [op, field(maps[i], ':index') as number])) };
}
