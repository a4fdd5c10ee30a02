// The team's shared material beside the repository (../shared): the case list (shared/cases, small
// scenarios ksim once got wrong, each with its right outcome) and peer suites (shared/peer-jepsen,
// Jepsen's own Kafka checker histories). Tests read them where they are, never a copy.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

const REPOSITORY = join(import.meta.dirname, '..', '..', '..');

/**
 * The shared directory `name` (`cases`, `peer-jepsen`): `<repository>/../shared/<name>`, or the
 * nearest `shared/<name>` further up (a git worktree kept in a subfolder beside the clone).
 * @throws Error naming where it looked when there is none.
 */
export function sharedDir(name: string): string {
  for (let dir = dirname(REPOSITORY); ; dir = dirname(dir)) {
    const candidate = join(dir, 'shared', name);
    if (existsSync(candidate)) return candidate;
    if (dirname(dir) === dir) throw new Error(`shared/${name} not found beside ${REPOSITORY} or above it`);
  }
}

/**
 * The parsed scenario of shared case `name` (`<name>.scenario.json`).
 * @throws Error naming the path when the case is missing (../shared is not beside the repository).
 */
export function readSharedCase(name: string): Record<string, unknown> {
  const file = join(sharedDir('cases'), `${name}.scenario.json`);
  return JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
}
