// The engine tests' model registry: the ping fixture, in a module of its own like the product's,
// so that what must name a registry module (a sweep's worker threads) can name this one.

import type { ModelDefinition } from '../model-definition.ts';
import { pingDefinition } from './ping-definition.ts';

export const MODELS: readonly ModelDefinition[] = [pingDefinition];

/** A ping scenario: three nodes over three AZs, one node isolated for a while, all healed before the end. */
export const PING_SCENARIO: Record<string, unknown> = {
  name: 'ping',
  model: 'ping',
  seed: '1',
  durationMs: 6000,
  faults: [{ atMs: 1000, kind: 'isolate-node', node: 'n2', durationMs: 1500 }],
};
