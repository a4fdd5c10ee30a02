// The time each producer had a send waiting on each partition: from KafkaProducer.send() (the
// record's sentUs) to its callback, send-ok or send-fail (an error, delivery.timeout.ms expiring,
// the producer's crash: sender.ts fails what a crash leaves). Kept per producer and partition
// (a record's partition is chosen at send() and never changes: RecordAccumulator.append) as
// sorted, disjoint [start, end] spans in µs; a span covers every instant some send was waiting, so
// a producer sending faster than its records are acknowledged has one span for the whole run and a
// producer that idles has none while it idles. This is the producer's side of availability:
// producer-felt-unavailability.ts intersects it with the time no leader served that producer.

import type { TimeUs } from '../../../src/sim/time.ts';
import { TimeColumn } from '../../../src/sim/time-column.ts';
import type { EdgeColumn } from './time-spans.ts';

/** One producer's sends to one partition: how many are waiting, since when, and the spans closed so far. */
class WaitingSends {
  waiting = 0;
  sinceUs: TimeUs = 0;
  /** The span open now is the last one closed, reopened by a send accepted before it ended (its row pair is rewritten when it closes). */
  reopened = false;
  /**
   * Span edges, start then end, in time order: 4 bytes each (TimeColumn), as a producer sending
   * about as fast as it is acknowledged has a span for most of its sends (the default scenario:
   * 3 for every 4 sends).
   */
  readonly edges = new TimeColumn(16);

  /** Closes the span open since sinceUs at endUs. */
  close(endUs: TimeUs): void {
    if (this.reopened) {
      this.reopened = false;
      this.edges.set(this.edges.length - 2, this.sinceUs);
      this.edges.set(this.edges.length - 1, endUs);
    } else if (endUs > this.sinceUs) {
      this.edges.push(this.sinceUs);
      this.edges.push(endUs);
    }
  }

  /** The spans as sorted, disjoint [start, end] pairs (a new array). */
  get spans(): number[] {
    const out = new Array<number>(this.edges.length);
    for (let i = 0; i < out.length; i++) out[i] = this.edges.get(i);
    return out;
  }
}

export class PendingSends {
  /** Producer -> partition -> its sends there, in first-send order. */
  private readonly byProducer = new Map<string, Map<string, WaitingSends>>();
  /** Each record sent and not completed yet, with its producer's sends to its partition. */
  private readonly pending = new Map<number, WaitingSends>();
  /** When the run ended (close); -1 before. */
  endUs: TimeUs = -1;

  /** send(): `record` for `partition` accepted at sentUs (at or before the event's time: RecordArrivals). */
  onSend(producer: string, partition: string, record: number, sentUs: TimeUs): void {
    if (this.pending.has(record)) return;
    const sends = this.of(producer, partition);
    this.pending.set(record, sends);
    if (sends.waiting++ > 0) {
      sends.sinceUs = Math.min(sends.sinceUs, sentUs);
      return;
    }
    // A send accepted before the last span ended (its event came late) reopens that span.
    const last = sends.edges.length - 1;
    sends.reopened = last > 0 && sentUs <= sends.edges.get(last);
    sends.sinceUs = sends.reopened ? Math.min(sends.edges.get(last - 1), sentUs) : sentUs;
  }

  /** The callback of `record`'s send() ran at timeUs (send-ok or send-fail); a second one is ignored. */
  onDone(record: number, timeUs: TimeUs): void {
    const sends = this.pending.get(record);
    if (sends === undefined) return;
    this.pending.delete(record);
    if (--sends.waiting === 0) sends.close(timeUs);
  }

  /** The run ended at endUs: sends still waiting wait until then. Call once. */
  close(endUs: TimeUs): void {
    if (this.endUs >= 0) return;
    this.endUs = endUs;
    for (const partitions of this.byProducer.values())
      for (const sends of partitions.values()) if (sends.waiting > 0) sends.close(endUs);
  }

  /** Every producer that sent, in first-send order. */
  producers(): IterableIterator<string> {
    return this.byProducer.keys();
  }

  /**
   * Per partition `producer` sent to, the spans it had a send waiting there (complete once closed):
   * `edges` reads them where they are kept, `spans` builds an array each read.
   */
  spansOf(producer: string): ReadonlyMap<string, { readonly edges: EdgeColumn; readonly spans: readonly number[] }> {
    return this.byProducer.get(producer) ?? new Map();
  }

  /** Whether `producer` still had a send waiting on `partition` at the end. */
  waitingAtEnd(producer: string, partition: string): boolean {
    return (this.byProducer.get(producer)?.get(partition)?.waiting ?? 0) > 0;
  }

  private of(producer: string, partition: string): WaitingSends {
    let partitions = this.byProducer.get(producer);
    if (partitions === undefined) this.byProducer.set(producer, (partitions = new Map()));
    let sends = partitions.get(partition);
    if (sends === undefined) partitions.set(partition, (sends = new WaitingSends()));
    return sends;
  }
}
