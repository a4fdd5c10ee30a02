// The command lines ksim prints so that a run can be reproduced: a `ksim run` of a scenario with
// its settings and seed (a sweep's worst run, a run that crashed), quoted for a POSIX shell so it
// can be pasted as is.

export function shellQuote(arg: string): string {
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

export function runCommandLine(parts: RunCommandParts): string {
  const args = ['ksim', 'run'];
  if (parts.scenarioArg !== null) args.push('--scenario', parts.scenarioArg);
  for (const s of parts.settings) args.push('--set', s);
  args.push('--seed', parts.seed);
  if (parts.tracePath !== undefined) args.push('--trace', parts.tracePath);
  return args.map(shellQuote).join(' ');
}
