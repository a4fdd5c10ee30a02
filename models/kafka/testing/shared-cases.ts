// The team's shared case list (../shared/cases beside the repository): small scenarios ksim once
// got wrong, each with its right outcome. Tests read them where they are, never a copy.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The directory of the shared cases: `<repository>/../shared/cases`. */
const SHARED_CASES_DIR = join(import.meta.dirname, '..', '..', '..', '..', 'shared', 'cases');

/**
 * The parsed scenario of shared case `name` (`<name>.scenario.json`).
 * @throws Error naming the path when the case is missing (../shared is not beside the repository).
 */
export function readSharedCase(name: string): Record<string, unknown> {
  const file = join(SHARED_CASES_DIR, `${name}.scenario.json`);
  return JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
}
