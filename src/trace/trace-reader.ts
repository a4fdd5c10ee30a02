// Reads and validates a trace file (format in trace-format.ts) without ever holding it whole: lines
// stream through a chunked line reader (line-reader.ts). Opening a trace checks all of it first:
// the header, then every line's check in one streaming pass (line-seal.ts), the footer's event
// count, and that nothing follows the footer; so a trace that opens is intact, and whatever reads
// it next (a replay, the timeline) can take a difference for what the run did, never for damage.
// Every problem is a one-line UserError naming the file and the line: empty, not JSON, a foreign
// JSON file, a newer format, "damaged at line N" (an edited, cut, repeated or reordered line,
// content after the footer), or a missing footer (the run did not finish or the file was cut).
//
// Tolerated, with a note: a UTF-8 byte order mark and Windows (CRLF) line endings throughout, as
// an editor or a checkout may add them. Format version 1 traces (no checks) are still read, with
// a note that damage in them can only show as a divergence.

import * as fs from 'node:fs';
import { openInputFile, startsWithBom } from '../files/input-file.ts';
import { UserError } from '../scenario/user-error.ts';
import { LineVerifier } from './line-seal.ts';
import { countNewlines, LineReader, LineTooLongError, readLastLine } from './line-reader.ts';
import {
  SEALED_FORMAT_VERSION,
  TRACE_FORMAT,
  TRACE_FORMAT_VERSION,
  traceFooterSchema,
  traceHeaderSchema,
  type TraceFooter,
  type TraceHeader,
} from './trace-format.ts';

/** Lines longer than this (in characters) are not from ksim; stops a garbage file being read whole. */
const LINE_LENGTH_MAX = 64 * 1024 * 1024;
/** A file that is not a trace is read whole, to tell a foreign JSON document, only up to this size. */
const FOREIGN_JSON_BYTES_MAX = 16 * 1024 * 1024;
/** Traces are streamed; this only refuses what no run could write. */
const TRACE_BYTES_MAX = 2 ** 40;

/** How the file's lines are laid out: where they start, how they end, whether they carry checks. */
interface Layout {
  /** Byte offset of the header (3 after a byte order mark). */
  start: number;
  crlf: boolean;
  sealed: boolean;
}

function damaged(path: string, lineNo: number, why: string): UserError {
  return new UserError(`${path}: damaged at line ${lineNo}: ${why}; the file was edited or corrupted after ksim wrote it`);
}

export class TraceReader {
  /** Event lines returned so far; also the index of the next one. */
  eventsRead = 0;
  private ended = false;
  private readonly verifier = new LineVerifier();

  private constructor(
    readonly path: string,
    private fd: number,
    readonly header: TraceHeader,
    readonly footer: TraceFooter,
    /** Things worth knowing about the file that do not make it unusable (a BOM, CRLF, format 1). */
    readonly notes: readonly string[],
    private readonly layout: Layout,
    private readonly lines: LineReader,
    /** Format 1 only: the footer line as it is in the file; it ends the event lines. */
    private readonly legacyFooterText?: string,
  ) {
    // The header was verified at open; the chain of this pass starts again from it.
    if (layout.sealed) this.verifier.unseal(this.nextLine(1)!);
    else this.nextLine(1);
  }

