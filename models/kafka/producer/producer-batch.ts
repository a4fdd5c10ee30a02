// Kafka's ProducerBatch: records sent to one partition within linger.ms, up to batch.size, sent
// and retried together. It remembers what the sender and the transaction manager need: when each
// record was sent, its idempotent sequence and epoch, how often it was tried, and whether some
// attempt may already be in the log (which decides whether a failure is definite).

export class ProducerBatch {
  readonly recordIds: number[] = [];
  /** When each record was handed to send(): its latency runs from there to the send-ok. */
  readonly sendUs: number[] = [];
  /** Idempotence: assigned at first drain with the producer id and epoch; -1 until then. A batch keeps its id (RecordAccumulator.drain). */
  baseSequence = -1;
  producerId = -1;
  producerEpoch = -1;
  attempts = 0;
  retryAtUs = 0;
  /** Its sequence was rewritten under a new epoch since it was last drained (ProducerBatch.sequenceHasBeenReset). */
  sequenceReset = false;
  /** Some attempt may have been written (a timeout, or NOT_ENOUGH_REPLICAS_AFTER_APPEND). */
  maybeAppended = false;

  constructor(
    readonly id: number,
    /** Partition number inside the producer's topic. */
    readonly topicPartition: number,
    readonly createdUs: number,
    /** delivery.timeout.ms counts from batch creation, as in the Java client. */
    readonly deadlineUs: number,
  ) {}
}
