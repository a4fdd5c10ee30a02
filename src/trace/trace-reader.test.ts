// The trace reader: lines split correctly across chunk boundaries (including multi-byte UTF-8),
// the footer is found from the tail, and every kind of damaged or foreign file is refused with a
// one-line UserError that says what is wrong and where.

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MODELS, PING_SCENARIO } from '../scenario/testing/fixture-registry.ts';
import { resolveScenario } from '../scenario/resolve-scenario.ts';
import { UserError } from '../scenario/user-error.ts';
import { countNewlines, LineReader, LineTooLongError, readLastLine, readTraceFile, TraceReader } from './trace-reader.ts';
import { recordTrace } from './trace-writer.ts';

let dir: string;
let good: string;
let lines: string[]; // the good trace's lines: header, events..., footer
let eventCount: number;

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ksim-trace-reader-'));
  good = path.join(dir, 'good.jsonl');
  const res = resolveScenario(PING_SCENARIO, MODELS, { settings: ['faults=[]', 'durationMs=3000'] });
  recordTrace(res, good);
  lines = fs.readFileSync(good, 'utf8').split('\n');
  expect(lines.pop()).toBe(''); // the file ends with a newline
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
    const p = file('newer.jsonl', [JSON.stringify(header), ...lines.slice(1)].join('\n') + '\n');
    expect(failure(p)).toMatch(/format version 99 is newer than this ksim reads \(up to 1\)/);
  });

  it('refuses a header with missing fields', () => {
    const header = JSON.parse(lines[0]);
    delete header.scenario;
    const p = file('nohdr.jsonl', [JSON.stringify(header), ...lines.slice(1)].join('\n') + '\n');
    expect(failure(p)).toMatch(/invalid trace header: "scenario"/);
  });

  it('refuses a truncated trace, counting the complete events before the cut', () => {
    const cutAtLine = [lines[0], ...lines.slice(1, 41)].join('\n') + '\n';
    expect(failure(file('cut-line.jsonl', cutAtLine))).toBe(
      `${path.join(dir, 'cut-line.jsonl')}: truncated trace: no footer after 40 events; the run that wrote it did not finish or the file was cut`,
    );
    const cutMidLine = cutAtLine + lines[41].slice(0, 7);
    expect(failure(file('cut-mid.jsonl', cutMidLine))).toMatch(/truncated trace: no footer after 40 events/);
    expect(failure(file('header-only.jsonl', lines[0] + '\n'))).toMatch(/truncated trace: no footer after 0 events/);
    expect(failure(file('header-cut.jsonl', lines[0]))).toMatch(/truncated trace: no footer after 0 events/);
  });

  it('refuses a damaged event line, naming the line and event', () => {
    const damaged = [...lines];
    damaged[31] = damaged[31].slice(0, -1); // drop the closing bracket of event 30
    expect(failure(file('damaged.jsonl', damaged.join('\n') + '\n'))).toMatch(/line 32 \(event 30\) is not JSON/);
    damaged[31] = '{"an":"object"}';
    expect(failure(file('object.jsonl', damaged.join('\n') + '\n'))).toMatch(/line 32 \(event 30\) is not an event line/);
  });

  it('refuses a footer whose event count disagrees with the file', () => {
    const footer = JSON.parse(lines[lines.length - 1]);
    const withCount = (n: number) => [...lines.slice(0, -1), JSON.stringify({ ...footer, events: n })].join('\n') + '\n';
    expect(failure(file('more.jsonl', withCount(eventCount + 3)))).toMatch(
      new RegExp(`footer counts ${eventCount + 3} events but the file has ${eventCount}`),
    );
    expect(failure(file('fewer.jsonl', withCount(eventCount - 3)))).toMatch(
      new RegExp(`footer counts ${eventCount - 3} events but the file has more`),
    );
  });

  it('refuses a footer with missing fields', () => {
    const p = file('badfooter.jsonl', [...lines.slice(0, -1), '{"footer":true,"events":1}'].join('\n') + '\n');
    expect(failure(p)).toMatch(/invalid trace footer/);
  });

  it('names a missing file and a directory', () => {
    expect(failure(path.join(dir, 'nope.jsonl'))).toMatch(/no such trace file/);
    expect(failure(dir)).toMatch(/is a directory/);
  });
});
