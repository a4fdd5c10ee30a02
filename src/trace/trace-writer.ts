// Writes a trace file while the run goes: lines are appended to a fixed 256 KiB buffer that is
// flushed with fs.writeSync, so a run of any length never holds its trace in memory. The file is
// written under a temporary name beside the target and renamed into place only after the footer
// is written and fsynced: a trace at the target path is always complete, and a run that throws
// (a limit, a bug) leaves nothing behind.

import * as fs from 'node:fs';
import * as path from 'node:path';
import type { LineSink } from '../kernel/event-log.ts';
import type { Resolution } from '../scenario/resolve-scenario.ts';
import type { RunReport } from '../scenario/run-report.ts';
import { runResolved, type RunOptions } from '../scenario/run-scenario.ts';
import { UserError } from '../scenario/user-error.ts';
import { buildTraceFooter, buildTraceHeader, type TraceFooter, type TraceHeader } from './trace-format.ts';

const BUFFER_BYTES = 256 * 1024;
/** UTF-8 needs at most 3 bytes per UTF-16 code unit. */
const UTF8_BYTES_PER_CODE_UNIT_MAX = 3;

export class TraceWriter implements LineSink {
  readonly tempPath: string;
  /** Event lines written so far. */
  events = 0;
  private fd: number;
  private flushedBytes = 0;
  private readonly buffer = Buffer.allocUnsafe(BUFFER_BYTES);
  private used = 0;
  private done = false;

  private constructor(
    readonly targetPath: string,
    header: TraceHeader,
  ) {
    const { fd, tempPath } = openTemp(targetPath);
    this.fd = fd;
    this.tempPath = tempPath;
    this.append(JSON.stringify(header));
  }

  /** Starts a trace at `targetPath` (written under a temporary name until finish). */
  static open(targetPath: string, header: TraceHeader): TraceWriter {
    return new TraceWriter(targetPath, header);
  }

  /** Bytes of the trace so far (header, event lines and, once finished, footer). */
  get bytes(): number {
    return this.flushedBytes + this.used;
  }

  line(index: number, text: string): void {
    if (index !== this.events) throw new Error(`trace line ${index} out of order; expected ${this.events}`);
    this.append(text);
    this.events++;
  }

  /** Writes the footer, makes the file durable and moves it to the target path. */
  finish(footer: TraceFooter): void {
    if (footer.events !== this.events) throw new Error(`footer counts ${footer.events} events, ${this.events} were written`);
    this.append(JSON.stringify(footer));
    this.flush();
    fs.fsyncSync(this.fd);
    fs.closeSync(this.fd);
    this.done = true;
    fs.renameSync(this.tempPath, this.targetPath);
    syncDirectory(path.dirname(this.targetPath));
  }

  /** Drops the partial trace. Safe to call after finish (it then does nothing). */
  abort(): void {
    if (this.done) return;
    this.done = true;
    try {
      fs.closeSync(this.fd);
    } catch {
      // already closed: the file is still removed below
    }
    fs.rmSync(this.tempPath, { force: true });
  }

  private append(text: string): void {
    if (text.length * UTF8_BYTES_PER_CODE_UNIT_MAX + 1 > BUFFER_BYTES - this.used) {
      this.flush();
      if (text.length * UTF8_BYTES_PER_CODE_UNIT_MAX + 1 > BUFFER_BYTES) {
        this.writeAll(Buffer.from(text + '\n', 'utf8'));
        return;
      }
    }
    const n = this.buffer.write(text, this.used, 'utf8');
    this.buffer[this.used + n] = 0x0a;
    this.used += n + 1;
  }

  private flush(): void {
    if (this.used === 0) return;
    this.writeAll(this.buffer.subarray(0, this.used));
    this.used = 0;
  }

  private writeAll(bytes: Buffer): void {
    let off = 0;
    while (off < bytes.length) off += fs.writeSync(this.fd, bytes, off, bytes.length - off);
    this.flushedBytes += bytes.length;
  }
}

function openTemp(targetPath: string): { fd: number; tempPath: string } {
  const dir = path.dirname(targetPath);
  const base = path.basename(targetPath);
  // The pid keeps concurrent writers of the same target apart; the counter handles a stale leftover.
  for (let attempt = 0; ; attempt++) {
    const tempPath = path.join(dir, `.${base}.${process.pid}${attempt ? '.' + attempt : ''}.tmp`);
    try {
      return { fd: fs.openSync(tempPath, 'wx'), tempPath };
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'EEXIST' && attempt < 100) continue;
      if (code === 'ENOENT') throw new UserError(`cannot write trace "${targetPath}": directory "${dir}" does not exist`);
      if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS')
        throw new UserError(`cannot write trace "${targetPath}": no permission to create files in "${dir}"`);
      throw e;
    }
  }
}

/** Makes the rename durable too; some file systems refuse to fsync a directory, which is fine. */
function syncDirectory(dir: string): void {
  let fd: number | undefined;
  try {
    fd = fs.openSync(dir, 'r');
    fs.fsyncSync(fd);
  } catch {
    // best effort
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

interface RecordedRun {
  report: RunReport;
  tracePath: string;
  traceBytes: number;
}

/** Runs a resolved scenario and writes its trace to `tracePath`; no file is left if the run throws. */
export function recordTrace(res: Resolution, tracePath: string, options: Omit<RunOptions, 'lineSink'> = {}): RecordedRun {
  if (fs.existsSync(tracePath) && fs.statSync(tracePath).isDirectory())
    throw new UserError(`cannot write trace "${tracePath}": it is a directory`);
  const writer = TraceWriter.open(tracePath, buildTraceHeader(res));
  try {
    const report = runResolved(res, { ...options, lineSink: writer });
    writer.finish(buildTraceFooter(report));
    return { report, tracePath, traceBytes: writer.bytes };
  } catch (e) {
    writer.abort();
    throw e;
  }
}
