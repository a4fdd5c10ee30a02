// A client's request.timeout.ms timers, one per connection rather than one per request. Kafka's
// NetworkClient arms no timer per request: on each poll it asks InFlightRequests for the nodes
// with a request past its deadline (nodesWithTimedOutRequests) and closes their connections
// (handleTimedOutRequests). Here each connection has at most one timer, armed at or before the
// earliest deadline of what is in flight on it. A new request arms it only if it would expire
// before the armed time (requests with one timeout, sent in order, never do); a response leaves it
// be. When it fires, the client times out what is past its deadline and arms it again for the
// earliest deadline left (rearm). So a request still times out at its own deadline, and a
// produce, fetch or commit no longer sets and cancels a timer each.
//
// The timers die with the process (the kernel drops them): clear() at each process start.

import type { NodeContext, Tagged } from '../../../src/sim/model.ts';

type TimerContext<Timer extends Tagged> = Pick<NodeContext<Tagged, Timer>, 'nowUs' | 'setTimer' | 'cancelTimer'>;

/** No timer armed for the connection. */
const UNARMED = Infinity;

export class RequestDeadlineTimers<Timer extends Tagged> {
  /** Per connection, when its timer fires (UNARMED: none). */
  private readonly armedAtUs: Float64Array;
  private readonly timerIds: Int32Array;

  constructor(
    connections: number,
    /** The timer payload of each connection: built once, so arming allocates nothing. */
    private readonly timers: readonly Timer[],
  ) {
    this.armedAtUs = new Float64Array(connections).fill(UNARMED);
    this.timerIds = new Int32Array(connections).fill(-1);
  }

  /** A request on `connection` expires at deadlineUs: arms its timer unless it fires at or before then. */
  arm(ctx: TimerContext<Timer>, connection: number, deadlineUs: number): void {
    if (this.armedAtUs[connection] <= deadlineUs) return;
    if (this.timerIds[connection] >= 0) ctx.cancelTimer(this.timerIds[connection]);
    this.armedAtUs[connection] = deadlineUs;
    this.timerIds[connection] = ctx.setTimer(deadlineUs - ctx.nowUs, this.timers[connection]);
  }

  /** The timer of `connection` fired: it is no longer armed (the client arms it again for what is left). */
  fired(connection: number): void {
    this.armedAtUs[connection] = UNARMED;
    this.timerIds[connection] = -1;
  }

  /**
   * The timer of `connection` fired over `waiting` (what it bounds, each with its deadline): takes
   * out of waiting, in place, what is past its deadline and returns it earliest first (in waiting's
   * order among equals, as their own timers would have fired), and arms the timer for the rest.
   */
  takeDue<T extends { readonly deadlineUs: number }>(ctx: TimerContext<Timer>, connection: number, waiting: T[]): T[] {
    this.fired(connection);
    const due: T[] = [];
    let kept = 0;
    let nextUs = Infinity;
    for (const w of waiting)
      if (w.deadlineUs <= ctx.nowUs) due.push(w);
      else {
        waiting[kept++] = w;
        if (w.deadlineUs < nextUs) nextUs = w.deadlineUs;
      }
    waiting.length = kept;
    if (nextUs !== Infinity) this.arm(ctx, connection, nextUs);
    return due.length > 1 ? due.sort((a, b) => a.deadlineUs - b.deadlineUs) : due;
  }

  /** The process started: the kernel dropped its timers with the last one. */
  clear(): void {
    this.armedAtUs.fill(UNARMED);
    this.timerIds.fill(-1);
  }
}
