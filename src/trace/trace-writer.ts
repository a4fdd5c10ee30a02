// Writes a trace file while the run goes: lines are sealed (line-seal.ts) and appended to a fixed
// 256 KiB buffer that is flushed with fs.writeSync, so a run of any length never holds its trace in
// memory. The file is written under a temporary name beside the target (created exclusively) and
// renamed into place only after the footer is written and fsynced: a trace at the target path is
// always complete, a run that throws (a limit, a bug) leaves nothing behind, and the temporary
// files of a killed run are removed when the same target is written again. Only a missing path or
// a regular file is replaced (output-file.ts).

import * as fs from 'node:fs';
import type { LineSink } from '../kernel/event-log.ts';
import type { Resolution } from '../scenario/resolve-scenario.ts';
import type { RunReport } from '../scenario/run-report.ts';
import { runResolved, type RunOptions } from '../scenario/run-scenario.ts';
import { checkReplaceable, commitTemp, createTempBeside, removeStaleTempsOf, writeAllSync } from '../files/output-file.ts';
import { LineSealer } from './line-seal.ts';
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
  private readonly sealer = new LineSealer();
  private readonly what: string;

  private constructor(
    readonly targetPath: string,
    header: TraceHeader,
  ) {
    this.what = `trace "${targetPath}"`;
    checkReplaceable(targetPath, this.what);
    removeStaleTempsOf(targetPath);
    const { fd, tempPath } = createTempBeside(targetPath, this.what);
    this.fd = fd;
    this.tempPath = tempPath;
    this.append(this.sealer.seal(JSON.stringify(header)));
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
    this.append(this.sealer.seal(text));
    this.events++;
  }

  /** Writes the footer, makes the file durable and moves it to the target path. */
  finish(footer: TraceFooter): void {
    if (footer.events !== this.events) throw new Error(`footer counts ${footer.events} events, ${this.events} were written`);
    this.append(this.sealer.seal(JSON.stringify(footer)));
    this.flush();
    fs.fsyncSync(this.fd);
    fs.closeSync(this.fd);
    this.done = true;
    commitTemp(this.tempPath, this.targetPath, this.what);
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
    writeAllSync(this.fd, bytes, this.what);
    this.flushedBytes += bytes.length;
  }
}

interface RecordedRun {
  report: RunReport;
  tracePath: string;
  traceBytes: number;
}

/** Runs a resolved scenario and writes its trace to `tracePath`; no file is left if the run throws. */
export function recordTrace(res: Resolution, tracePath: string, options: Omit<RunOptions, 'lineSink'> = {}): RecordedRun {
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
