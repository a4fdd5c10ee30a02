// Which listeners (checkers) hear a model event: a table from event type to the listeners that read
// it, so a per-record event (an append, a send) reaches the two or three checkers that read it
// rather than every checker of the run. Listeners keep their subscription order within a type.

import type { ModelEvent } from '../sim/model.ts';
import type { TimeUs } from '../sim/time.ts';

export type EventListener = (timeUs: TimeUs, node: number, event: ModelEvent) => void;

interface Subscription {
  listener: EventListener;
  /** undefined: every type. */
  types: ReadonlySet<string> | undefined;
}

export class EventDispatch {
  private readonly subscriptions: Subscription[] = [];
  /** Per declared type, its listeners in subscription order; rebuilt at each add (before the run). */
  private byType = new Map<string, EventListener[]>();
  /** Listeners of every type: what an event of a type nobody declared reaches. */
  private everyType: EventListener[] = [];

  add(listener: EventListener, types: readonly string[] | undefined): void {
    this.subscriptions.push({ listener, types: types === undefined ? undefined : new Set(types) });
    const declared = new Set<string>();
    for (const s of this.subscriptions) if (s.types) for (const t of s.types) declared.add(t);
    this.byType = new Map();
    for (const t of declared) this.byType.set(t, this.subscriptions.filter((s) => s.types === undefined || s.types.has(t)).map((s) => s.listener));
    this.everyType = this.subscriptions.filter((s) => s.types === undefined).map((s) => s.listener);
  }

  /** The listeners of events of this type, in subscription order. */
  of(type: string): readonly EventListener[] {
    return this.byType.get(type) ?? this.everyType;
  }
}
