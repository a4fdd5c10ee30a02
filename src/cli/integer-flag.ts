// Integer flags of the commands (--runs, --seeds, --workers...): one rule and one message for
// all, so a bad value is the same one-line user error (exit 2) whichever command took it.

import * as os from 'node:os';
import { UserError } from '../scenario/user-error.ts';

/** Worker threads per core at most: each loads its own copy of ksim. */
const WORKERS_PER_CORE_MAX = 4;

/** An integer flag within [min, max], or `fallback` when not given; `why` says why max is where it is. */
export function integerFlag(name: string, text: string | undefined, fallback: number, min: number, max: number, why: string): number {
  if (text === undefined) return fallback;
  const n = /^\s*\d+\s*$/.test(text) ? Number(text) : NaN;
  if (!Number.isSafeInteger(n) || n < min || n > max)
    throw new UserError(`--${name} ${JSON.stringify(text)}: expected an integer from ${min} to ${max}${why ? ` (${why})` : ''}`);
  return n;
}

/** --workers of `ksim sweep` and `ksim check`: 1 to 4 per core, by default the machine's cores (os.availableParallelism). */
export function workersFlag(text: string | undefined): number {
  const cores = os.availableParallelism();
  return integerFlag('workers', text, cores, 1, cores * WORKERS_PER_CORE_MAX, `${WORKERS_PER_CORE_MAX} per core: each loads its own copy of ksim`);
}
