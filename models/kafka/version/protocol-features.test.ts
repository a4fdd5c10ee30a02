// The era table: every era is a consistent row (a capability that builds on another needs it), and
// later eras only add capabilities, as Kafka's protocol only gained them.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { capabilitiesAt, flawsLackingFixes, flawsNamedIn, KAFKA_FLAW_NAMES, regressionAbsence, PROTOCOL_CAPABILITIES, PROTOCOL_ERAS, PROTOCOL_FEATURES, protocolEraTable, type ProtocolFeatures } from './protocol-features.ts';

const capabilities = (f: ProtocolFeatures) => PROTOCOL_CAPABILITIES.filter((c) => f[c]);

describe('protocol features', () => {
  it('lists the eras oldest first, the default era last', () => {
    expect(PROTOCOL_ERAS).toEqual(['hw-truncation', 'kip-101', 'kip-279', 'current']);
  });

  it('needs truncation by leader epoch for every later truncation or fencing capability', () => {
    for (const era of PROTOCOL_ERAS) {
      const f = PROTOCOL_FEATURES[era];
      if (f.truncationWalksBackEpochs || f.isrJoinNeedsLeaderEpochStart || f.fetchCarriesLeaderEpoch) expect(f.truncationByLeaderEpoch, era).toBe(true);
    }
  });

  it('only gains capabilities from one era to the next', () => {
    for (let i = 1; i < PROTOCOL_ERAS.length; i++) {
      const before = capabilities(PROTOCOL_FEATURES[PROTOCOL_ERAS[i - 1]]);
      const after = capabilities(PROTOCOL_FEATURES[PROTOCOL_ERAS[i]]);
      expect(after, PROTOCOL_ERAS[i]).toEqual(expect.arrayContaining(before));
      expect(after.length).toBeGreaterThan(before.length);
    }
  });

  it('the README holds the era table as the feature table generates it', () => {
    const readme = readFileSync(join(import.meta.dirname, '..', '..', '..', 'README.md'), 'utf8');
    const table = protocolEraTable();
    expect(table.split('\n')[2]).toMatch(/^\| `hw-truncation` \| 0\.10 \| - \| a follower truncates to its high watermark/);
    expect(readme.includes(table), 'README era table stale: run npm run readme').toBe(true);
  });

  it('the flaw names --fail-on accepts are the KIPs and JIRAs of the fixes, each once', () => {
    expect(KAFKA_FLAW_NAMES.slice(0, 3)).toEqual(['KIP-101', 'KIP-279', 'KAFKA-6361']);
    expect(KAFKA_FLAW_NAMES).toContain('KIP-966');
    expect(new Set(KAFKA_FLAW_NAMES).size).toBe(KAFKA_FLAW_NAMES.length);
    expect(flawsNamedIn(["KIP-966's last replica standing", 'KIP-101, fixed in Kafka 0.11', 'KIP-1 and KIP-101 again'])).toEqual(['KIP-966', 'KIP-101']);
  });

  it('KAFKA-15591, which KIP-360 brought in 2.5 and no simulated release fixes, is a flaw from 2.5 on, not before', () => {
    expect(KAFKA_FLAW_NAMES).toContain('KAFKA-15591');
    expect(flawsLackingFixes(capabilitiesAt('2.4.0'))).not.toContain('KAFKA-15591');
    expect(flawsLackingFixes(capabilitiesAt('2.4.0'))).toContain('KIP-360');
    for (const release of ['2.5.0', '3.9.0', '4.1.0']) expect(flawsLackingFixes(capabilitiesAt(release)), release).toContain('KAFKA-15591');
    expect(regressionAbsence('KAFKA-15591')).toBe('it came with KIP-360 (Kafka 2.5)');
    expect(regressionAbsence('KIP-380')).toBeUndefined();
  });

  it('KAFKA-7414 (a follower ahead of its leader exits rather than truncate) is a flaw through 2.0.0, fixed in 2.0.1 and 2.1', () => {
    expect(KAFKA_FLAW_NAMES).toContain('KAFKA-7414');
    for (const release of ['0.10.2', '0.11.0', '1.1.0', '2.0.0']) expect(flawsLackingFixes(capabilitiesAt(release)), release).toContain('KAFKA-7414');
    for (const release of ['2.0.1', '2.1.0', '3.9.0']) expect(flawsLackingFixes(capabilitiesAt(release)), release).not.toContain('KAFKA-7414');
  });
});
