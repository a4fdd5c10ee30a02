// The README's study tables, written from each study's committed sweep.md (models/*/studies/NAME/)
// so they are generated, never hand-edited. A study paragraph names its study in backquotes and
// parentheses, "**...** (`NAME`)"; the first markdown table after it is that study's sweep.md
// table, with the columns the README shows (those the README's table already has, matched by name,
// "writer " ignored).

import * as fs from 'node:fs';
import * as path from 'node:path';

const ROOT = path.join(import.meta.dirname, '..', '..');

/** sweep.md of study `name` under any model's studies/, or null. */
function studyTable(name: string): string[] | null {
  for (const model of fs.readdirSync(path.join(ROOT, 'models'))) {
    const file = path.join(ROOT, 'models', model, 'studies', name, 'sweep.md');
    if (fs.existsSync(file)) return fs.readFileSync(file, 'utf8').split('\n').filter((l) => l.startsWith('|'));
  }
  return null;
}

const cells = (row: string) => row.slice(1, -1).split('|').map((c) => c.trim());
const normal = (header: string) => header.replace(/^writer /, '');

/** `table` (sweep.md rows) cut to the columns named in `shownHeader` (a README table's header row). */
function selectColumns(table: string[], shownHeader: string): string[] {
  const wanted = new Set(cells(shownHeader).map(normal));
  const header = cells(table[0]);
  const keep = header.map((h, i) => (wanted.has(normal(h)) ? i : -1)).filter((i) => i >= 0);
  return table.map((row) => `| ${keep.map((i) => cells(row)[i]).join(' | ')} |`);
}

/** The README text with every study table rewritten from its sweep.md; names of studies not found. */
export function withStudyTables(readme: string): { text: string; missing: string[] } {
  const lines = readme.split('\n');
  const missing: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const named = /^\*\*.+\*\* \(`([a-z0-9-]+)`\)/.exec(lines[i]);
    if (named === null) continue;
    const table = studyTable(named[1]);
    if (table === null) {
      missing.push(named[1]);
      continue;
    }
    let start = i + 1;
    while (start < lines.length && !lines[start].startsWith('|')) start++;
    let end = start;
    while (end < lines.length && lines[end].startsWith('|')) end++;
    if (start >= lines.length) continue;
    lines.splice(start, end - start, ...selectColumns(table, lines[start]));
  }
  return { text: lines.join('\n'), missing };
}
