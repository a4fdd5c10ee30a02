// The trace reader: lines split correctly across chunk boundaries (including multi-byte UTF-8),
// every kind of damaged or foreign file is refused with a one-line UserError that says what is
// wrong and where ("damaged at line N"), what editors do to files (a BOM, CRLF line endings) is
// read with a note, and format 1 traces (no checks) are still read, with a note.

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MODELS, PING_SCENARIO } from '../scenario/testing/fixture-registry.ts';
import { resolveScenario } from '../scenario/resolve-scenario.ts';
import { UserError } from '../scenario/user-error.ts';
import { countNewlines, LineReader, LineTooLongError, readLastLine } from './line-reader.ts';
import { readTraceFile, TraceReader } from './trace-reader.ts';
import { recordTrace } from './trace-writer.ts';
import { sealedTrace, traceContents } from './testing/trace-lines.ts';

let dir: string;
let good: string;
let raw: string[]; // the good trace's lines as written: header, events..., footer
let lines: string[]; // their contents (without checks)
let eventCount: number;

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ksim-trace-reader-'));
  good = path.join(dir, 'good.jsonl');
  const res = resolveScenario(PING_SCENARIO, MODELS, { settings: ['faults=[]', 'durationMs=3000'] });
  recordTrace(res, good);
  raw = fs.readFileSync(good, 'utf8').split('\n');
  expect(raw.pop()).toBe(''); // the file ends with a newline
  lines = traceContents(good);
  eventCount = lines.length - 2;
  expect(eventCount).toBeGreaterThan(50);
});
afterAll(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

function file(name: string, content: string | Buffer): string {
  const p = path.join(dir, name);
  fs.writeFileSync(p, content);
  return p;
}

/** The UserError message for opening and fully reading `p`. */
function failure(p: string): string {
  try {
    readTraceFile(p);
  } catch (e) {
    expect(e).toBeInstanceOf(UserError);
    const message = (e as Error).message;
    expect(message).not.toContain('\n');
    return message;
  }
  throw new Error(`${p} was accepted`);
}

describe('LineReader', () => {
  const text = 'first\nsecond line é€😀\n\nlast without newline';
  const withFd = <T>(content: string, fn: (fd: number) => T): T => {
    const fd = fs.openSync(file('lines.txt', content), 'r');
    try {
      return fn(fd);
    } finally {
      fs.closeSync(fd);
    }
  };

  it('splits lines the same for every chunk size, keeping multi-byte characters whole', () => {
    for (const chunkBytes of [1, 2, 3, 5, 7, 64, 65536]) {
      const got = withFd(text, (fd) => {
        const reader = new LineReader(fd, 0, chunkBytes);
        const out: string[] = [];
        for (let l = reader.next(); l !== undefined; l = reader.next()) out.push(l);
        expect(reader.terminated).toBe(false);
        return out;
      });
      expect(got, `chunkBytes=${chunkBytes}`).toEqual(text.split('\n'));
    }
  });

  it('starts at an offset, stops over-long lines, and counts newlines', () => {
    withFd(text, (fd) => {
      const reader = new LineReader(fd, Buffer.byteLength('first\n'), 4);
      expect(reader.next()).toBe('second line é€😀');
      expect(() => new LineReader(fd, 0, 2, 3).next()).toThrow(LineTooLongError);
      expect(new LineReader(fd, 0, 2, 5).next()).toBe('first');
      expect(countNewlines(fd, 0, 3)).toBe(3);
      expect(countNewlines(fd, 6, 3)).toBe(2);
    });
  });

  it('finds the last non-blank line from the tail', () => {
    for (const chunkBytes of [1, 3, 1000]) {
      withFd('head\nmiddle\nlast é line\n\n \n', (fd) => {
        const size = fs.fstatSync(fd).size;
        expect(readLastLine(fd, 0, size, 1000, chunkBytes)).toEqual({ text: 'last é line', offset: 12 });
        expect(readLastLine(fd, 12, size, 1000, chunkBytes)).toEqual({ text: 'last é line', offset: 12 });
        expect(readLastLine(fd, 0, size, 5, chunkBytes)).toBeUndefined(); // longer than allowed
      });
      withFd('only\n', (fd) => expect(readLastLine(fd, 5, 5, 1000, chunkBytes)).toBeUndefined());
    }
  });
});

describe('TraceReader', () => {
  it('streams every event line with small chunks too', () => {
    const reader = TraceReader.open(good, { chunkBytes: 13 });
    try {
      const got: string[] = [];
      for (let l = reader.nextEvent(); l !== undefined; l = reader.nextEvent()) got.push(l);
      expect(got).toEqual(lines.slice(1, -1));
      expect(reader.nextEvent()).toBeUndefined();
      expect(reader.footer.events).toBe(eventCount);
      expect(reader.notes).toEqual([]);
    } finally {
      reader.close();
    }
  });

  it('refuses an empty file', () => {
    expect(failure(file('empty.jsonl', ''))).toMatch(/empty file/);
  });

  it('refuses garbage and a first line that is not JSON', () => {
    const bytes = Buffer.alloc(4096);
    for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 7919 + 13) & 0xff;
    expect(failure(file('garbage.bin', bytes))).toMatch(/^.*garbage\.bin: not a ksim trace/);
    expect(failure(file('brace.jsonl', '{not json\n[0,"up","n1"]\n'))).toMatch(/not a ksim trace: the first line is not JSON/);
  });

  it('refuses a foreign JSON file', () => {
    expect(failure(file('foreign.json', '{"name":"some other tool","version":1}\n'))).toMatch(/foreign file/);
    expect(failure(file('foreign2.json', '{"format":"other-trace","formatVersion":1}\n'))).toMatch(/foreign file/);
  });

  it('refuses a newer format version, naming it', () => {
    const header = JSON.parse(lines[0]);
    header.formatVersion = 99;
    const p = file('newer.jsonl', sealedTrace([JSON.stringify(header), ...lines.slice(1)]));
    expect(failure(p)).toMatch(/format version 99 is newer than this ksim reads \(up to 2\)/);
  });

  it('refuses a header with missing fields', () => {
    const header = JSON.parse(lines[0]);
    delete header.scenario;
    const p = file('nohdr.jsonl', sealedTrace([JSON.stringify(header), ...lines.slice(1)]));
    expect(failure(p)).toMatch(/invalid trace header: "scenario"/);
  });

  it('refuses a truncated trace, counting the complete events before the cut', () => {
    const cutAtLine = [raw[0], ...raw.slice(1, 41)].join('\n') + '\n';
    expect(failure(file('cut-line.jsonl', cutAtLine))).toBe(
      `${path.join(dir, 'cut-line.jsonl')}: truncated trace: no footer after 40 events; the run that wrote it did not finish or the file was cut`,
    );
    const cutMidLine = cutAtLine + raw[41].slice(0, 7);
    expect(failure(file('cut-mid.jsonl', cutMidLine))).toMatch(/truncated trace: no footer after 40 events/);
    expect(failure(file('header-only.jsonl', raw[0] + '\n'))).toMatch(/truncated trace: no footer after 0 events/);
    expect(failure(file('header-cut.jsonl', raw[0]))).toMatch(/truncated trace: no footer after 0 events/);
    const footerCut = raw.join('\n').slice(0, -5);
    expect(failure(file('footer-cut.jsonl', footerCut))).toMatch(new RegExp(`truncated trace: no footer after ${eventCount} events`));
  });

  it('refuses a damaged event line, naming the line', () => {
    const damaged = [...raw];
    damaged[31] = damaged[31].slice(0, -1); // drop the closing bracket of event 30
    expect(failure(file('damaged.jsonl', damaged.join('\n') + '\n'))).toMatch(/damaged at line 32: it has no check at its end/);
    damaged[31] = '{"an":"object"}';
    expect(failure(file('object.jsonl', damaged.join('\n') + '\n'))).toMatch(/damaged at line 32: it has no check at its end/);
    const resealed = [...lines];
    resealed[31] = '{"an":"object"}';
    expect(failure(file('object-sealed.jsonl', sealedTrace(resealed)))).toMatch(/damaged at line 32: an object line that is not the footer/);
    const flipped = Buffer.from(raw.join('\n') + '\n');
    flipped[Buffer.byteLength(raw.slice(0, 20).join('\n')) + 5] ^= 0x04; // one bit of line 21
    expect(failure(file('bitflip.jsonl', flipped))).toMatch(/damaged at line 21: /);
  });

  it('refuses repeated, swapped and extra lines at the first line that breaks the chain', () => {
    const repeated = [...raw.slice(0, 11), raw[10], ...raw.slice(11)];
    expect(failure(file('repeated.jsonl', repeated.join('\n') + '\n'))).toMatch(/damaged at line 12: its check does not match/);
    const swapped = [...raw];
    [swapped[5], swapped[6]] = [swapped[6], swapped[5]];
    expect(failure(file('swapped.jsonl', swapped.join('\n') + '\n'))).toMatch(/damaged at line 6: /);
    expect(failure(file('blank.jsonl', raw.join('\n') + '\n\n'))).toMatch(new RegExp(`damaged at line ${raw.length + 1}: content after the footer`));
  });

  it('refuses a trace followed by a copy of itself', () => {
    const once = raw.join('\n') + '\n';
    expect(failure(file('twice.jsonl', once + once))).toBe(
      `${path.join(dir, 'twice.jsonl')}: damaged at line ${raw.length + 1}: content after the footer (line ${raw.length}), which ends the trace; the file was edited or corrupted after ksim wrote it`,
    );
  });

  it('refuses a footer whose event count disagrees with the file', () => {
    const footer = JSON.parse(lines[lines.length - 1]);
    const withCount = (n: number) => sealedTrace([...lines.slice(0, -1), JSON.stringify({ ...footer, events: n })]);
    for (const n of [eventCount + 3, eventCount - 3])
      expect(failure(file(`count-${n}.jsonl`, withCount(n)))).toMatch(
        new RegExp(`damaged at line ${lines.length}: the footer counts ${n} events but the file has ${eventCount}`),
      );
  });

  it('refuses a footer with missing fields', () => {
    const p = file('badfooter.jsonl', sealedTrace([...lines.slice(0, -1), '{"footer":true,"events":1}']));
    expect(failure(p)).toMatch(/invalid trace footer/);
  });

  it('reads CRLF line endings throughout and a byte order mark, with a note; refuses mixed endings at their line', () => {
    const crlf = file('crlf.jsonl', raw.join('\r\n') + '\r\n');
    const bom = file('bom.jsonl', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(raw.join('\n') + '\n')]));
    for (const p of [crlf, bom]) {
      const reader = TraceReader.open(p, { chunkBytes: 7 });
      const got: string[] = [];
      for (let l = reader.nextEvent(); l !== undefined; l = reader.nextEvent()) got.push(l);
      reader.close();
      expect(got).toEqual(lines.slice(1, -1));
    }
    expect(TraceReader.open(crlf).notes).toEqual(['the file has Windows (CRLF) line endings; read as LF']);
    expect(TraceReader.open(bom).notes[0]).toMatch(/byte order mark/);
    const mixed = [...raw];
    mixed[40] += '\r';
    expect(failure(file('mixed.jsonl', mixed.join('\n') + '\n'))).toMatch(/damaged at line 41: it ends with CRLF where every line before ends with LF/);
    expect(failure(file('mixed2.jsonl', raw.slice(0, 30).join('\r\n') + '\n' + raw.slice(30).join('\r\n') + '\r\n'))).toMatch(
      /damaged at line 30: it ends with LF where every line before ends with CRLF/,
    );
  });

  it('reads a trace without the newline after its footer', () => {
    expect(readTraceFile(file('no-final-newline.jsonl', raw.join('\n'))).events).toEqual(lines.slice(1, -1));
  });

  it('reads a format 1 trace (no checks), with a note, and still refuses one followed by a copy of itself', () => {
    const v1 = [JSON.stringify({ ...JSON.parse(lines[0]), formatVersion: 1 }), ...lines.slice(1)];
    const reader = TraceReader.open(file('v1.jsonl', v1.join('\n') + '\n'));
    const got: string[] = [];
    for (let l = reader.nextEvent(); l !== undefined; l = reader.nextEvent()) got.push(l);
    reader.close();
    expect(got).toEqual(lines.slice(1, -1));
    expect(reader.notes).toEqual(['trace format version 1 has no line checks: damage to it can only show as a divergence']);
    expect(failure(file('v1-twice.jsonl', (v1.join('\n') + '\n').repeat(2)))).toMatch(new RegExp(`damaged at line ${v1.length + 1}: content after the footer`));
    const bad = [...v1];
    bad[31] = bad[31].slice(0, -1);
    expect(failure(file('v1-bad.jsonl', bad.join('\n') + '\n'))).toMatch(/damaged at line 32: event 30 is not JSON/);
  });

  it('names a missing file, a directory and a FIFO without opening it', () => {
    expect(failure(path.join(dir, 'nope.jsonl'))).toMatch(/cannot read trace ".*nope\.jsonl": no such file or directory/);
    expect(failure(dir)).toMatch(/it is a directory, not a regular file/);
    const fifo = path.join(dir, 'fifo.jsonl');
    execFileSync('mkfifo', [fifo]);
    expect(failure(fifo)).toMatch(/it is a FIFO \(named pipe\), not a regular file/);
  });
});
