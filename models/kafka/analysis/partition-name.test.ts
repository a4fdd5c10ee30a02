import { describe, expect, it } from 'vitest';
import { comparePartitions, parsePartitionName } from './partition-name.ts';

describe('partition names', () => {
  it('splits at the last dash, so topic names may contain dashes', () => {
    expect(parsePartitionName('click-stream-12')).toEqual({ topic: 'click-stream', index: 12 });
  });

  it('orders by topic, then numeric index', () => {
    expect(['orders-10', 'a-b-1', 'orders-2'].sort(comparePartitions)).toEqual(['a-b-1', 'orders-2', 'orders-10']);
  });
});
