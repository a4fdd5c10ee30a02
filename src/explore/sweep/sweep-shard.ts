// `--shard i/n`: splits a sweep across machines or CI jobs. Cells are dealt round-robin by index
// (shard i of n takes the cells with index % n == i - 1), which balances shards when cost varies
// along the grid. The split depends only on the cell count and n, so shards never overlap and
// together cover every cell; `ksim sweep merge` puts them back together.

import { UserError } from '../../scenario/user-error.ts';

export interface Shard {
  /** 1-based. */
  index: number;
  count: number;
}

export const WHOLE_SWEEP: Shard = { index: 1, count: 1 };

export function parseShard(text: string): Shard {
  const m = /^(\d+)\/(\d+)$/.exec(text.trim());
  if (!m) throw new UserError(`--shard ${JSON.stringify(text)}: expected i/n, e.g. --shard 1/4`);
  const index = Number(m[1]);
  const count = Number(m[2]);
  if (count < 1 || index < 1 || index > count) throw new UserError(`--shard ${text}: i must be between 1 and n`);
  return { index, count };
}

export function shardCells(cellTotal: number, shard: Shard): number[] {
  const out: number[] = [];
  for (let i = shard.index - 1; i < cellTotal; i += shard.count) out.push(i);
  return out;
}
