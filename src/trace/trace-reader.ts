// Reads and validates a trace file (format in trace-format.ts) without ever holding it whole: the
// header is read first, the footer from the file's tail, and event lines stream through a
// synchronous chunked line reader (fs.readSync into a reused buffer), so a 100 MB trace is never
// one string. Every problem with the file is a one-line UserError naming the file and the line:
// empty, not JSON, a foreign JSON file, a newer format, a damaged line, a missing footer (the run
// did not finish or the file was cut), or a footer whose event count disagrees with the file.

import * as fs from 'node:fs';
import { StringDecoder } from 'node:string_decoder';
import { UserError } from '../scenario/user-error.ts';
import {
  TRACE_FORMAT,
  TRACE_FORMAT_VERSION,
  traceFooterSchema,
  traceHeaderSchema,
  type TraceFooter,
  type TraceHeader,
} from './trace-format.ts';

/** Lines longer than this (in characters) are not from ksim; stops a garbage file being read whole. */
const META_LINE_LENGTH_MAX = 64 * 1024 * 1024;
/** A file that is not a trace is read whole, to tell a foreign JSON document, only up to this size. */
const FOREIGN_JSON_BYTES_MAX = 16 * 1024 * 1024;

export class TraceReader {
  /** Event lines returned so far; also the index of the next one. */
  eventsRead = 0;
  private ended = false;

  private constructor(
    readonly path: string,
    private fd: number,
    readonly header: TraceHeader,
    readonly footer: TraceFooter,
    /** The footer line as it is in the file; it ends the event lines. */
    private readonly footerText: string,
    private readonly lines: LineReader,
  ) {}

  /** Opens a trace and checks its header and footer; event lines are checked as they are read. */
  static open(path: string, options: { chunkBytes?: number } = {}): TraceReader {
    const fd = openForReading(path);
    try {
      const fileBytes = fs.fstatSync(fd).size;
      if (fileBytes === 0) throw new UserError(`${path}: empty file; not a ksim trace`);
      const first = Buffer.alloc(1);
      fs.readSync(fd, first, 0, 1, 0);
      if (first[0] !== 0x7b /* { */) throw new UserError(`${path}: not a ksim trace: the first line is not a JSON object`);

      const lines = new LineReader(fd, 0, options.chunkBytes, META_LINE_LENGTH_MAX);
      let headerText: string;
      try {
        headerText = lines.next()!;
      } catch (e) {
        if (e instanceof LineTooLongError) throw new UserError(`${path}: not a ksim trace: the first line is longer than ${META_LINE_LENGTH_MAX} characters`);
        throw e;
      }
      const header = parseHeader(path, headerText, () => isSmallJsonDocument(fd, fileBytes));
      const eventsOffset = Buffer.byteLength(headerText, 'utf8') + (lines.terminated ? 1 : 0);

      const last = readLastLine(fd, eventsOffset, fileBytes, META_LINE_LENGTH_MAX, options.chunkBytes);
      const footer = last && parseFooter(path, last.text);
      if (!last || !footer) {
        const events = countNewlines(fd, eventsOffset);
        throw new UserError(
          `${path}: truncated trace: no footer after ${events} events; the run that wrote it did not finish or the file was cut`,
        );
      }
      return new TraceReader(path, fd, header, footer, last.text, lines);
    } catch (e) {
      fs.closeSync(fd);
      throw e;
    }
  }

  /**
   * The next event line, or undefined after the last one (the footer is next). Throws UserError
   * for a line that is not a JSON array or when the footer's event count disagrees with the file.
   * With `check` false the line's content is not parsed: a replay checks only lines that differ
   * from its own (checkEvent), since a line equal to a rendered one is well formed.
   */
  nextEvent(check = true): string | undefined {
    if (this.ended) return undefined;
    const lineNo = this.eventsRead + 2;
    let text: string | undefined;
    try {
      text = this.lines.next();
    } catch (e) {
      if (e instanceof LineTooLongError)
        throw new UserError(`${this.path}: line ${lineNo} is longer than ${e.lineLengthMax} characters; the file was edited or damaged`);
      throw e;
    }
    if (this.eventsRead === this.footer.events) {
      if (text !== this.footerText)
        throw new UserError(
          `${this.path}: the footer counts ${this.footer.events} events but the file has more (line ${lineNo}); the file was edited or damaged`,
        );
      this.ended = true;
      return undefined;
    }
    if (text === undefined || text === this.footerText)
      throw new UserError(
        `${this.path}: the footer counts ${this.footer.events} events but the file has ${this.eventsRead}; the file was edited or damaged`,
      );
    if (check) checkEventLine(this.path, lineNo, this.eventsRead, text);
    this.eventsRead++;
    return text;
  }

