// A NodeContext for unit tests of one Kafka class without the kernel: it records every send,
// timer and event in call order, and lets the test move the clock. Timer ids count up from 1.

import type { ModelEvent, NodeContext } from '../../../src/sim/model.ts';
import type { KafkaMessage } from '../messages.ts';
import type { KafkaTimer } from '../timers.ts';

interface RecordedTimer {
  id: number;
  atUs: number;
  timer: KafkaTimer;
}

export class RecordingContext implements NodeContext<KafkaMessage, KafkaTimer> {
  nowUs = 0;
  readonly sent: { to: number; msg: KafkaMessage }[] = [];
  readonly timers: RecordedTimer[] = [];
  readonly cancelled: number[] = [];
  readonly events: ModelEvent[] = [];
  private nextTimerId = 1;

  constructor(readonly node = 0) {}

  send(to: number, msg: KafkaMessage): void {
    this.sent.push({ to, msg });
  }

  setTimer(delayUs: number, timer: KafkaTimer): number {
    const id = this.nextTimerId++;
    this.timers.push({ id, atUs: this.nowUs + delayUs, timer });
    return id;
  }

  cancelTimer(id: number): void {
    this.cancelled.push(id);
  }

  emit(event: ModelEvent): void {
    this.events.push(event);
  }

  /** The messages sent so far of one type. */
  sentOf<T extends KafkaMessage['type']>(type: T): { to: number; msg: Extract<KafkaMessage, { type: T }> }[] {
    return this.sent.filter((s): s is { to: number; msg: Extract<KafkaMessage, { type: T }> } => s.msg.type === type);
  }
}
