// The model-independent part of the scenario format: seed, duration, limits, network, faults and
// background noise. A model adds its own keys (see model-definition.ts); unknown keys are errors.
// Defaults are filled in here so a resolved scenario states every value the run used.

import { z } from 'zod';
import { DEFAULT_NETWORK } from '../net/network-config.ts';
import { faultSchema, NOISE_FAULT_KINDS } from '../faults/fault.ts';
import { NOISE_OFF } from '../faults/noise-config.ts';
import { DEFAULT_LIMITS } from '../kernel/simulation.ts';

const ms = z.number().min(0).describe('virtual milliseconds');
const name = z.string().min(1);

const latency = (d: { latencyUsMin: number; latencyUsMean: number; latencyUsMax: number }) =>
  z
    .strictObject({
      latencyUsMin: z.number().int().min(0).default(d.latencyUsMin),
      latencyUsMean: z.number().min(0).default(d.latencyUsMean),
      latencyUsMax: z.number().int().min(0).default(d.latencyUsMax),
    })
    .refine((l) => l.latencyUsMin <= l.latencyUsMean && l.latencyUsMean <= l.latencyUsMax, {
      message: 'needs latencyUsMin <= latencyUsMean <= latencyUsMax',
    })
    .prefault({});

const rate = z.number().min(0).max(1);
/** Kept in the format so old scenarios read; TCP never duplicates or reorders for the application. */
const tcpNever = (what: string) =>
  z
    .number()
    .refine((v) => v === 0, { message: `links are TCP connections, which never ${what} what they deliver; remove the field or set it to 0 (use lossRate for a lossy link)` })
    .default(0);

const networkSchema = z
  .strictObject({
    sameAz: latency(DEFAULT_NETWORK.sameAz),
    crossAz: latency(DEFAULT_NETWORK.crossAz),
    lossRate: rate.default(DEFAULT_NETWORK.lossRate),
    duplicateRate: tcpNever('duplicate'),
    reorderRate: tcpNever('reorder'),
  })
  .prefault({});

const noiseSchema = z
  .strictObject({
    intervalMsMean: z.number().min(0).default(0).describe('mean time between noise faults; 0 is off'),
    durationMsMean: z.number().positive().default(1000),
    kinds: z.array(z.enum(NOISE_FAULT_KINDS)).default(NOISE_OFF.kinds),
    nodes: z.array(name).optional(),
    startMs: ms.default(0),
    stopMs: ms.optional(),
  })
  .prefault({});

const limitsSchema = z
  .strictObject({
    eventsMax: z.number().int().positive().default(DEFAULT_LIMITS.eventsMax),
    virtualMsMax: z.number().positive().default(DEFAULT_LIMITS.virtualMsMax),
  })
  .prefault({});

/** Keys every scenario has, whatever its model. */
export const envelopeShape = {
  $schema: z.string().optional(),
  name: z.string().default('unnamed'),
  description: z.string().optional(),
  model: z.string(),
  seed: z.union([z.string(), z.number().int()]).transform(String).default('1'),
  durationMs: z.number().positive().optional().describe('stop here; omit to run until no event is left'),
  limits: limitsSchema,
  network: networkSchema,
  faults: z.array(faultSchema).default([]),
  noise: noiseSchema,
};
