// The integrity of a trace (format version 2): every line carries a check, a 32-bit hash chain of
// its own content and the previous line's check, so a reader finds the first damaged line exactly
// (an edited, deleted, repeated or reordered line breaks the chain there), and the footer's check,
// the end of the chain, covers the header and every line before it. Lines stay JSON:
//
//   event line    [t,"recv","b1","b2","Fetch","1f0c3a9e"]     the check is the last array element
//   header/footer {"format":"ksim-trace",...,"check":"5d2e0b17"}  the check is the last field
//
// A line's content is the line without its check (`[t,"recv","b1","b2","Fetch"]`), exactly as the
// event log renders it. Not cryptographic: it finds damage and edits, it does not stop forgery.

/** The chain's value before the first line (the header). */
const CHAIN_START = 0x6b73696d; // "ksim"

/** `,"xxxxxxxx"]` closing an event line. */
const ARRAY_SEAL = /,"([0-9a-f]{8})"\]$/;
/** `,"check":"xxxxxxxx"}` closing a header or footer line. */
const OBJECT_SEAL = /,"check":"([0-9a-f]{8})"\}$/;
const ARRAY_SEAL_LENGTH = ',"xxxxxxxx"]'.length;
const OBJECT_SEAL_LENGTH = ',"check":"xxxxxxxx"}'.length;

/** murmur3's 32-bit finalizer. */
function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** The check of a line's content after the line whose check was `previous`. */
function chainCheck(previous: number, content: string): number {
  let h = fmix32(previous ^ 0x9747b28c);
  for (let i = 0; i < content.length; i++) {
    let k = Math.imul(content.charCodeAt(i), 0xcc9e2d51);
    k = (k << 15) | (k >>> 17);
    h ^= Math.imul(k, 0x1b873593);
    h = (h << 13) | (h >>> 19);
    h = (Math.imul(h, 5) + 0xe6546b64) | 0;
  }
  return fmix32(h ^ content.length);
}

function hex8(n: number): string {
  return n.toString(16).padStart(8, '0');
}

/** Seals the lines of one trace, in order. */
export class LineSealer {
  private previous = CHAIN_START;

  /** The sealed line for `content`, a JSON array or object text (never empty). */
  seal(content: string): string {
    if (content.length <= 2) throw new Error(`a trace line needs content to seal, got ${content}`);
    const check = chainCheck(this.previous, content);
    this.previous = check;
    const last = content.length - 1;
    if (content[last] === ']') return `${content.slice(0, last)},"${hex8(check)}"]`;
    return `${content.slice(0, last)},"check":"${hex8(check)}"}`;
  }
}

/** Why a sealed line is not intact, or its content. */
type UnsealedLine = { ok: true; content: string } | { ok: false; why: string };

/** Checks the lines of one trace, in order. */
export class LineVerifier {
  private previous = CHAIN_START;

  /** The content of the next sealed line, or why it is damaged (the chain stops there). */
  unseal(line: string): UnsealedLine {
    let content: string;
    let m: RegExpExecArray | null;
    if ((m = ARRAY_SEAL.exec(line))) content = `${line.slice(0, line.length - ARRAY_SEAL_LENGTH)}]`;
    else if ((m = OBJECT_SEAL.exec(line))) content = `${line.slice(0, line.length - OBJECT_SEAL_LENGTH)}}`;
    else return { ok: false, why: 'it has no check at its end' };
    if (content.length < 2 || (content[0] !== '[' && content[0] !== '{')) return { ok: false, why: 'it is not a JSON array or object' };
    const check = chainCheck(this.previous, content);
    const stored = parseInt(m[1], 16);
    if (check !== stored) return { ok: false, why: 'its check does not match its content or the lines before it' };
    this.previous = check;
    return { ok: true, content };
  }
}
