// The swarm line of a counterexample (check-report.ts swarmPhrase): it says what the run enabled,
// and a composite's own fault is never hidden behind a bare "fault kinds (none)".

import { describe, expect, it } from 'vitest';
import { swarmPhrase } from './check-report.ts';

describe('swarmPhrase', () => {
  it('names the fault kinds and targets of a run without composites, as before', () => {
    expect(swarmPhrase({ kinds: ['crash', 'hold'], targets: ['blind', 'roles'], focus: 'orders-0' })).toBe('fault kinds crash, hold; targets blind, roles (roles of orders-0)');
    expect(swarmPhrase({ kinds: ['crash'], targets: ['blind'], operations: [], composites: [] })).toBe('fault kinds crash; operations (none); composites (none); targets blind');
  });

  it('puts composites first, as a fault with operations, and the kinds drawn alone beside them', () => {
    const line = swarmPhrase({ kinds: [], targets: ['layout'], operations: [], composites: ['replica cut + leader chain'], focus: 'orders-0' });
    expect(line).toBe('composites replica cut + leader chain, each a fault with the faults or operations it holds, aimed at the roles of orders-0; fault kinds beside them (none); operations beside them (none)');
    expect(line).not.toMatch(/^fault kinds \(none\)/);
  });

  it('names the targets when a fault kind or an operation is drawn alone beside composites', () => {
    expect(swarmPhrase({ kinds: [], targets: ['roles'], operations: ['preferred-leader-election'], composites: ['controller cut + leader chain'], focus: 'orders-1' })).toBe(
      'composites controller cut + leader chain, each a fault with the faults or operations it holds, aimed at the roles of orders-1; fault kinds beside them (none); operations beside them preferred-leader-election; targets roles (roles of orders-1)',
    );
  });
});
