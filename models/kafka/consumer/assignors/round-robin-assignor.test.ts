// RoundRobinAssignor on the cases of Kafka's RoundRobinAssignorTest: every partition dealt in turn.
import { describe, expect, it } from 'vitest';
import { assignByName, member, topicsOf } from './assignor-test-kit.ts';
import { RoundRobinAssignor } from './round-robin-assignor.ts';

const assign = (counts: Record<string, number>, members: ReturnType<typeof member>[]) => assignByName(new RoundRobinAssignor(), counts, members);

describe('RoundRobinAssignor', () => {
  it('gives an empty group nothing and one consumer everything (testOneConsumerOneTopic)', () => {
    expect(new RoundRobinAssignor().assign([], topicsOf({ t: 3 }))).toEqual([]);
    expect(assign({ t: 3 }, [member('c1', ['t'])])).toEqual({ c1: ['t-0', 't-1', 't-2'] });
  });

  it('assigns only partitions of subscribed topics (testOnlyAssignsPartitionsFromSubscribedTopics)', () => {
    expect(assign({ other: 3, t: 3 }, [member('c1', ['t'])])).toEqual({ c1: ['t-0', 't-1', 't-2'] });
  });

  it('splits two partitions over two consumers (testTwoConsumersOneTopicTwoPartitions)', () => {
    expect(assign({ t: 2 }, [member('c1', ['t']), member('c2', ['t'])])).toEqual({ c1: ['t-0'], c2: ['t-1'] });
  });

  it('skips members not subscribed to a partition’s topic (testMultipleConsumersMixedTopics)', () => {
    const members = [member('c1', ['t1']), member('c2', ['t1', 't2']), member('c3', ['t1'])];
    expect(assign({ t1: 3, t2: 2 }, members)).toEqual({ c1: ['t1-0'], c2: ['t1-1', 't2-0', 't2-1'], c3: ['t1-2'] });
  });

  it('deals across topics without restarting at the first member (testTwoDynamicConsumersTwoTopicsSixPartitions)', () => {
    const members = [member('c1', ['t1', 't2']), member('c2', ['t1', 't2'])];
    expect(assign({ t1: 3, t2: 3 }, members)).toEqual({ c1: ['t1-0', 't1-2', 't2-1'], c2: ['t1-1', 't2-0', 't2-2'] });
  });

  it('orders members by member id, not by their place in the JoinGroup list', () => {
    const members = [member('c3', ['t']), member('c1', ['t']), member('c2', ['t'])];
    expect(assign({ t: 4 }, members)).toEqual({ c3: ['t-2'], c1: ['t-0', 't-3'], c2: ['t-1'] });
  });
});
