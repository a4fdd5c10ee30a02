// `npm run readme`: regenerates the output blocks of README.md. Every `$ npx ksim ...` command
// shown with output is run for real (long ones too: check with its full --runs, sweeps) in a
// scratch directory, and its output in the README is replaced by the real one, abridged as the
// README marks it (readme-examples.ts). Commands shown without output are left as they are. The
// study tables are rewritten from the studies' sweep.md (readme-study-tables.ts).
// Usage: npm run readme [-- --only <text>]   (--only: just the commands containing <text>)

import * as fs from 'node:fs';
import * as path from 'node:path';
import { abridgeLike, readmeBlocks, readmeWorkDir, runKsim } from './readme-examples.ts';
import { withStudyTables } from './readme-study-tables.ts';

const README = path.join(import.meta.dirname, '..', '..', 'README.md');

function main(): void {
  const onlyAt = process.argv.indexOf('--only');
  const only = onlyAt >= 0 ? process.argv[onlyAt + 1] : undefined;
  const text = fs.readFileSync(README, 'utf8');
  const lines = text.split('\n');
  const work = readmeWorkDir();
  // From the last block up, so earlier line numbers stay right.
  for (const block of readmeBlocks(text).reverse()) {
    const body: string[] = [];
    block.commands.forEach((c, i) => {
      body.push(...c.lines);
      const shown = only === undefined || c.lines.join(' ').includes(only);
      if (c.output.length > 0 && shown) {
        process.stderr.write(`running: ksim ${c.argv.join(' ')}\n`);
        body.push(...abridgeLike(c.output, runKsim(work, c.argv).lines));
      } else body.push(...c.output);
      if (c.gapAfter && i < block.commands.length - 1) body.push('');
    });
    lines.splice(block.start + 1, block.end - block.start - 1, ...body);
  }
  // The study tables, from each study's committed sweep.md (re-run a study with ksim sweep --study).
  fs.writeFileSync(README, withStudyTables(lines.join('\n')).text);
  process.stderr.write(`README.md regenerated (scratch directory ${work})\n`);
}

main();
