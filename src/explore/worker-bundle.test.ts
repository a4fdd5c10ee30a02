// The pool threads' prebuilt bundle (worker-bundle.ts): built on first use, reused while its
// inputs are unchanged, rebuilt when one changes (also at the same size, and when the bundle file
// or the manifest is gone or torn; processes building it at once each get a whole one), and null, not an exception, when it cannot be built, so the
// threads fall back to the sources through tsx. The check on threads running the bundle gives the
// outcome of threads running the sources, and of the one-thread check, for a seed whose
// counterexample is found late and shrunk.
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { MODELS } from '../scenario/testing/fixture-registry.ts';
import { runCheck, type CheckOptions, type CheckOutcome } from './check-runner.ts';
import { workerBundle, type BundleOutcome } from './worker-bundle.ts';
import { runCheckOnWorkers } from './worker-check-engine.ts';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ksim-worker-bundle-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));
afterEach(() => void delete process.env.KSIM_WORKER_BUNDLE);

/** A two-module package in its own directory: entry.ts re-exports dep.ts's `value` doubled. */
function fixture(name: string, value: string): { dir: string; dep: string; modules: { url: string; names: string[] }[] } {
  const dir = path.join(tmp, name);
  fs.mkdirSync(dir);
  const dep = path.join(dir, 'dep.ts');
  fs.writeFileSync(dep, `export const value: number = ${value};\n`);
  fs.writeFileSync(path.join(dir, 'entry.ts'), "import { value } from './dep.ts';\nexport const doubled: number = 2 * value;\n");
  return { dir, dep, modules: [{ url: pathToFileURL(path.join(dir, 'entry.ts')).href, names: ['doubled'] }] };
}

async function doubledOf(outcome: BundleOutcome): Promise<number> {
  if (outcome.url === null) throw new Error(`no bundle: ${outcome.reason}`);
  return ((await import(outcome.url)) as { doubled: number }).doubled;
}

