// A NodeContext for unit tests of one Kafka class: it records what the code under test sends
// (requests on its own connections, replies on its peers'), the connections it opens and closes,
// which timers it sets and cancels and what it emits, on a clock the test moves by hand. Timer
// ids count up from 1.

import type { ModelEvent, NodeContext } from '../../../src/sim/model.ts';
import type { KafkaMessage } from '../messages.ts';
import type { KafkaTimer } from '../timers.ts';

interface SentMessage {
  to: number;
  msg: KafkaMessage;
  /** send: a request on this node's connection; reply: a response on the peer's. */
  how: 'send' | 'reply';
}

interface SetTimer {
  id: number;
  atUs: number;
  timer: KafkaTimer;
}

export class RecordingContext implements NodeContext<KafkaMessage, KafkaTimer> {
  nowUs = 0;
  readonly sent: SentMessage[] = [];
  readonly timers: SetTimer[] = [];
  readonly cancelled = new Set<number>();
  readonly events: ModelEvent[] = [];
  /** Peers this node connected to and disconnected from, in order. */
  readonly connects: number[] = [];
  readonly disconnects: number[] = [];
  /** Nodes whose connection to this one it closed (closeAccepted). */
  readonly closedAccepted: number[] = [];
  listening = true;
  /** What sendBounded answers: false stands for a full send buffer. */
  writesComplete = true;
  /** The connection the message under test came on (set by the test; -1: none). */
  connection = -1;
  private nextTimerId = 1;

  constructor(readonly node = 0) {}

  send(to: number, msg: KafkaMessage): void {
    this.sent.push({ to, msg, how: 'send' });
  }

  /** A bounded write, complete at once unless the test says writes are stalled (writesComplete = false). */
  sendBounded(to: number, msg: KafkaMessage): boolean {
    this.sent.push({ to, msg, how: 'send' });
    return this.writesComplete;
  }

  reply(to: number, msg: KafkaMessage): void {
    this.sent.push({ to, msg, how: 'reply' });
  }

  connect(to: number): void {
    this.connects.push(to);
  }

  disconnect(to: number): void {
    this.disconnects.push(to);
  }

  closeAccepted(to: number): void {
    this.closedAccepted.push(to);
  }

  setListening(listening: boolean): void {
    this.listening = listening;
  }

  setTimer(delayUs: number, timer: KafkaTimer): number {
    const id = this.nextTimerId++;
    this.timers.push({ id, atUs: this.nowUs + delayUs, timer });
    return id;
  }

  cancelTimer(id: number): void {
    this.cancelled.add(id);
  }

  emit(event: ModelEvent): void {
    this.events.push(event);
  }

  /** Messages of one type, in send order. */
  sentOf<T extends KafkaMessage['type']>(type: T): Extract<KafkaMessage, { type: T }>[] {
    return this.sent.filter((s) => s.msg.type === type).map((s) => s.msg as Extract<KafkaMessage, { type: T }>);
  }

  /** Emitted events of one type, in order. */
  eventsOf(type: string): ModelEvent[] {
    return this.events.filter((e) => e.type === type);
  }

  /** Timers set and not cancelled, of one type. */
  pendingTimersOf<T extends KafkaTimer['type']>(type: T): Extract<KafkaTimer, { type: T }>[] {
    return this.timers.filter((t) => t.timer.type === type && !this.cancelled.has(t.id)).map((t) => t.timer as Extract<KafkaTimer, { type: T }>);
  }

  /** Forgets everything recorded so far (the clock stays). */
  clear(): void {
    this.sent.length = 0;
    this.timers.length = 0;
    this.cancelled.clear();
    this.events.length = 0;
    this.connects.length = 0;
    this.disconnects.length = 0;
    this.closedAccepted.length = 0;
  }
}