  /** Checks the event line last returned by nextEvent(false); throws UserError if it is damaged. */
  checkEvent(text: string): void {
    checkEventLine(this.path, this.eventsRead + 1, this.eventsRead - 1, text);
  }

  close(): void {
    if (this.fd < 0) return;
    fs.closeSync(this.fd);
    this.fd = -1;
  }
}

/** Reads a whole trace, checking every line; for tests and small traces. */
export function readTraceFile(path: string): { header: TraceHeader; footer: TraceFooter; events: string[] } {
  const reader = TraceReader.open(path);
  try {
    const events: string[] = [];
    for (let line = reader.nextEvent(); line !== undefined; line = reader.nextEvent()) events.push(line);
    return { header: reader.header, footer: reader.footer, events };
  } finally {
    reader.close();
  }
}

function openForReading(path: string): number {
  try {
    if (fs.statSync(path).isDirectory()) throw new UserError(`${path}: is a directory, not a trace file`);
    return fs.openSync(path, 'r');
  } catch (e) {
    if (e instanceof UserError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new UserError(`${path}: no such trace file`);
    if (code === 'EACCES' || code === 'EPERM') throw new UserError(`${path}: no permission to read the trace`);
    throw e;
  }
}

function parseHeader(path: string, text: string, wholeFileIsJson: () => boolean): TraceHeader {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    // A pretty-printed JSON file (package.json, a scenario) breaks its first line too.
    if (wholeFileIsJson()) throw new UserError(`${path}: foreign file: a JSON document spread over lines, not a ksim trace`);
    throw new UserError(`${path}: not a ksim trace: the first line is not JSON (${(e as Error).message})`);
  }
  if (typeof value !== 'object' || value === null || (value as { format?: unknown }).format !== TRACE_FORMAT)
    throw new UserError(`${path}: foreign file: the first line is JSON but not a ksim trace header (no "format":"${TRACE_FORMAT}")`);
  const version = (value as { formatVersion?: unknown }).formatVersion;
  if (typeof version === 'number' && version > TRACE_FORMAT_VERSION)
    throw new UserError(
      `${path}: trace format version ${version} is newer than this ksim reads (up to ${TRACE_FORMAT_VERSION}); replay it with a newer ksim`,
    );
  const parsed = traceHeaderSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new UserError(`${path}: invalid trace header: "${issue.path.join('.') || '(header)'}": ${issue.message}`);
  }
  return value as TraceHeader;
}

/** undefined when the line is not a footer at all (the trace is truncated). */
function parseFooter(path: string, text: string): TraceFooter | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null || (value as { footer?: unknown }).footer !== true) return undefined;
  const parsed = traceFooterSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new UserError(`${path}: invalid trace footer: "${issue.path.join('.') || '(footer)'}": ${issue.message}`);
  }
  return value as TraceFooter;
}

/** Only asked on the way to an error, and only for files small enough to read whole. */
function isSmallJsonDocument(fd: number, fileBytes: number): boolean {
  if (fileBytes > FOREIGN_JSON_BYTES_MAX) return false;
  const buf = Buffer.allocUnsafe(fileBytes);
  fs.readSync(fd, buf, 0, fileBytes, 0);
  try {
    JSON.parse(buf.toString('utf8'));
    return true;
  } catch {
    return false;
  }
}

function checkEventLine(path: string, lineNo: number, index: number, text: string): void {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new UserError(`${path}: line ${lineNo} (event ${index}) is not JSON (${(e as Error).message}); the file was edited or damaged`);
  }
  if (!Array.isArray(value) || typeof value[0] !== 'number' || typeof value[1] !== 'string')
    throw new UserError(`${path}: line ${lineNo} (event ${index}) is not an event line [timeUs, kind, ...]; the file was edited or damaged`);
}

// ---- the line reading underneath ----
// Chunks are decoded with a StringDecoder (a multi-byte character cut by a chunk boundary is
// completed by the next chunk) and split on '\n'. Offsets are in bytes; 0x0a never occurs inside
// a multi-byte UTF-8 sequence, so byte-level newline scans agree with the decoded lines.

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
