// The README's study tables are what the committed studies hold (npm run readme writes them).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { withStudyTables } from './readme-study-tables.ts';

describe('README study tables', () => {
  const readme = fs.readFileSync(path.join(import.meta.dirname, '..', '..', 'README.md'), 'utf8');

  it('are the committed sweep.md tables of every study the README names', () => {
    const { text, missing } = withStudyTables(readme);
    expect(missing).toEqual([]);
    expect(text === readme, 'README study tables are stale: run npm run readme').toBe(true);
  });

  it('catch an edited figure', () => {
    const edited = readme.replace(/^(\| `all` \| `2` \| `false` \| )\d+/m, '$1999');
    expect(edited).not.toBe(readme);
    expect(withStudyTables(edited).text).toBe(withStudyTables(readme).text);
  });
});
