// The import rules of .dependency-cruiser.cjs (also run by `npm run lint:deps`): the project keeps
// them; tests, left out of that cruise, import no model from the engine either; and each rule
// catches a bad example of what it forbids.
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';
import { cruise, type ICruiseOptions, type IForbiddenRuleType, type IViolation } from 'dependency-cruiser';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from './source-files.ts';

const config = createRequire(import.meta.url)('../../.dependency-cruiser.cjs') as { forbidden: IForbiddenRuleType[]; options: ICruiseOptions };

async function violations(dirs: string[], forbidden: IForbiddenRuleType[], baseDir = PROJECT_ROOT, options: ICruiseOptions = config.options): Promise<IViolation[]> {
  const cwd = process.cwd();
  // The cruise resolves paths from the working directory as well as from baseDir.
  process.chdir(baseDir);
  try {
    const result = await cruise(dirs, { ...options, baseDir, validate: true, ruleSet: { forbidden } });
    if (typeof result.output === 'string') throw new Error(result.output);
    return result.output.summary.violations;
  } finally {
    process.chdir(cwd);
  }
}

const describeViolation = (v: IViolation) => `${v.rule.name}: ${v.from} -> ${v.to}${v.cycle ? ` (cycle ${v.cycle.map((c) => c.name).join(' -> ')})` : ''}`;

describe('tidy: import rules', () => {
  it('src/ and models/ keep every rule ', async () => {
    expect((await violations(['src', 'models'], config.forbidden)).map(describeViolation)).toEqual([]);
  });

  it('no test in src/ imports a model, and no test in the kernel imports what is built on it', async () => {
    const rules = config.forbidden.filter((r) => ['src-not-to-models', 'kernel-not-upward', 'not-to-properties'].includes(r.name!));
    const withTests = { ...config.options, exclude: { path: ['node_modules'] } };
    expect((await violations(['src', 'models'], rules, PROJECT_ROOT, withTests)).map(describeViolation)).toEqual([]);
  });


  it('each rule catches what it forbids', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ksim-tidy-imports-'));
    const files: Record<string, string> = {
      'src/sim/uses-model.ts': "import { x } from '../../models/m/model.ts';\nexport const y = x;\n",
      'models/m/model.ts': "import { p } from '../../properties/suite.ts';\nexport const x = p;\n",
      'properties/suite.ts': 'export const p = 1;\n',
      'src/kernel/uses-report.ts': "import { r } from '../report/report.ts';\nexport const k = r;\n",
      'src/report/report.ts': "import { c } from '../cli/command.ts';\nexport const r = c;\n",
      'src/cli/command.ts': 'export const c = 1;\n',
      'src/explore/one.ts': "import type { Two } from './two.ts';\nexport type One = { two?: Two };\n",
      'src/explore/two.ts': "import type { One } from './one.ts';\nexport type Two = { one?: One };\n",
      'src/net/a.ts': "import { f } from '../faults/f.ts';\nexport const a = f;\n",
      'src/faults/f.ts': "import { b } from '../net/b.ts';\nexport const f = b;\n",
      'src/net/b.ts': 'export const b = 1;\n',
    };
    for (const [file, text] of Object.entries(files)) {
      fs.mkdirSync(path.join(dir, path.dirname(file)), { recursive: true });
      fs.writeFileSync(path.join(dir, file), text);
    }
    try {
      const caught = new Set((await violations(['src', 'models'], config.forbidden, dir)).map((v) => v.rule.name));
      expect([...caught].sort()).toEqual(['kernel-not-upward', 'no-circular', 'no-folder-cycles', 'not-to-properties', 'only-cli-to-cli', 'src-not-to-models']);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