  /** Opens a trace and checks all of it (see the top of this file); events are then read with nextEvent. */
  static open(path: string, options: { chunkBytes?: number } = {}): TraceReader {
    const fd = openInputFile(path, `trace "${path}"`, TRACE_BYTES_MAX);
    try {
      const fileBytes = fs.fstatSync(fd).size;
      if (fileBytes === 0) throw new UserError(`${path}: empty file; not a ksim trace`);
      const first = Buffer.alloc(4);
      fs.readSync(fd, first, 0, 4, 0);
      const start = startsWithBom(first) ? 3 : 0;
      if (first[start] !== 0x7b /* { */) throw new UserError(`${path}: not a ksim trace: the first line is not a JSON object`);

      const headerLines = new LineReader(fd, start, options.chunkBytes, LINE_LENGTH_MAX);
      let headerText: string;
      try {
        headerText = headerLines.next()!;
      } catch (e) {
        if (e instanceof LineTooLongError) throw new UserError(`${path}: not a ksim trace: the first line is longer than ${LINE_LENGTH_MAX} characters`);
        throw e;
      }
      const crlf = headerText.endsWith('\r');
      if (crlf) headerText = headerText.slice(0, -1);
      const value = parseHeaderLine(path, headerText, () => isSmallJsonDocument(fd, fileBytes));
      const layout: Layout = { start, crlf, sealed: value.formatVersion >= SEALED_FORMAT_VERSION };
      const notes: string[] = [];
      if (start > 0) notes.push('the file starts with a UTF-8 byte order mark (an editor added it); read without it');
      if (crlf) notes.push('the file has Windows (CRLF) line endings; read as LF');
      if (!layout.sealed) {
        notes.push(`trace format version ${value.formatVersion} has no line checks: damage to it can only show as a divergence`);
        const eventsOffset = start + Buffer.byteLength(headerText, 'utf8') + (crlf ? 2 : headerLines.terminated ? 1 : 0);
        const footerText = legacyFooter(path, fd, eventsOffset, fileBytes, options.chunkBytes);
        const footer = JSON.parse(footerText) as TraceFooter;
        return new TraceReader(path, fd, value, footer, notes, layout, new LineReader(fd, start, options.chunkBytes, LINE_LENGTH_MAX), footerText);
      }
      const verifier = new LineVerifier();
      const header = verifyHeader(path, verifier, headerText);
      const footer = verifyLines(path, verifier, new LineReader(fd, start, options.chunkBytes, LINE_LENGTH_MAX), crlf);
      return new TraceReader(path, fd, header, footer, notes, layout, new LineReader(fd, start, options.chunkBytes, LINE_LENGTH_MAX));
    } catch (e) {
      fs.closeSync(fd);
      throw e;
    }
  }

  /** The next line as written (without its line ending), or undefined at the end of the file. */
  private nextLine(lineNo: number): string | undefined {
    let text: string | undefined;
    try {
      text = this.lines.next();
    } catch (e) {
      if (e instanceof LineTooLongError) throw damaged(this.path, lineNo, `the line is longer than ${e.lineLengthMax} characters`);
      throw e;
    }
    if (text !== undefined && this.layout.crlf) {
      if (!text.endsWith('\r')) throw damaged(this.path, lineNo, 'it ends with LF where every line before ends with CRLF');
      text = text.slice(0, -1);
    }
    return text;
  }

  /**
   * The next event line's content (without its check), or undefined after the last one. The file
   * was checked at open; a line that no longer checks (the file changed since) is a UserError.
   * `check` (format 1 only) also checks that the line is an event line at all.
   */
  nextEvent(check = true): string | undefined {
    if (this.ended) return undefined;
    const lineNo = this.eventsRead + 2;
    const text = this.nextLine(lineNo);
    if (text === undefined) throw damaged(this.path, lineNo, 'the file ends here, before its footer (it changed while being read)');
    if (!this.layout.sealed) return this.nextLegacyEvent(lineNo, text, check);
    const line = this.verifier.unseal(text);
    if (!line.ok) throw damaged(this.path, lineNo, line.why);
    if (this.eventsRead === this.footer.events) {
      this.ended = true;
      return undefined;
    }
    this.eventsRead++;
    return line.content;
  }

  /** Format 1: no checks, so only the shape of a line and the footer's count can be checked. */
  private nextLegacyEvent(lineNo: number, text: string, check: boolean): string | undefined {
    if (this.eventsRead === this.footer.events) {
      if (text !== this.legacyFooterText)
        throw damaged(this.path, lineNo, `the footer counts ${this.footer.events} events but the file has more`);
      if (this.nextLine(lineNo + 1) !== undefined) throw damaged(this.path, lineNo + 1, 'content after the footer, which ends the trace');
      this.ended = true;
      return undefined;
    }
    if (text === this.legacyFooterText)
      throw damaged(this.path, lineNo, `the footer counts ${this.footer.events} events but the file has ${this.eventsRead}`);
    if (check) checkEventLine(this.path, lineNo, this.eventsRead, text);
    this.eventsRead++;
    return text;
  }

