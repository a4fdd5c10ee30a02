// The command lines ksim prints so that a run can be reproduced: a `ksim run` of a scenario with
// its settings and seed (a sweep's worst run, a run that crashed), quoted for a POSIX shell so it
// can be pasted as is. Every printed command starts as the README runs ksim, `npx ksim`: after
// `npm ci` there is no `ksim` on the PATH, and npx, run in the checkout, runs its own `bin` (in a
// project that depends on ksim, node_modules/.bin/ksim).

/** How a printed command runs ksim. */
const KSIM_COMMAND = ['npx', 'ksim'];

function shellQuote(arg: string): string {
  if (/^[A-Za-z0-9_./:=@%+,-]+$/.test(arg)) return arg;
  return `'${arg.replace(/'/g, `'\\''`)}'`;
}

interface RunCommandParts {
  /** The --scenario argument as the user gave it; null for the default scenario. */
  scenarioArg: string | null;
  /** --set pairs, in order. */
  settings: readonly string[];
  seed: string;
  tracePath?: string;
}

/** `npx ksim ARGS...`, each argument quoted for a POSIX shell. */
export function ksimCommandLine(args: readonly string[]): string {
  return [...KSIM_COMMAND, ...args].map(shellQuote).join(' ');
}

export function runCommandLine(parts: RunCommandParts): string {
  const args = ['run'];
  if (parts.scenarioArg !== null) args.push('--scenario', parts.scenarioArg);
  for (const s of parts.settings) args.push('--set', s);
  args.push('--seed', parts.seed);
  if (parts.tracePath !== undefined) args.push('--trace', parts.tracePath);
  return ksimCommandLine(args);
}
