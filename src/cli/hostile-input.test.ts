// Hostile and mistaken input, the examples of issue 17 one by one, through the command line: each
// is a one-line `ksim: ...` on stderr with exit 2 naming the field (or runs correctly where the
// input is legal), never a stack trace (exit 3), a hang, an abort in the heap, or a damaged file
// that reads as a divergence. Outputs never replace what is not a regular file, and a rerun leaves
// no temporary file of a killed one behind.

import { execFileSync, spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import type { CliIo } from './cli-io.ts';
import { main } from './main.ts';
import { traceContents } from '../trace/testing/trace-lines.ts';

const BIN = fileURLToPath(new URL('./bin.mjs', import.meta.url));
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ksim-hostile-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const SMALL = ['--scenario', 'check-small', '--set', 'durationMs=2000'];

interface Result {
  code: number;
  out: string;
  err: string;
  wallMs: number;
}

async function ksim(...argv: string[]): Promise<Result> {
  let out = '';
  let err = '';
  const io: CliIo = { out: (t) => void (out += t), err: (t) => void (err += t), isTty: () => false };
  const start = performance.now();
  const code = await main(argv, io);
  return { code, out, err, wallMs: performance.now() - start };
}

/** Exit 2, one `ksim: ...` line on stderr matching `pattern`, no stack, quickly. */
function refused(r: Result, pattern: RegExp): void {
  expect(r.code, r.err).toBe(2);
  expect(r.err).toMatch(/^ksim: [^\n]+\n$/);
  expect(r.err).toMatch(pattern);
  expect(r.err).not.toMatch(/\n\s+at /);
  expect(r.wallMs).toBeLessThan(15_000);
}

function file(name: string, content: string | Buffer): string {
  const p = path.join(tmp, name);
  fs.writeFileSync(p, content);
  return p;
}

function temps(dir: string): string[] {
  return fs.readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((n) => path.basename(n).endsWith('.tmp'));
}

/** A pid that is certainly not running: one that just exited (and was reaped). */
function deadPid(): number {
  return spawnSync(process.execPath, ['-e', '0']).pid;
}

describe('hostile scenarios are refused before the run, naming the field', () => {
  it('a hold from a node to itself', async () => {
    const p = file('hold.json', JSON.stringify({ model: 'kafka', durationMs: 1000, faults: [{ atMs: 10, kind: 'hold', from: 'b1', to: 'b1', durationMs: 10 }] }));
    refused(await ksim('run', '--scenario', p), /"faults\[0\]\.to" is "b1", the same node as "from"/);
  });

  it('sizes beyond their bounds: brokers, members, keys, rate, inherited partitions', async () => {
    refused(await ksim('run', '--set', 'cluster.brokers=4294967296'), /"cluster\.brokers": at most 200 /);
    refused(await ksim('run', '--set', 'cluster.brokers=10000'), /"cluster\.brokers": at most 200 /);
    refused(await ksim('run', '--set', 'consumerGroups=[{"group.id":"g","topics":["orders"],"members":50000}]'), /"consumerGroups\[0\]\.members": at most 1,000 /);
    const producer = (extra: string) => `producers=[{"name":"p1","az":"use1-az1","topic":"orders","ratePerSec":100${extra}}]`;
    refused(await ksim('run', '--set', producer(',"keys":1e9')), /"producers\[0\]\.keys": at most 1,000,000 /);
    refused(await ksim('run', '--set', producer(',"ratePerSec":1e9')), /"producers\[0\]\.ratePerSec": at most 100,000 /);
    refused(await ksim('run', '--set', producer(',"recordBytes":2000000')), /"producers\[0\]\.recordBytes": at most 1,048,576 \(Kafka's default max\.request\.size/);
    refused(
      await ksim('run', '--set', 'topics=[{"name":"orders"}]', '--set', 'num.partitions=2147483647'),
      /"config\.num\.partitions": topic "orders" would get 2147483647 partitions, more than 10,000/,
    );
  });

  it('a run that cannot fit limits.memoryMb, with the projection; the same run fits a raised limit', async () => {
    const fast = 'producers=[{"name":"p1","az":"use1-az1","topic":"orders","ratePerSec":100000}]';
    refused(await ksim('run', ...SMALL, '--set', 'durationMs=60000', '--set', fast), /"limits\.memoryMb": the run would need about [\d,]+ MiB \(6,000,000 records over 60,000 ms/);
    // The default scenario and a long-enough legal run are not refused.
    const r = await ksim('run', ...SMALL, '--set', fast, '--set', 'durationMs=200', '--json');
    expect(r.code, r.err).toBe(0);
  });

  it('timeouts of zero that would never leave one instant', async () => {
    refused(await ksim('run', ...SMALL, '--set', 'request.timeout.ms=0'), /request\.timeout\.ms must be at least 1 in ksim \(Kafka allows 0, but/);
    refused(await ksim('run', ...SMALL, '--set', 'metadata.max.age.ms=0'), /metadata\.max\.age\.ms must be at least 1 in ksim/);
  });

  it('JSON nested thousands of levels deep, in a file and in --set', async () => {
    const deep = (n: number) => '{"a":'.repeat(n) + '1' + '}'.repeat(n);
    refused(await ksim('run', '--scenario', file('deep.json', `{"model":"kafka","x":${deep(5000)}}`)), /nests arrays and objects more than 64 levels deep/);
    refused(await ksim('run', '--set', `config.acks=${'['.repeat(5000)}${']'.repeat(5000)}`), /--set config\.acks nests arrays and objects more than 64 levels/);
  });

  it('--set reaching the prototype, --set model, seeds beyond 2^53, acks [1], a duplicate group.id', async () => {
    refused(await ksim('run', '--set', 'network.__proto__.x=1'), /--set network\.__proto__\.x: "__proto__" is not a scenario field or config key/);
    expect(({} as Record<string, unknown>).x).toBeUndefined();
    refused(await ksim('run', '--set', 'model=heartbeat'), /unknown fields "preset", "era"/);
    refused(await ksim('run', '--set', 'seed=18446744073709551617'), /"seed": at most 9007199254740991 \(2\^53 - 1\) as a JSON number: .* write it as a string/);
    refused(await ksim('run', '--set', 'acks=[1]'), /acks must be 0, 1, -1 or "all", got \[1\]/);
    const groups = 'consumerGroups=[{"group.id":"g","topics":["orders"],"members":2},{"group.id":"g","topics":["orders"],"members":1}]';
    refused(await ksim('run', '--set', groups), /"consumerGroups\[1\]\.group\.id": duplicate group\.id "g"/);
  });

  it('a BOM in a scenario file is skipped; FIFOs, directories and devices are refused without being read', async () => {
    const bom = file('bom.json', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(JSON.stringify({ model: 'heartbeat', durationMs: 500 }))]));
    expect((await ksim('run', '--scenario', bom)).code).toBe(0);
    const fifo = path.join(tmp, 'scenario.fifo');
    execFileSync('mkfifo', [fifo]);
    refused(await ksim('run', '--scenario', fifo), /cannot read scenario ".*scenario\.fifo": it is a FIFO \(named pipe\), not a regular file/);
    refused(await ksim('replay', fifo), /cannot read trace ".*scenario\.fifo": it is a FIFO/);
    refused(await ksim('run', '--scenario', tmp), /it is a directory, not a regular file/);
    refused(await ksim('run', '--scenario', '/dev/zero'), /it is a character device, not a regular file/);
  });
});

describe('flags', () => {
  it('check: --path x:y, --runs 0, a misspelt --property, a seed beyond fast-check\'s', async () => {
    refused(await ksim('check', '--seed', '1', '--path', 'x:y', '--runs', '1'), /--path "x:y": expected numbers separated by colons/);
    // a path past every generated run ran nothing: refused, not "every run passed"
    refused(await ksim('check', '--scenario', 'check-small', '--seed', '1', '--path', '5000:99:99'), /--path 5000:99:99: no generated case at that path for --seed 1/);
    refused(await ksim('check', '--runs', '0'), /--runs "0": expected an integer from 1 to/);
    refused(await ksim('check', '--property', 'lost-wirte', '--runs', '1'), /--property lost-wirte: model "kafka" checks no property of that name \(did you mean "lost-write"\?\)/);
    // a comma list, as --fail-on takes: each name checked
    refused(await ksim('check', '--property', 'duplicate,lost-wirte', '--runs', '1'), /--property lost-wirte: model "kafka" checks no property of that name/);
    const listed = await ksim('check', '--property', 'duplicate, lost-write', '--runs', '1', '--seed', '1', '--workers', '1', '--json');
    expect(listed.code, listed.err).toBe(0);
    // An observer (the run summary) is not a property: naming it would make every run pass.
    const observer = await ksim('check', '--property', 'kafka-summary', '--runs', '1');
    refused(observer, /--property kafka-summary: model "kafka" checks no property of that name/);
    expect(observer.err).not.toMatch(/kafka-coverage/);
    refused(await ksim('check', '--seed', '4294967297', '--runs', '1'), /--seed "4294967297": expected an integer from 0 to 2147483647/);
  });

  it('sweep: a million-cell grid is refused at once, counted from its axes', async () => {
    const values = Array.from({ length: 1000 }, (_, i) => i).join(',');
    refused(await ksim('sweep', '--grid', `linger.ms=${values}`, '--grid', `retries=${values}`, '--out', path.join(tmp, 'huge')), /1000 x 1000 = 1,000,000 cells, more than the 4,096/);
    expect(fs.existsSync(path.join(tmp, 'huge'))).toBe(false);
  });
});

describe('outputs', () => {
  it('--trace "" and --trace /dev/full are refused; the device is left a device', async () => {
    refused(await ksim('run', ...SMALL, '--trace', ''), /trace "": the path is empty/);
    refused(await ksim('run', ...SMALL, '--trace', '/dev/full'), /cannot write trace "\/dev\/full": the path is a character device; ksim replaces only regular files/);
    expect(fs.statSync('/dev/full').isCharacterDevice()).toBe(true);
    refused(await ksim('run', ...SMALL, '--trace', tmp), /the path is a directory/);
  });

  it('output directories that are missing, unusable or not directories: one line each, before any work', async () => {
    const plain = file('plain.txt', 'not a directory');
    refused(await ksim('sweep', ...SMALL, '--seeds', '1', '--out', '/proc/x'), /cannot create --out "\/proc\/x": no such file or directory/);
    refused(await ksim('sweep', ...SMALL, '--seeds', '1', '--out', path.join(plain, 'x')), /plain\.txt" is a regular file, not a directory/);
    refused(await ksim('sweep', 'merge', tmp, '--out', path.join(plain, 'x')), /plain\.txt" is a regular file, not a directory/);
    refused(await ksim('check', '--runs', '1', '--traces-dir', path.join(plain, 'x')), /--traces-dir .*plain\.txt" is a regular file, not a directory/);
    const study = fileURLToPath(new URL('../../models/kafka/studies/acks-minisr-unclean', import.meta.url));
    refused(await ksim('report', study, '-o', path.join(tmp, 'r.html'), '--svg-dir', path.join(plain, 'svg')), /--svg-dir .*plain\.txt" is a regular file/);
    refused(await ksim('report', study, '-o', path.join(tmp, 'no-such-dir', 'r.html')), /directory ".*no-such-dir" does not exist/);
  });

  it("sweep --out refuses a non-empty directory that is not a sweep, and leaves another program's sweep.csv alone", async () => {
    const other = path.join(tmp, 'other');
    fs.mkdirSync(other);
    fs.writeFileSync(path.join(other, 'sweep.csv'), 'theirs\n');
    fs.writeFileSync(path.join(other, 'notes.md'), 'theirs\n');
    refused(await ksim('sweep', ...SMALL, '--seeds', '1', '--out', other), /--out .*other: the directory is not empty and holds no ksim sweep/);
    expect(fs.readFileSync(path.join(other, 'sweep.csv'), 'utf8')).toBe('theirs\n');
  });

  it('a symbolic link at the temporary name is not followed', async () => {
    const victim = file('victim.txt', 'keep me\n');
    const target = path.join(tmp, 'linked.jsonl');
    fs.symlinkSync(victim, path.join(tmp, `.linked.jsonl.${process.pid}.tmp`));
    expect((await ksim('run', '--scenario', 'heartbeat-az-outage', '--set', 'durationMs=500', '--set', 'faults=[]', '--trace', target)).code).toBe(0);
    expect(fs.readFileSync(victim, 'utf8')).toBe('keep me\n');
    expect((await ksim('replay', target)).code).toBe(0);
  });

  it('kill -9 of run --trace leaves a temporary file that the next run removes', async () => {
    const dir = fs.mkdtempSync(path.join(tmp, 'kill-run-'));
    const trace = path.join(dir, 'run.jsonl');
    const child = spawn(process.execPath, [BIN, 'run', '--set', 'durationMs=60000', '--trace', trace], { stdio: 'ignore' });
    let done = false;
    const exited = new Promise((resolve) => child.on('exit', resolve)).then(() => (done = true));
    while (temps(dir).length === 0 && !done) await new Promise((r) => setTimeout(r, 20));
    child.kill('SIGKILL');
    await exited;
    expect(temps(dir)).toHaveLength(1);
    expect(fs.existsSync(trace)).toBe(false);
    expect((await ksim('run', '--scenario', 'heartbeat-az-outage', '--set', 'durationMs=500', '--set', 'faults=[]', '--trace', trace)).code).toBe(0);
    expect(temps(dir)).toEqual([]);
  });

  it('kill -9 of a sweep: the rerun removes every temporary file the killed one left', async () => {
    const out = path.join(tmp, 'killed-sweep');
    const args = ['sweep', '--scenario', 'heartbeat-az-outage', '--set', 'durationMs=2000', '--set', 'faults=[]', '--grid', 'heartbeat.intervalMs=50,100,200', '--seeds', '4', '--workers', '1', '--out', out];
    const child = spawn(process.execPath, [BIN, ...args], { stdio: 'ignore' });
    let done = false;
    const exited = new Promise((resolve) => child.on('exit', resolve)).then(() => (done = true));
    while (!fs.existsSync(path.join(out, 'sweep-spec.json')) && !done) await new Promise((r) => setTimeout(r, 10));
    child.kill('SIGKILL');
    await exited;
    // What a kill in the middle of writing leaves (a kill at an exact write cannot be timed): files of a dead process.
    const dead = deadPid();
    for (const name of [`.sweep.json.${dead}.tmp`, path.join('cells', `.0.json.${dead}.tmp`), path.join('traces', `.cell-0-seed-1.jsonl.${dead}.1.tmp`)])
      fs.writeFileSync(path.join(out, name), 'partial');
    const r = await ksim(...args);
    expect(r.code, r.err).toBe(0);
    expect(temps(out)).toEqual([]);
  });
});

describe('damaged traces are damaged, never a divergence', () => {
  it('CRLF is read with a note; an event edited into other valid JSON, a trace followed by a copy of itself are damaged', async () => {
    const trace = path.join(tmp, 't.jsonl');
    expect((await ksim('run', '--scenario', 'heartbeat-az-outage', '--set', 'durationMs=2000', '--set', 'faults=[]', '--trace', trace)).code).toBe(0);
    const lines = fs.readFileSync(trace, 'utf8').split('\n').slice(0, -1);

    const crlf = file('crlf.jsonl', lines.join('\r\n') + '\r\n');
    const r = await ksim('replay', crlf);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/identical/);
    expect(r.out).toMatch(/Windows \(CRLF\) line endings; read as LF/);

    const edited = [...lines];
    edited[10] = edited[10].replace(/^\[(\d+),/, (_, t: string) => `[${Number(t) + 1},`);
    refused(await ksim('replay', file('edited.jsonl', edited.join('\n') + '\n')), /edited\.jsonl: damaged at line 11: its check does not match/);
    refused(await ksim('timeline', path.join(tmp, 'edited.jsonl'), '-o', path.join(tmp, 'edited.html')), /damaged at line 11/);

    // A format 1 trace has no checks: a line edited into something the timeline cannot draw is named.
    const v1 = traceContents(trace);
    v1[0] = JSON.stringify({ ...JSON.parse(v1[0]), formatVersion: 1 });
    v1[6] = '[6,"fault",1,"schedule",null]';
    refused(await ksim('timeline', file('v1.jsonl', v1.join('\n')), '-o', path.join(tmp, 'v1.html'), '--no-replay'), /v1\.jsonl: line 7 cannot be drawn .*format 1 trace carries no checks/);

    const once = lines.join('\n') + '\n';
    refused(await ksim('replay', file('twice.jsonl', once + once)), new RegExp(`twice\\.jsonl: damaged at line ${lines.length + 1}: content after the footer`));
  });
});
