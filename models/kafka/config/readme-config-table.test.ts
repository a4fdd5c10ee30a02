// The README's config table must list every Kafka config key ksim understands, with its default:
// a key added to the catalog without documentation fails here. A key several scopes share has a
// row per scope.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CONFIG_CATALOG } from './config-catalog.ts';

const readme = readFileSync(join(import.meta.dirname, '..', '..', '..', 'README.md'), 'utf8');

describe('README config table', () => {
  it('has a row for every config key in the catalog, one per scope', () => {
    const rows = readme.split('\n').filter((l) => l.startsWith('| `'));
    const missing = CONFIG_CATALOG.filter((e) => !rows.some((r) => r.startsWith(`| \`${e.key}\``) && r.split(' | ')[1] === e.scope)).map(
      (e) => `${e.key} (${e.scope})`,
    );
    expect(missing).toEqual([]);
  });
});
