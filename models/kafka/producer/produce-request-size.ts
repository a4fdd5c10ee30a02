// The size on the wire of a ProduceRequest carrying magic v2 record batches (KIP-98's format,
// Kafka 0.11+): the request header and produce fields, per partition its index and the records'
// length, per batch DefaultRecordBatch.RECORD_BATCH_OVERHEAD (61 bytes), per record its value and
// the varint fields of DefaultRecord (length, attributes, timestamp and offset deltas, key and
// value lengths, header count), with the key as the producer's "kN". Only what bounds a socket's
// send buffer needs it (clients/socket-buffers.ts), so a few bytes either way change nothing.

/** RequestHeader v1 with a short client id, acks, timeout, transactional id, topic array with one name. */
const REQUEST_OVERHEAD_BYTES = 64;
/** Per partition: its index and the length of its records. */
const PARTITION_OVERHEAD_BYTES = 8;
/** DefaultRecordBatch.RECORD_BATCH_OVERHEAD. */
const RECORD_BATCH_OVERHEAD_BYTES = 61;
/** DefaultRecord's varints (length, attributes, timestamp delta, offset delta, key length, value length, headers) and a short key. */
const RECORD_OVERHEAD_BYTES = 12;

/** Bytes of a produce request with these batches' record counts, each record `recordBytes` of value. */
export function produceRequestWireBytes(batchRecordCounts: readonly number[], recordBytes: number): number {
  let bytes = REQUEST_OVERHEAD_BYTES;
  for (const records of batchRecordCounts) bytes += PARTITION_OVERHEAD_BYTES + RECORD_BATCH_OVERHEAD_BYTES + records * (recordBytes + RECORD_OVERHEAD_BYTES);
  return bytes;
}
