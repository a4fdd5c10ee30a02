// `ksim history` and `ksim check-history` end to end, in-process: exit codes 0/1/2 by the verdict
// rule, Jepsen's anomaly names in the output, and an exported run that reads back and checks.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from './main.ts';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ksim-history-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

async function ksim(...argv: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, { out: (t) => void (stdout += t), err: (t) => void (stderr += t) });
  return { code, stdout, stderr };
}

function file(name: string, text: string): string {
  const p = path.join(dir, name);
  fs.writeFileSync(p, text);
  return p;
}

// One consumer reads offsets 0 and 2 of key 0 in two polls: a poll-skip over value 11.
const SKIP = [
  '{:type :invoke, :f :send, :process 0, :index 0, :time 0, :value [[:send 0 10] [:send 0 11] [:send 0 12]]}',
  '{:type :ok, :f :send, :process 0, :index 1, :time 1, :value [[:send 0 [0 10]] [:send 0 [1 11]] [:send 0 [2 12]]]}',
  '{:type :invoke, :f :poll, :process 1, :index 2, :time 2, :value [[:poll]]}',
  '{:type :ok, :f :poll, :process 1, :index 3, :time 3, :value [[:poll {0 [[0 10]]}]]}',
  '{:type :invoke, :f :poll, :process 1, :index 4, :time 4, :value [[:poll]]}',
  '{:type :ok, :f :poll, :process 1, :index 5, :time 5, :value [[:poll {0 [[2 12]]}]]}',
].join('\n');

describe('ksim check-history', () => {
  it('exit 1 on a poll-skip, named as Jepsen names it with the ops by their :index', async () => {
    const r = await ksim('check-history', file('skip.edn', SKIP));
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('poll-skip (breach): poll-skip in 0: process 1 read 10 then 12 of 0 between op@3 and op@5, skipping 11');
    expect(r.stdout).toContain('verdict: FAILED');
  });

  it('exit 0 when the consumer read everything, and with --fail-on none', async () => {
    const clean = SKIP.replace('{0 [[2 12]]}', '{0 [[1 11] [2 12]]}');
    expect((await ksim('check-history', file('clean.edn', clean))).code).toBe(0);
    expect((await ksim('check-history', file('skip2.edn', SKIP), '--fail-on', 'none')).code).toBe(0);
  });

  it("exit 1 on a G1c cycle (Elle's, in Jepsen's words); allowed with --ww-deps, as Jepsen's checker allows it", async () => {
    const circle = file(
      'circle.edn',
      [
        '{:type :invoke, :f :txn, :process 0, :index 0, :time 0, :value [[:send :x :a] [:poll]]}',
        '{:type :invoke, :f :txn, :process 1, :index 1, :time 1, :value [[:send :y :b] [:poll]]}',
        '{:type :ok, :f :txn, :process 0, :index 2, :time 2, :value [[:send :x [0 :a]] [:poll {:y [[0 :b]]}]]}',
        '{:type :ok, :f :txn, :process 1, :index 3, :time 3, :value [[:send :y [0 :b]] [:poll {:x [[0 :a]]}]]}',
      ].join('\n'),
    );
    const r = await ksim('check-history', circle);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('  G1c (breach): G1c: op@2 -> op@3 -> op@2: op@2 sent :a to :x which was polled by op@3; op@3 sent :b to :y which was polled by op@2');
    const ww = await ksim('check-history', circle, '--ww-deps');
    expect(ww.code).toBe(0);
    expect(ww.stdout).toContain("allowed (Jepsen's allowed-error-types): G1c x1, PL-2-cycle-exists x1");
  });

  it('exit 2 with a one-line error for a missing file or a history that is not EDN', async () => {
    const missing = await ksim('check-history', path.join(dir, 'nope.edn'));
    expect(missing.code).toBe(2);
    const bad = await ksim('check-history', file('bad.edn', '{:type :ok :f'));
    expect(bad.code).toBe(2);
    expect(bad.stderr.trim().split('\n')).toHaveLength(1);
    expect(bad.stderr).toMatch(/^ksim: history: not valid EDN/);
  });

  it('exit 2, not a pass, for a file with no client operation: empty, a map that is no op, ops without an integer :process', async () => {
    for (const [name, text] of [
      ['empty.edn', ''],
      ['map.edn', '{:foo 1}\n'],
      ['nil-process.edn', '{:type :ok, :f :txn, :process nil, :index 0, :time -1, :value [[:poll {:x [[0 :a]]}]]}\n'],
    ]) {
      const r = await ksim('check-history', file(name, text));
      expect(r.code, name).toBe(2);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(/no client operation in it/);
    }
    // a history of assigns alone has client ops: judged (Jepsen reports empty-transaction-graph)
    const assigns = await ksim('check-history', file('assigns.edn', '{:type :invoke, :f :assign, :process 0, :index 0, :time 0, :value [:x]}\n{:type :ok, :f :assign, :process 0, :index 1, :time 1, :value [:x]}\n'));
    expect(assigns.code).toBe(1);
    expect(assigns.stdout).toMatch(/empty-transaction-graph/);
  });
});

describe('ksim history', () => {
  it('exports a run that check-history reads back; --json counts its ops', async () => {
    const out = path.join(dir, 'run.edn');
    const r = await ksim('history', '--scenario', 'msk-3az-outage', '--set', 'faults=[]', '--set', 'durationMs=3000', '-o', out);
    expect(r.code).toBe(0);
    const lines = fs.readFileSync(out, 'utf8').trim().split('\n');
    expect(lines[0]).toMatch(/^\{:type :invoke :f :send :process 0 :index 0 :time \d+ :value \[\[:send "orders-\d+" \d+\]\]\}$/);
    // The counts printed add up to the completed ops written: one :ok/:info/:fail line per op.
    const m = /: (\d+) completed ops \((\d+) sends, (\d+) polls, (\d+) assigns; the final reader's (\d+) assigns? and (\d+) polls?\)/.exec(r.stdout)!;
    const [total, ...parts] = m.slice(1).map(Number);
    expect(parts.reduce((a, b) => a + b, 0)).toBe(total);
    expect(lines.filter((l) => !l.startsWith('{:type :invoke')).length).toBe(total);
    const checked = await ksim('check-history', out, '--json');
    expect(checked.code).toBe(0);
    expect(JSON.parse(checked.stdout).ops).toBe(lines.length);
  });

  it('refuses a trace together with --scenario, and another model than kafka', async () => {
    expect((await ksim('history', 'x.jsonl', '--scenario', 'msk-3az-outage', '-o', path.join(dir, 'a.edn'))).code).toBe(2);
    const hb = await ksim('history', '--scenario', 'heartbeat-az-outage', '-o', path.join(dir, 'b.edn'));
    expect(hb.code).toBe(2);
    expect(hb.stderr).toContain('only for the kafka model');
  });
});
