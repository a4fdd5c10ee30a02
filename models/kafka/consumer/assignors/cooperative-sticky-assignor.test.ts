// CooperativeStickyAssignor (KIP-429): the sticky assignment, minus partitions that change owner in
// this round (Kafka's adjustAssignment drops partitionsTransferringOwnership); the owner revokes
// them and the follow-up rebalance hands them over.
import { describe, expect, it } from 'vitest';
import { assignByName, member } from './assignor-test-kit.ts';
import { CooperativeStickyAssignor } from './cooperative-sticky-assignor.ts';
import { StickyAssignor } from './sticky-assignor.ts';

const assign = (counts: Record<string, number>, members: ReturnType<typeof member>[]) => assignByName(new CooperativeStickyAssignor(), counts, members);

describe('CooperativeStickyAssignor', () => {
  it('is a cooperative assignor that reads owned partitions', () => {
    const a = new CooperativeStickyAssignor();
    expect([a.name, a.rebalanceProtocol, a.usesOwnedPartitions]).toEqual(['cooperative-sticky', 'cooperative', true]);
  });

  it('gives a fresh group the sticky assignment: nothing is owned, so nothing is withheld', () => {
    const members = [member('c1', ['t1', 't2']), member('c2', ['t1', 't2'])];
    const sticky = assignByName(new StickyAssignor(), { t1: 3, t2: 3 }, members);
    expect(assign({ t1: 3, t2: 3 }, members)).toEqual(sticky);
  });

  it('withholds a moving partition for one round, then hands it over (cooperative revocation)', () => {
    // Round 1: c2 joins; the sticky target moves t-2 from c1 to c2, so t-2 is left out and c1 revokes it.
    const round1 = assign({ t: 3 }, [member('c1', ['t'], ['t-0', 't-1', 't-2']), member('c2', ['t'])]);
    expect(round1).toEqual({ c1: ['t-0', 't-1'], c2: [] });
    // Round 2 (the follow-up rebalance): nobody owns t-2 any more; c2 gets it, c1 keeps the rest.
    const round2 = assign({ t: 3 }, [member('c1', ['t'], round1.c1), member('c2', ['t'], round1.c2)]);
    expect(round2).toEqual({ c1: ['t-0', 't-1'], c2: ['t-2'] });
  });

  it('withholds every partition that moves when two members join the owner of four', () => {
    // c1 keeps its quota of two; the two partitions moving to c2 and c3 wait for c1 to revoke them.
    const members = [member('c1', ['t'], ['t-0', 't-1', 't-2', 't-3']), member('c2', ['t']), member('c3', ['t'])];
    const out = assign({ t: 4 }, members);
    expect(out).toEqual({ c1: ['t-0', 't-1'], c2: [], c3: [] });
    const sticky = assignByName(new StickyAssignor(), { t: 4 }, members);
    expect(sticky).toEqual({ c1: ['t-0', 't-1'], c2: ['t-2'], c3: ['t-3'] });
  });

  it('leaves unaffected partitions assigned throughout a member leaving', () => {
    const members = [member('c1', ['t'], ['t-0', 't-1']), member('c3', ['t'], ['t-4', 't-5'])];
    // c2 (which owned t-2, t-3) left: its partitions are unowned, so they are handed out at once.
    expect(assign({ t: 6 }, members)).toEqual({ c1: ['t-0', 't-1', 't-2'], c3: ['t-3', 't-4', 't-5'] });
  });
});
