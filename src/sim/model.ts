// The contract between the kernel and a system under test. A model is plain synchronous code:
// the kernel calls its handlers with a context, and the model acts only through that context
// (send, setTimer, emit). It never sees the queue, the network or the checkers.

import type { TimeUs } from './time.ts';

/** Messages, timers and emitted events are tagged objects; `type` names them in traces. */
export interface Tagged {
  readonly type: string;
}

/** A model event: something that happened inside the system, for traces and checkers. */
export interface ModelEvent extends Tagged {
  readonly [field: string]: unknown;
}

/** What a handler may do. One context object is reused for every dispatch. */
export interface NodeContext<Msg extends Tagged, Timer extends Tagged> {
  /** Virtual time now. */
  readonly nowUs: TimeUs;
  /** The node whose handler runs. */
  readonly node: number;
  send(to: number, msg: Msg): void;
  /** Schedules a timer on this node; it dies if the process crashes first. Returns its id. */
  setTimer(delayUs: TimeUs, timer: Timer): number;
  cancelTimer(id: number): void;
  emit(event: ModelEvent): void;
}

/** The ways a node goes down: its process dies; its host loses power (page cache gone); its disk is lost too. */
export type NodeDownKind = 'crash' | 'power-loss' | 'disk-loss';

/** How a node went down. Whether it loses unflushed data is the model's business. */
export interface NodeFailure {
  kind: NodeDownKind;
  /** false when the node was already down (a power loss after a crash still loses the page cache). */
  wasUp: boolean;
}

export interface Violation {
  property: string;
  message: string;
  [detail: string]: unknown;
}

export interface ModelOutcome {
  /** Figures for the summary; flat and JSON-serialisable. */
  stats: Record<string, unknown>;
  /** Violations the model itself detects (most checking lives in src/check). */
  violations: Violation[];
  /** Final state for end-of-run analyses (final logs, say); never printed whole. */
  final?: unknown;
}

export interface Model<Msg extends Tagged, Timer extends Tagged> {
  /** The node's process starts: at time 0 and after every restart. */
  onStart(ctx: NodeContext<Msg, Timer>): void;
  onMessage(ctx: NodeContext<Msg, Timer>, from: number, msg: Msg): void;
  onTimer(ctx: NodeContext<Msg, Timer>, timer: Timer): void;
  /** The node's process is gone. The context may emit but not send or set timers. */
  onDown(ctx: NodeContext<Msg, Timer>, failure: NodeFailure): void;
  /** Called once when the run ends. */
  finish(nowUs: TimeUs): ModelOutcome;
}
