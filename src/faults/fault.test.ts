// The catalog of fault kinds: what every descriptor must satisfy (so a new kind is checked by
// being listed), and the README's fault table, which is the descriptors' docs.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FAULT_KINDS, faultKindOf, faultNameRefsOf, type Fault } from './fault.ts';

describe('fault kinds', () => {
  it('are listed once each, lasting kinds before the undo kinds that share their README row', () => {
    expect(new Set(FAULT_KINDS).size).toBe(FAULT_KINDS.length);
    FAULT_KINDS.forEach((kind, i) => {
      const doc = faultKindOf(kind).doc;
      if ('sameRowAs' in doc) expect(FAULT_KINDS.slice(0, i)).toContain(doc.sameRowAs);
    });
  });

  it('that last may end by themselves; undo kinds take no duration', () => {
    for (const kind of FAULT_KINDS) {
      const { shape } = faultKindOf(kind).schema;
      expect('durationMs' in shape, kind).toBe(faultKindOf(kind).role === 'lasting');
    }
  });

  it('name their node and AZ fields by path, in field order', () => {
    const refs = (f: Fault) => faultNameRefsOf(f).map((r) => `${r.path}=${r.names}:${r.name}`);
    expect(refs({ atMs: 0, kind: 'partition', groups: [['a'], ['b', 'c']] })).toEqual([
      'groups[0][0]=node:a',
      'groups[1][0]=node:b',
      'groups[1][1]=node:c',
    ]);
    expect(refs({ atMs: 0, kind: 'release', from: 'a', to: 'b' })).toEqual(['from=node:a', 'to=node:b']);
    expect(refs({ atMs: 0, kind: 'az-outage', az: 'az1', durationMs: 3 })).toEqual(['az=az:az1']);
    expect(refs({ atMs: 0, kind: 'heal' })).toEqual([]);
  });
});

/** The README's fault table, row by row, as the descriptors document their kinds. */
function faultTable(): string[] {
  const rows = ['| kind | fields | effect |', '|---|---|---|'];
  for (const kind of FAULT_KINDS) {
    const doc = faultKindOf(kind).doc;
    if ('sameRowAs' in doc) continue;
    const sharing = FAULT_KINDS.filter((k) => {
      const other = faultKindOf(k).doc;
      return 'sameRowAs' in other && other.sameRowAs === kind;
    });
    const cells = [[kind, ...sharing].map((k) => `\`${k}\``).join(' / '), doc.fields, doc.effect];
    rows.push(`|${cells.map((c) => (c ? ` ${c} ` : ' ')).join('|')}|`);
  }
  return rows;
}

describe('README fault table', () => {
  it('is the fault kinds’ docs (descriptors in src/faults/kinds), in catalog order', () => {
    const readme = readFileSync(join(import.meta.dirname, '..', '..', 'README.md'), 'utf8').split('\n');
    const start = readme.indexOf('| kind | fields | effect |');
    const end = readme.indexOf('', start);
    const expected = faultTable();
    expect(readme.slice(start, end).join('\n'), `replace the table under "### Faults" with:\n${expected.join('\n')}\n`).toBe(
      expected.join('\n'),
    );
  });
});
