// Upper bounds on what a scenario may ask of ksim, so hostile or mistaken input is refused before a
// run starts, with the field, the bound and the reason, instead of hanging, aborting in the heap or
// overflowing the stack. Each bound says why it is where it is; the model-independent ones live
// here, a model's own sizes (brokers, partitions...) in its schema. The memory a run will need is
// projected by the model (ModelDefinition.projectMemory) and compared with `limits.memoryMb`.

import { UserError } from './user-error.ts';

/** Nesting of JSON input (scenario files, --set values): deeper than any scenario, shallow enough for every recursive walk. */
const JSON_DEPTH_MAX = 64;
/** Virtual time (ms): its µs must stay exact integers (2^53 µs is 285 years). */
export const VIRTUAL_MS_MAX = 1e12;
/** limits.eventsMax: at a few hundred thousand events a second, 1e12 is a month of wall time. */
export const EVENTS_MAX_MAX = 1e12;
/** A message takes at most a minute on a link; slower is a partition, which is a fault. */
export const LATENCY_US_MAX = 60_000_000;
/** Explicit faults in a schedule. */
export const FAULTS_MAX = 10_000;
/** Background noise faults a run may draw (its window divided by its mean interval). */
export const NOISE_FAULTS_MAX = 100_000;
/** Nodes of a run: the network keeps per-link state, n x n. */
export const NODES_MAX = 1_000;
/** Node and AZ names: they are repeated on every trace line that names them. */
const NAME_LENGTH_MAX = 128;
export const SEED_LENGTH_MAX = 256;
/** limits.memoryMb's default: a default run and every preset fit well under it, and so does a CI runner (7 GiB). */
export const DEFAULT_MEMORY_MB = 2048;
export const MEMORY_MB_MIN = 64;
export const MEMORY_MB_MAX = 1_048_576;

/**
 * Whether `value` nests deeper than `depthMax` (arrays and objects), walked without recursion so
 * the check itself cannot overflow the stack.
 */
function nestsDeeperThan(value: unknown, depthMax: number): boolean {
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length > 0) {
    const [v, depth] = stack.pop()!;
    if (typeof v !== 'object' || v === null) continue;
    if (depth + 1 > depthMax) return true;
    for (const child of Array.isArray(v) ? v : Object.values(v)) stack.push([child, depth + 1]);
  }
  return false;
}

/** Refuses JSON input that nests deeper than JSON_DEPTH_MAX; `what` names it. */
export function checkJsonDepth(value: unknown, what: string): void {
  if (nestsDeeperThan(value, JSON_DEPTH_MAX))
    throw new UserError(`${what} nests arrays and objects more than ${JSON_DEPTH_MAX} levels deep; no scenario needs that many`);
}

/** Why a node or AZ name cannot be used, or undefined. */
function nameProblem(name: string): string | undefined {
  if (name.length > NAME_LENGTH_MAX) return `is ${name.length} characters long, more than ${NAME_LENGTH_MAX}`;
  // Control characters would break the one-line errors and the trace lines.
  if (/[\u0000-\u001f\u007f]/.test(name)) return 'contains a control character (a newline, a tab...)';
  return undefined;
}

/** Checks the run's nodes: how many, and their names and AZs. */
export function checkNodeSpecs(nodes: readonly { name: string; az: string }[]): void {
  if (nodes.length > NODES_MAX)
    throw new UserError(
      `invalid scenario: the scenario has ${nodes.length} nodes, more than the ${NODES_MAX} ksim simulates (it keeps state per pair of nodes); use fewer brokers, clients or members`,
    );
  for (const n of nodes) {
    const bad = nameProblem(n.name);
    if (bad) throw new UserError(`invalid scenario: node name ${JSON.stringify(n.name.slice(0, 40))}${n.name.length > 40 ? '...' : ''} ${bad}`);
    const badAz = nameProblem(n.az);
    if (badAz) throw new UserError(`invalid scenario: AZ name ${JSON.stringify(n.az.slice(0, 40))}${n.az.length > 40 ? '...' : ''} of node "${n.name}" ${badAz}`);
  }
}
