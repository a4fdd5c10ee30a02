// RangeAssignor on the cases of Kafka's RangeAssignorTest: per topic, consecutive ranges by member id.
import { describe, expect, it } from 'vitest';
import { assignByName, member } from './assignor-test-kit.ts';
import { RangeAssignor } from './range-assignor.ts';

const assign = (counts: Record<string, number>, members: ReturnType<typeof member>[]) => assignByName(new RangeAssignor(), counts, members);

describe('RangeAssignor', () => {
  it('gives one consumer every partition of its topic (testOneConsumerOneTopic)', () => {
    expect(assign({ t: 3 }, [member('c1', ['t'])])).toEqual({ c1: ['t-0', 't-1', 't-2'] });
  });

  it('assigns only partitions of subscribed topics (testOnlyAssignsPartitionsFromSubscribedTopics)', () => {
    expect(assign({ other: 3, t: 3 }, [member('c1', ['t'])])).toEqual({ c1: ['t-0', 't-1', 't-2'] });
  });

  it('gives one consumer every partition of several topics (testOneConsumerMultipleTopics)', () => {
    expect(assign({ t1: 1, t2: 2 }, [member('c1', ['t1', 't2'])])).toEqual({ c1: ['t1-0', 't2-0', 't2-1'] });
  });

  it('leaves the second consumer empty when there is one partition (testTwoConsumersOneTopicOnePartition)', () => {
    expect(assign({ t: 1 }, [member('c1', ['t']), member('c2', ['t'])])).toEqual({ c1: ['t-0'], c2: [] });
  });

  it('splits two partitions over two consumers (testTwoConsumersOneTopicTwoPartitions)', () => {
    expect(assign({ t: 2 }, [member('c1', ['t']), member('c2', ['t'])])).toEqual({ c1: ['t-0'], c2: ['t-1'] });
  });

  it('ranges each topic over its own subscribers (testMultipleConsumersMixedTopics)', () => {
    const members = [member('c1', ['t1']), member('c2', ['t1', 't2']), member('c3', ['t1'])];
    expect(assign({ t1: 3, t2: 2 }, members)).toEqual({ c1: ['t1-0'], c2: ['t1-1', 't2-0', 't2-1'], c3: ['t1-2'] });
  });

  it('gives the extra partition of every topic to the first member (testTwoConsumersTwoTopicsSixPartitions)', () => {
    const members = [member('c1', ['t1', 't2']), member('c2', ['t1', 't2'])];
    expect(assign({ t1: 3, t2: 3 }, members)).toEqual({ c1: ['t1-0', 't1-1', 't2-0', 't2-1'], c2: ['t1-2', 't2-2'] });
  });

  it('orders members by member id, not by their place in the JoinGroup list', () => {
    const members = [member('c2', ['t']), member('c1', ['t'])];
    expect(assign({ t: 3 }, members)).toEqual({ c1: ['t-0', 't-1'], c2: ['t-2'] });
  });

  it('ignores owned partitions: a rebalance recomputes the ranges', () => {
    const members = [member('c1', ['t'], ['t-2']), member('c2', ['t'], ['t-0', 't-1'])];
    expect(assign({ t: 3 }, members)).toEqual({ c1: ['t-0', 't-1'], c2: ['t-2'] });
  });
});
