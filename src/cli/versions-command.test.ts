// `ksim versions` prints the version table (the one the README holds) and exits 0.
import { describe, expect, it } from 'vitest';
import { main } from './main.ts';

describe('ksim versions', () => {
  it('prints one row per supported version, 0.10 to 4.1, with the Apache release it simulates, MSK builds and metadata modes', async () => {
    let out = '';
    const code = await main(['versions'], { out: (t) => void (out += t), err: () => {} });
    expect(code).toBe(0);
    const rows = out.trim().split('\n');
    expect(rows[0]).toBe('| version | Apache release | MSK | metadata modes | lacks (reproduces the flaw) | Apache defaults that differ from 4.0 | configs it does not have yet |');
    expect(rows[2]).toMatch(/^\| 0\.10 \| 0\.10\.2 \| - \| ZooKeeper \| KIP-101, /);
    expect(rows.at(-2)).toBe('| 4.0 | 4.0.0 | 4.0.x | KRaft | KIP-966 (ELR), KAFKA-15591 (since KIP-360, 2.5) | - | - |');
    expect(rows.at(-1)).toBe('| 4.1 | 4.1.0 | 4.1.x | KRaft | KAFKA-15591 (since KIP-360, 2.5) | - | - |');
    expect(out).toContain('| 2.8 | 2.8.0 | 2.8.x | ZooKeeper, KRaft (early-access, refused) |');
  });
});
