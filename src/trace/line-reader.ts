// Reads a file line by line without ever holding it whole: a synchronous chunked line reader
// (fs.readSync into a reused buffer), a newline counter and a reader of the last line, for trace
// files of any size.
// Chunks are decoded with a StringDecoder (a multi-byte character cut by a chunk boundary is
// completed by the next chunk) and split on '\n'. Offsets are in bytes; 0x0a never occurs inside
// a multi-byte UTF-8 sequence, so byte-level newline scans agree with the decoded lines.

import * as fs from 'node:fs';
import { StringDecoder } from 'node:string_decoder';

const CHUNK_BYTES_DEFAULT = 64 * 1024;

export class LineTooLongError extends Error {
  constructor(readonly lineLengthMax: number) {
    super(`line longer than ${lineLengthMax} characters`);
    this.name = 'LineTooLongError';
  }
}

export class LineReader {
  /** Whether the line last returned ended with '\n' (false only for a last line cut short). */
  terminated = true;
  private readonly chunk: Buffer;
  private readonly decoder = new StringDecoder('utf8');
  private filePos: number;
  /** The decoded current chunk and how far into it lines have been taken. */
  private text = '';
  private pos = 0;
  /** Pieces of a line that spans chunks. */
  private pending: string[] = [];
  private pendingLength = 0;
  private eof = false;

  /** `lineLengthMax` (UTF-16 code units) stops a file without newlines from being read whole. */
  constructor(
    private readonly fd: number,
    startOffset = 0,
    chunkBytes = CHUNK_BYTES_DEFAULT,
    private readonly lineLengthMax = Infinity,
  ) {
    this.chunk = Buffer.allocUnsafe(chunkBytes);
    this.filePos = startOffset;
  }

  /** The next line without its '\n', or undefined at the end of the file. */
  next(): string | undefined {
    for (;;) {
      const nl = this.text.indexOf('\n', this.pos);
      if (nl >= 0) {
        let line = this.text.slice(this.pos, nl);
        this.pos = nl + 1;
        this.terminated = true;
        if (this.pending.length > 0) line = this.takePending(line);
        return line;
      }
      if (this.pos < this.text.length) {
        this.pending.push(this.text.slice(this.pos));
        this.pendingLength += this.text.length - this.pos;
        if (this.pendingLength > this.lineLengthMax) throw new LineTooLongError(this.lineLengthMax);
      }
      if (!this.fill()) {
        if (this.pending.length === 0) return undefined;
        this.terminated = false;
        return this.takePending('');
      }
    }
  }

  private takePending(last: string): string {
    this.pending.push(last);
    const line = this.pending.join('');
    this.pending = [];
    this.pendingLength = 0;
    return line;
  }

  /** Decodes the next chunk; whole chunks decode far faster than line by line. */
  private fill(): boolean {
    this.pos = 0;
    if (this.eof) {
      this.text = '';
      return false;
    }
    const n = fs.readSync(this.fd, this.chunk, 0, this.chunk.length, this.filePos);
    this.filePos += n;
    if (n === 0) {
      this.eof = true;
      this.text = this.decoder.end(); // a multi-byte character cut by the end of the file
      return this.text.length > 0;
    }
    this.text = this.decoder.write(this.chunk.subarray(0, n));
    return true;
  }
}

/** Counts '\n' bytes from `startOffset` to the end of the file. */
export function countNewlines(fd: number, startOffset: number, chunkBytes = CHUNK_BYTES_DEFAULT): number {
  const chunk = Buffer.allocUnsafe(chunkBytes);
  let count = 0;
  for (let at = startOffset; ; ) {
    const n = fs.readSync(fd, chunk, 0, chunk.length, at);
    if (n === 0) return count;
    for (let i = chunk.indexOf(0x0a, 0); i >= 0 && i < n; i = chunk.indexOf(0x0a, i + 1)) count++;
    at += n;
  }
}

/**
 * The last non-blank line of the file at or after `startOffset`, read backwards from the end in
 * chunks, or undefined if there is none (or it is longer than `lineBytesMax`).
 */
export function readLastLine(
  fd: number,
  startOffset: number,
  fileBytes: number,
  lineBytesMax: number,
  chunkBytes = CHUNK_BYTES_DEFAULT,
): { text: string; offset: number } | undefined {
  const pieces: Buffer[] = [];
  let pieceBytes = 0;
  let trimmed = false;
  for (let at = fileBytes; at > startOffset; ) {
    const len = Math.min(chunkBytes, at - startOffset);
    const buf = Buffer.allocUnsafe(len);
    fs.readSync(fd, buf, 0, len, at - len);
    let stop = len;
    if (!trimmed) {
      while (stop > 0 && isBlank(buf[stop - 1])) stop--;
      if (stop === 0) {
        at -= len;
        continue;
      }
      trimmed = true;
    }
    const nl = buf.lastIndexOf(0x0a, stop - 1);
    if (nl >= 0) {
      if (pieceBytes + stop - (nl + 1) > lineBytesMax) return undefined;
      pieces.unshift(buf.subarray(nl + 1, stop));
      return { text: Buffer.concat(pieces).toString('utf8'), offset: at - len + nl + 1 };
    }
    pieces.unshift(buf.subarray(0, stop));
    pieceBytes += stop;
    if (pieceBytes > lineBytesMax) return undefined;
    at -= len;
  }
  return trimmed ? { text: Buffer.concat(pieces).toString('utf8'), offset: startOffset } : undefined;
}

function isBlank(byte: number): boolean {
  return byte === 0x0a || byte === 0x0d || byte === 0x20 || byte === 0x09;
}
