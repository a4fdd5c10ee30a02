// `ksim sweep` as a user runs it: a sweep process killed mid-way (SIGKILL, right after its first
// cell file appears) and started again with the same arguments finishes to a sweep.json identical,
// byte for byte, to an uninterrupted run's; bad grids and unknown keys exit 2 naming the problem;
// merge refuses an incomplete set of shards.
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import type { CliIo } from './cli-io.ts';
import { main } from './main.ts';

const BIN = fileURLToPath(new URL('./bin.mjs', import.meta.url));
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ksim-sweep-cli-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function startKsim(argv: string[]): { child: ChildProcess; exit: Promise<number | null> } {
  const child = spawn(process.execPath, [BIN, ...argv], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const exit = new Promise<number | null>((resolve) =>
    child.on('exit', (code) => {
      if (code !== 0 && code !== null) process.stderr.write(stderr);
      resolve(code);
    }),
  );
  return { child, exit };
}

function cellFiles(dir: string): string[] {
  const cells = path.join(dir, 'cells');
  return fs.existsSync(cells) ? fs.readdirSync(cells).filter((n) => /^\d+\.json$/.test(n)) : [];
}

async function inProcess(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: CliIo = { out: (t) => void (out += t), err: (t) => void (err += t), isTty: () => false };
  const code = await main(argv, io);
  return { code, out, err };
}

const SWEEP = ['sweep', '--scenario', 'study-az-outages', '--grid', 'acks=1,all', '--grid', 'min.insync.replicas=1,2', '--seeds', '8', '--no-traces'];

describe('ksim sweep', () => {
  it('resumes a sweep killed mid-way to the same sweep.json as an uninterrupted run', async () => {
    const whole = path.join(tmp, 'whole');
    const killed = path.join(tmp, 'killed');
    const uninterrupted = startKsim([...SWEEP, '--workers', '1', '--out', whole]);

    const victim = startKsim([...SWEEP, '--workers', '1', '--out', killed]);
    let exitedEarly = false;
    void victim.exit.then(() => (exitedEarly = true));
    while (cellFiles(killed).length === 0 && !exitedEarly) await new Promise((r) => setTimeout(r, 10));
    victim.child.kill('SIGKILL');
    await victim.exit;
    const kept = cellFiles(killed).length;
    expect(kept).toBeGreaterThanOrEqual(1);
    expect(kept).toBeLessThan(4); // it really was interrupted
    expect(fs.existsSync(path.join(killed, 'sweep.json'))).toBe(false);

    const resumed = await inProcess([...SWEEP, '--workers', '2', '--out', killed]);
    expect(resumed.code).toBe(0);
    expect(resumed.out).toMatch(new RegExp(`${kept} finished cells? found in .* and skipped`));
    expect(await uninterrupted.exit).toBe(0);
    expect(fs.readFileSync(path.join(killed, 'sweep.json'), 'utf8')).toBe(fs.readFileSync(path.join(whole, 'sweep.json'), 'utf8'));
    expect(fs.readFileSync(path.join(whole, 'sweep.md'), 'utf8')).toMatch(/^\| acks \| min\.insync\.replicas \| runs \|/);
    expect(fs.readFileSync(path.join(whole, 'sweep.csv'), 'utf8').split('\n')[0]).toMatch(/^cell,acks,min\.insync\.replicas,runs,runsWithLoss,/);
  });

  it('exits 2 naming a bad grid, an unknown key or a bad value, before running anything', async () => {
    const out = path.join(tmp, 'never');
    const base = ['--scenario', 'unclean-election'];
    const cases: [string[], RegExp][] = [
      [[...base, '--grid', 'acks'], /^ksim: --grid "acks": expected key=v1,v2/],
      [[...base, '--grid', 'ack=1,all'], /^ksim: --grid ack: unknown config key "ack" \(did you mean "acks"\?\)/],
      [[...base, '--grid', 'acks=1,2'], /^ksim: --grid acks=2: "config\.acks".* \(in the cell acks=2\)/],
      [[...base, '--grid', 'acks=1', '--set', 'acks=all'], /^ksim: --grid acks: the key is also fixed with --set acks=all/],
      [[...base, '--grid', 'acks=1', '--shard', '3/2'], /^ksim: --shard 3\/2/],
      [['--study', 'nope'], /^ksim: --study nope: no such study; studies are acks-minisr-unclean/],
    ];
    for (const [argv, message] of cases) {
      const r = await inProcess(['sweep', ...argv, '--out', out]);
      expect(r.code, argv.join(' ')).toBe(2);
      expect(r.err.trim().split('\n')).toHaveLength(1);
      expect(r.err).toMatch(message);
    }
    expect(fs.existsSync(out)).toBe(false);
  });

  it('merge refuses an incomplete set of shards and a missing --out', async () => {
    const shard = path.join(tmp, 'shard1');
    const ran = await inProcess(['sweep', '--scenario', 'unclean-election', '--set', 'durationMs=36000', '--grid', 'acks=1,all', '--seeds', '1', '--workers', '1', '--shard', '1/2', '--out', shard]);
    expect(ran.code).toBe(0);
    expect(ran.out).toMatch(/1 of 2 cells are in .*ksim sweep merge/);
    const merged = await inProcess(['sweep', 'merge', shard, '--out', path.join(tmp, 'merged')]);
    expect(merged.code).toBe(2);
    expect(merged.err).toMatch(/incomplete: cell 1 \(of 2\) in none of/);
    const noOut = await inProcess(['sweep', 'merge', shard]);
    expect(noOut.code).toBe(2);
    expect(noOut.err).toMatch(/--out DIR is required/);
  });
});