describe('workerBundle', () => {
  it('builds once, reuses while the inputs are unchanged, rebuilds when one changes or the cache is damaged', async () => {
    const { dir, dep, modules } = fixture('rebuild', '21');
    const cache = path.join(dir, 'cache');
    const first = workerBundle(modules, cache);
    expect(first).toMatchObject({ built: true });
    expect(await doubledOf(first)).toBe(42);
    expect(workerBundle(modules, cache)).toEqual({ url: first.url, built: false });

    // rewritten with the same contents (a checkout): the hash vouches for it, no rebuild
    fs.writeFileSync(dep, fs.readFileSync(dep));
    expect(workerBundle(modules, cache)).toEqual({ url: first.url, built: false });

    // the same size, other contents: rebuilt
    fs.writeFileSync(dep, 'export const value: number = 12;\n');
    const edited = workerBundle(modules, cache);
    expect(edited).toMatchObject({ built: true });
    expect(edited.url).not.toBe(first.url);
    expect(await doubledOf(edited)).toBe(24);

    // the bundle file removed, then the manifest torn: rebuilt each time, the same code
    fs.rmSync(new URL(edited.url!));
    expect(workerBundle(modules, cache)).toEqual({ url: edited.url, built: true });
    const manifest = fs.readdirSync(cache).find((f) => f.endsWith('.json'))!;
    fs.writeFileSync(path.join(cache, manifest), '{"format":1,"bund');
    expect(workerBundle(modules, cache)).toEqual({ url: edited.url, built: true });
    expect(await doubledOf(workerBundle(modules, cache))).toBe(24);
    // no temporary file is left behind
    expect(fs.readdirSync(cache).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('three processes building the same bundle at once each get a whole one, and leave one manifest', async () => {
    const { dir, modules } = fixture('concurrent', '5');
    const cache = path.join(dir, 'cache');
    const script = path.join(dir, 'build.mts');
    fs.writeFileSync(
      script,
      `import { workerBundle } from ${JSON.stringify(new URL('./worker-bundle.ts', import.meta.url).href)};\n` +
        `const b = workerBundle(${JSON.stringify(modules)}, ${JSON.stringify(cache)});\n` +
        'const m = b.url === null ? null : await import(b.url);\n' +
        'process.stdout.write(JSON.stringify({ url: b.url, doubled: m?.doubled }));\n',
    );
    const root = fileURLToPath(new URL('../../', import.meta.url));
    const build = () =>
      new Promise<{ url: string | null; doubled: number }>((resolve, reject) => {
        const child = spawn(process.execPath, ['--import', 'tsx', script], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
        let out = '';
        child.stdout.on('data', (d: Buffer) => void (out += d.toString()));
        child.on('close', (code) => (code === 0 ? resolve(JSON.parse(out) as { url: string | null; doubled: number }) : reject(new Error(`exit ${code}`))));
      });
    const results = await Promise.all([build(), build(), build()]);
    for (const r of results) expect(r).toEqual({ url: results[0].url, doubled: 10 });
    expect(results[0].url).not.toBeNull();
    expect(fs.readdirSync(cache).sort()).toEqual([path.basename(fileURLToPath(results[0].url!)), path.basename(fileURLToPath(results[0].url!)).replace(/-[0-9a-f]+\.mjs$/, '.json')].sort());
    expect(workerBundle(modules, cache)).toEqual({ url: results[0].url, built: false });
  }, 60_000);

  it('answers null with the reason when it cannot build, or when asked not to', () => {
    const { dir, dep, modules } = fixture('broken', '1');
    fs.writeFileSync(dep, 'export const value: number = ;\n');
    const broken = workerBundle(modules, path.join(dir, 'cache'));
    expect(broken.url).toBeNull();
    expect(broken).toMatchObject({ reason: expect.stringContaining('Build failed') });

    const fine = fixture('unwritable', '1');
    fs.writeFileSync(path.join(fine.dir, 'cache'), 'a file where the cache directory would be');
    expect(workerBundle(fine.modules, path.join(fine.dir, 'cache')).url).toBeNull();

    process.env.KSIM_WORKER_BUNDLE = '0';
    expect(workerBundle(fixture('off', '1').modules, path.join(tmp, 'off', 'cache'))).toEqual({ url: null, reason: 'KSIM_WORKER_BUNDLE=0' });
  });
});

describe('runCheckOnWorkers on bundled threads', () => {
  const registryUrl = new URL('../scenario/testing/fixture-registry.ts', import.meta.url).href;
  const comparable = (o: CheckOutcome) => ({ ...o, counterexample: o.counterexample && { case: o.counterexample.case, traceHash: o.counterexample.report.traceHash } });

  it('finds and shrinks the same counterexample as threads running the sources through tsx', async () => {
    // the ping fixture's never-forgive bug, one fault a run: seed 16 fails first at its fifth run
    const opts: CheckOptions = { raw: { model: 'ping', durationMs: 10_000 }, models: MODELS, settings: ['ping.bug="never-forgive"'], runs: 100, seed: 16, faultsMax: 1 };
    // the threads' bundle can be built here (else both checks would run the sources)
    const task = new URL('./worker-check-task.ts', import.meta.url).href;
    expect(workerBundle([{ url: task, names: ['runCheckTask'] }, { url: registryUrl, names: ['MODELS'] }]).url).not.toBeNull();
    const bundled = await runCheckOnWorkers({ ...opts, workers: 2, registryUrl });
    process.env.KSIM_WORKER_BUNDLE = '0';
    const sources = await runCheckOnWorkers({ ...opts, workers: 2, registryUrl });
    expect(bundled.runs).toBe(5);
    expect(bundled.counterexample!.case.faults.length).toBe(1);
    expect(comparable(bundled)).toEqual(comparable(sources));
    expect(comparable(bundled)).toEqual(comparable(runCheck(opts)));
  });
});