  /** Whether the file's lines carry checks (format 2 on): an intact one is what ksim wrote. */
  get sealed(): boolean {
    return this.layout.sealed;
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

/** The header line as JSON: a ksim trace header of a version this ksim reads, or a UserError saying what it is. */
function parseHeaderLine(path: string, text: string, wholeFileIsJson: () => boolean): TraceHeader {
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
  return checkHeader(path, value);
}

function checkHeader(path: string, value: unknown): TraceHeader {
  const parsed = traceHeaderSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new UserError(`${path}: invalid trace header: "${issue.path.join('.') || '(header)'}": ${issue.message}`);
  }
  return value as TraceHeader;
}

/** The header without its check, once its check holds. */
function verifyHeader(path: string, verifier: LineVerifier, text: string): TraceHeader {
  const line = verifier.unseal(text);
  if (!line.ok) throw damaged(path, 1, line.why);
  return checkHeader(path, JSON.parse(line.content));
}

/**
 * The streaming pass over a sealed trace (after its header): every line's check, every line ending,
 * the footer, its event count, and the end of the file right after it. Returns the footer.
 */
function verifyLines(path: string, verifier: LineVerifier, lines: LineReader, crlf: boolean): TraceFooter {
  lines.next(); // the header, verified already
  let events = 0;
  for (let lineNo = 2; ; lineNo++) {
    let text: string | undefined;
    try {
      text = lines.next();
    } catch (e) {
      if (e instanceof LineTooLongError) throw damaged(path, lineNo, `the line is longer than ${e.lineLengthMax} characters`);
      throw e;
    }
    const truncated = () =>
      new UserError(`${path}: truncated trace: no footer after ${events} events; the run that wrote it did not finish or the file was cut`);
    if (text === undefined) throw truncated();
    // The file ends inside this line: intact only if it is the whole footer, its newline cut.
    const cut = !lines.terminated;
    if (text.endsWith('\r') !== crlf && !cut)
      throw damaged(path, lineNo, crlf ? 'it ends with LF where every line before ends with CRLF' : 'it ends with CRLF where every line before ends with LF');
    if (text.endsWith('\r')) text = text.slice(0, -1);
    const line = verifier.unseal(text);
    if (!line.ok) {
      if (cut) throw truncated();
      throw damaged(path, lineNo, line.why);
    }
    if (line.content[0] === '[') {
      events++;
      continue;
    }
    const footer = checkFooter(path, lineNo, line.content);
    if (footer.events !== events) throw damaged(path, lineNo, `the footer counts ${footer.events} events but the file has ${events}`);
    const after = lines.next();
    if (after !== undefined) throw damaged(path, lineNo + 1, `content after the footer (line ${lineNo}), which ends the trace`);
    return footer;
  }
}

function checkFooter(path: string, lineNo: number, content: string): TraceFooter {
  let value: unknown;
  try {
    value = JSON.parse(content);
  } catch (e) {
    throw damaged(path, lineNo, `the line is not JSON (${(e as Error).message})`);
  }
  if (typeof value !== 'object' || value === null || (value as { footer?: unknown }).footer !== true)
    throw damaged(path, lineNo, 'an object line that is not the footer');
  const parsed = traceFooterSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new UserError(`${path}: invalid trace footer: "${issue.path.join('.') || '(footer)'}": ${issue.message}`);
  }
  return value as TraceFooter;
}

/** Format 1: the footer is the file's last line. Returns its text. */
function legacyFooter(path: string, fd: number, eventsOffset: number, fileBytes: number, chunkBytes?: number): string {
  const last = readLastLine(fd, eventsOffset, fileBytes, LINE_LENGTH_MAX, chunkBytes);
  let footer: TraceFooter | undefined;
  if (last) {
    try {
      const value: unknown = JSON.parse(last.text);
      if (typeof value === 'object' && value !== null && (value as { footer?: unknown }).footer === true) footer = checkFooter(path, 0, last.text);
    } catch (e) {
      if (e instanceof UserError) throw e;
    }
  }
  if (!last || !footer) {
    const events = countNewlines(fd, eventsOffset);
    throw new UserError(`${path}: truncated trace: no footer after ${events} events; the run that wrote it did not finish or the file was cut`);
  }
  return last.text;
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
    throw damaged(path, lineNo, `event ${index} is not JSON (${(e as Error).message})`);
  }
  if (!Array.isArray(value) || typeof value[0] !== 'number' || typeof value[1] !== 'string')
    throw damaged(path, lineNo, `event ${index} is not an event line [timeUs, kind, ...]`);
}
