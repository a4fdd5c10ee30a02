// The `ksim` command from its bundle (bin.mjs, src/explore/module-bundle.mjs): each source keeps
// its own import.meta.url inside the bundle, so files found next to a module are found; the
// bundled command gives what the sources through tsx give (same trace hash, same check result on
// pool threads, which it starts from inside the bundle); without a bundle it still runs.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { moduleBundle } from '../explore/module-bundle.mjs';
import { spawnKsim } from './testing/spawn-ksim.ts';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ksim-bin-bundle-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const ksim = (env: Record<string, string>, ...argv: string[]) => spawnKsim(argv, env);

describe('moduleBundle', () => {
  it("keeps each source's own import.meta.url, so a file beside it is found from the bundle", async () => {
    const dir = path.join(tmp, 'own-url');
    fs.mkdirSync(path.join(dir, 'sub'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'sub', 'data.txt'), 'beside the module');
    fs.writeFileSync(path.join(dir, 'sub', 'reader.ts'), "import * as fs from 'node:fs';\nexport const here: string = import.meta.url;\nexport const text: string = fs.readFileSync(new URL('./data.txt', import.meta.url), 'utf8');\n");
    const reader = path.join(dir, 'sub', 'reader.ts');
    const bundle = await moduleBundle(`export { here, text } from ${JSON.stringify(reader)};\n`, path.join(dir, 'cache'));
    expect(bundle).toMatchObject({ built: true });
    const m = (await import(bundle.url!)) as { here: string; text: string };
    expect(m.here).toBe(pathToFileURL(reader).href);
    expect(m.text).toBe('beside the module');
  });

  it('does the same for a plain JavaScript module (module-bundle.mjs finds its cache from the package root)', async () => {
    const dir = path.join(tmp, 'own-url-mjs');
    fs.mkdirSync(path.join(dir, 'sub'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'sub', 'reader.mjs'), 'export const here = import.meta.url;\n');
    const reader = path.join(dir, 'sub', 'reader.mjs');
    const bundle = await moduleBundle(`export { here } from ${JSON.stringify(reader)};\n`, path.join(dir, 'cache'));
    const m = (await import(bundle.url!)) as { here: string };
    expect(m.here).toBe(pathToFileURL(reader).href);
  });
});

describe("the ksim command's own bundle", () => {
  it('builds from the sources (a build error would leave every command on the slower tsx path, with the same results)', async () => {
    const main = path.resolve('src/cli/main.ts');
    const bundle = await moduleBundle(`export { main } from ${JSON.stringify(main)};\n`, path.join(tmp, 'main-bundle'));
    expect(bundle).toMatchObject({ built: true });
    expect(bundle.url).not.toBeNull();
  }, 120_000);
});

describe('the ksim command from its bundle', () => {
  const run = ['run', '--scenario', 'check-small', '--set', 'durationMs=3000', '--json'];

  it('gives the trace hash the sources through tsx give', async () => {
    const [bundled, sources] = await Promise.all([ksim({}, ...run), ksim({ KSIM_BUNDLE: '0' }, ...run)]);
    expect(bundled.code, bundled.stderr).toBe(0);
    expect(sources.code, sources.stderr).toBe(0);
    expect(JSON.parse(bundled.stdout).traceHash).toBe(JSON.parse(sources.stdout).traceHash);
  }, 120_000);

  it('starts check threads from inside the bundle, with the result of the one-thread check', async () => {
    const check = ['check', '--scenario', 'check-small', '--runs', '4', '--seed', '5', '--json'];
    const [two, one] = await Promise.all([ksim({}, ...check, '--workers', '2'), ksim({}, ...check, '--workers', '1')]);
    expect(two.code, two.stderr).toBe(0);
    const strip = (s: string) => {
      const o = JSON.parse(s) as Record<string, unknown>;
      return { runs: o.runs, counterexample: o.counterexample ?? null, coverage: o.coverage };
    };
    expect(strip(two.stdout)).toEqual(strip(one.stdout));
  }, 120_000);
});
