// The example user project (examples/msk-property-suite) runs its own property suite against this
// ksim: copied to a scratch directory, with ksim, vitest and fast-check linked into its
// node_modules instead of installed (no network), then run by vitest from there, as a user's CI
// would run it. It must pass: every test of the example passing, none skipped. The README's library
// snippet (the `ts` block under "Using ksim from your own tests") runs there too, as a test file
// of the project with vitest's own defaults (its 5 s testTimeout included), as a reader's would.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, expect, it } from 'vitest';

const REPO = path.join(import.meta.dirname, '..', '..');
const EXAMPLE = path.join(REPO, 'examples', 'msk-property-suite');
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'ksim-example-'));
afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

it('the example project passes its property suite with ksim linked as its dependency', () => {
  fs.cpSync(EXAMPLE, scratch, { recursive: true, filter: (src) => !src.includes(`${path.sep}node_modules`) });
  fs.writeFileSync(path.join(scratch, 'test', 'readme-snippet.test.ts'), readmeLibrarySnippet());
  const modules = path.join(scratch, 'node_modules');
  fs.mkdirSync(modules);
  fs.symlinkSync(REPO, path.join(modules, 'ksim'), 'dir');
  for (const dep of ['vitest', 'fast-check']) fs.symlinkSync(path.join(REPO, 'node_modules', dep), path.join(modules, dep), 'dir');
  const vitest = path.join(REPO, 'node_modules', 'vitest', 'vitest.mjs');
  const r = spawnSync(process.execPath, [vitest, 'run', '--root', scratch], { cwd: scratch, encoding: 'utf8', timeout: 600_000, env: { ...process.env, CI: 'true', NO_COLOR: '1', FORCE_COLOR: '0' } });
  const out = `${r.stdout}\n${r.stderr}`;
  expect(out).toMatch(/Test Files\s+2 passed \(2\)/);
  expect(out).toMatch(/Tests\s+7 passed \(7\)/);
  expect(r.status).toBe(0);
}, 600_000);

/** The README's library example: the first `ts` block of its "Using ksim from your own tests". */
function readmeLibrarySnippet(): string {
  const readme = fs.readFileSync(path.join(REPO, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## Using ksim from your own tests'));
  const block = /```ts\n([\s\S]*?)```/.exec(section);
  if (!block) throw new Error('README: no ts block under "Using ksim from your own tests"');
  return block[1];
}
