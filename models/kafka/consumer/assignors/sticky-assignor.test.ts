// StickyAssignor on cases of Kafka's AbstractStickyAssignorTest: balanced, and as sticky as balance
// allows across rebalances.
//
// Where members subscribe to different topics the model departs from Kafka (it balances over all
// members together; Kafka's general assignor gives a topic's partitions to its few subscribers
// first, testMultipleConsumersMixedTopicSubscriptions), so those cases are not pinned here.
import { describe, expect, it } from 'vitest';
import { assignByName, member } from './assignor-test-kit.ts';
import { StickyAssignor } from './sticky-assignor.ts';

const assign = (counts: Record<string, number>, members: ReturnType<typeof member>[]) => assignByName(new StickyAssignor(), counts, members);

describe('StickyAssignor', () => {
  it('is an eager assignor that reads owned partitions', () => {
    const a = new StickyAssignor();
    expect([a.name, a.rebalanceProtocol, a.usesOwnedPartitions]).toEqual(['sticky', 'eager', true]);
  });

  it('gives one consumer every partition (testOneConsumerOneTopic, testOneConsumerMultipleTopics)', () => {
    expect(assign({ t: 3 }, [member('c1', ['t'])])).toEqual({ c1: ['t-0', 't-1', 't-2'] });
    expect(assign({ t1: 1, t2: 2 }, [member('c1', ['t1', 't2'])])).toEqual({ c1: ['t1-0', 't2-0', 't2-1'] });
  });

  it('drops owned partitions of topics no longer subscribed (testOnlyAssignsPartitionsFromSubscribedTopics)', () => {
    expect(assign({ other: 2, t: 2 }, [member('c1', ['t'], ['t-0', 't-1', 'other-0', 'other-1'])])).toEqual({ c1: ['t-0', 't-1'] });
  });

  it('deals a fresh assignment evenly (testTwoConsumersTwoTopicsSixPartitions)', () => {
    const members = [member('c1', ['t1', 't2']), member('c2', ['t1', 't2'])];
    expect(assign({ t1: 3, t2: 3 }, members)).toEqual({ c1: ['t1-0', 't1-2', 't2-1'], c2: ['t1-1', 't2-0', 't2-2'] });
  });

  it('keeps owned partitions and tops the members up to balance (testConsumerOwningMinQuotaExpectedMaxQuota)', () => {
    const members = [member('c1', ['t1', 't2'], ['t1-0', 't2-1']), member('c2', ['t1', 't2'], ['t1-1', 't2-2'])];
    expect(assign({ t1: 2, t2: 3 }, members)).toEqual({ c1: ['t1-0', 't2-0', 't2-1'], c2: ['t1-1', 't2-2'] });
  });

  it('keeps what members under their quota own (testAllConsumersAreUnderMinQuota)', () => {
    const members = [member('c1', ['t1', 't2'], ['t1-0']), member('c2', ['t1', 't2'], ['t1-1']), member('c3', ['t1', 't2'])];
    expect(assign({ t1: 2, t2: 3 }, members)).toEqual({ c1: ['t1-0', 't2-1'], c2: ['t1-1', 't2-2'], c3: ['t2-0'] });
  });

  it('moves exactly one partition when only one member may keep an extra one (testMaxQuotaConsumerMoreThanNumExpectedMaxCapacityMembers)', () => {
    // Kafka's pick of which full member gives one up follows HashMap order; the model's is member-id order.
    const members = [member('c1', ['t1', 't2'], ['t1-0', 't2-0']), member('c2', ['t1', 't2'], ['t1-1', 't2-1']), member('c3', ['t1', 't2'])];
    expect(assign({ t1: 2, t2: 2 }, members)).toEqual({ c1: ['t1-0', 't2-0'], c2: ['t1-1'], c3: ['t2-1'] });
  });

  it('stays sticky as a consumer joins and the first one leaves (testAddRemoveConsumerOneTopic)', () => {
    const first = assign({ t: 3 }, [member('c1', ['t'])]);
    expect(first).toEqual({ c1: ['t-0', 't-1', 't-2'] });
    const second = assign({ t: 3 }, [member('c1', ['t'], first.c1), member('c2', ['t'])]);
    expect(second).toEqual({ c1: ['t-0', 't-1'], c2: ['t-2'] });
    expect(assign({ t: 3 }, [member('c2', ['t'], second.c2)])).toEqual({ c2: ['t-0', 't-1', 't-2'] });
  });

  it('moves only what balance requires when a third consumer joins (unlike RangeAssignor)', () => {
    const members = [member('c1', ['t'], ['t-0', 't-1', 't-2']), member('c2', ['t'], ['t-3', 't-4', 't-5']), member('c3', ['t'])];
    expect(assign({ t: 6 }, members)).toEqual({ c1: ['t-0', 't-1'], c2: ['t-3', 't-4'], c3: ['t-2', 't-5'] });
  });
});
