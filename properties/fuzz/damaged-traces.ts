// Damaged traces for the fuzzer: a good trace (recorded once per suite) with one kind of damage,
// replayed or drawn. Whatever the damage, the answer is "damaged" (exit 2), never "DIVERGED"
// (exit 1); only what editors and checkouts do to a file without changing it (CRLF line endings
// throughout, a byte order mark, a missing final newline) reads as the good trace (exit 0).

import fc from 'fast-check';
import type { FuzzCase } from './hostile-cases.ts';

const DAMAGE = [
  'flip-byte', 'delete-line', 'repeat-line', 'swap-lines', 'truncate', 'append-copy', 'append-garbage', 'edit-event',
  'edit-header', 'edit-footer', 'crlf-all', 'crlf-one', 'bom', 'blank-line', 'drop-final-newline', 'insert-event',
] as const;
type Damage = (typeof DAMAGE)[number];

/** Damage that leaves the trace's content intact. */
const BENIGN = new Set<Damage>(['crlf-all', 'bom', 'drop-final-newline']);

function damage(lines: readonly string[], kind: Damage, a: number, b: number, mask: number): Buffer {
  const text = lines.join('\n') + '\n';
  const at = (n: number) => n % lines.length;
  const copy = [...lines];
  switch (kind) {
    case 'flip-byte': {
      const bytes = Buffer.from(text);
      bytes[a % bytes.length] ^= mask;
      return bytes;
    }
    case 'delete-line':
      copy.splice(at(a), 1);
      break;
    case 'repeat-line':
      copy.splice(at(a), 0, copy[at(a)]);
      break;
    case 'swap-lines': {
      const [i, j] = [at(a), at(b)];
      if (copy[i] === copy[j]) copy.splice(i, 1); // swapping equal lines changes nothing: drop one instead
      else [copy[i], copy[j]] = [copy[j], copy[i]];
      break;
    }
    case 'truncate':
      return Buffer.from(text).subarray(0, a % (Buffer.byteLength(text) - 1));
    case 'append-copy':
      return Buffer.from(text + text);
    case 'append-garbage':
      return Buffer.from(text + '{"footer":true}\n');
    case 'edit-event': {
      // Another valid event line in place of one: what a divergence would look like, unsealed.
      const i = 1 + (a % (lines.length - 2));
      copy[i] = copy[i].replace(/^\[(\d+)/, (_, t: string) => `[${Number(t) + 1 + (b % 1000)}`);
      break;
    }
    case 'edit-header':
      copy[0] = copy[0].replace(/"seed":"(\d+)"/, (_, s: string) => `"seed":"${Number(s) + 1}"`);
      break;
    case 'edit-footer':
      copy[copy.length - 1] = copy[copy.length - 1].replace(/"events":(\d+)/, (_, n: string) => `"events":${Number(n) + 1}`);
      break;
    case 'crlf-all':
      return Buffer.from(lines.join('\r\n') + '\r\n');
    case 'crlf-one':
      copy[at(a)] += '\r';
      break;
    case 'bom':
      return Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)]);
    case 'blank-line':
      copy.splice(1 + (a % (lines.length - 1)), 0, '');
      break;
    case 'drop-final-newline':
      return Buffer.from(text.slice(0, -1));
    case 'insert-event':
      copy.splice(1 + (a % (lines.length - 2)), 0, '[1,"up","n1","00000000"]');
      break;
  }
  return Buffer.from(copy.join('\n') + '\n');
}

/** `ksim replay` or `ksim timeline` of the good trace (`lines`, as written) with one damage. */
export function traceCase(lines: readonly string[]): fc.Arbitrary<FuzzCase> {
  const good = Buffer.from(lines.join('\n') + '\n');
  return fc
    .record({
      kind: fc.constantFrom(...DAMAGE),
      a: fc.nat(),
      b: fc.nat(),
      mask: fc.integer({ min: 1, max: 255 }),
      command: fc.constantFrom<string[][]>(['replay', '@DIR/t.jsonl'], ['replay', '@DIR/t.jsonl', '--json'], ['timeline', '@DIR/t.jsonl', '-o', '@DIR/t.html'], ['timeline', '@DIR/t.jsonl', '-o', '@DIR/t.html', '--no-replay']),
    })
    .map(({ kind, a, b, mask, command }) => {
      const bytes = damage(lines, kind, a, b, mask);
      const intact = BENIGN.has(kind) || bytes.equals(good);
      return {
        family: 'trace' as const,
        argv: command,
        files: { 't.jsonl': `b64:${bytes.toString('base64')}` },
        codes: intact ? [0] : [2],
        stderr: intact ? undefined : 't\\.jsonl: (damaged at line \\d+|truncated trace|not a ksim trace|foreign file|empty file|invalid trace)',
      };
    });
}
