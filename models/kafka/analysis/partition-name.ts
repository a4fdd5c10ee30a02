// Partition names are "topic-index" ("orders-0"); topic names may themselves contain dashes, so
// the index is whatever follows the last dash. Output order everywhere is by topic name, then by
// numeric index (orders-2 before orders-10), so reports read the way Kafka tools list partitions.

interface PartitionName {
  topic: string;
  index: number;
}

export function parsePartitionName(partition: string): PartitionName {
  const dash = partition.lastIndexOf('-');
  const index = dash < 0 ? NaN : Number(partition.slice(dash + 1));
  if (!Number.isInteger(index)) return { topic: partition, index: -1 };
  return { topic: partition.slice(0, dash), index };
}

export function comparePartitions(a: string, b: string): number {
  if (a === b) return 0;
  const pa = parsePartitionName(a);
  const pb = parsePartitionName(b);
  if (pa.topic !== pb.topic) return pa.topic < pb.topic ? -1 : 1;
  if (pa.index !== pb.index) return pa.index - pb.index;
  return a < b ? -1 : 1;
}
