// Runs the `ksim` command (bin.mjs) in a child process, as a user would, for the CLI tests: its
// exit code and everything it printed.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const BIN = fileURLToPath(new URL('../bin.mjs', import.meta.url));

/** What a `ksim` process ended with: its exit code (-1 if killed by a signal) and its output. */
export interface KsimResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** `ksim ...argv` in a child process, with `env` added to this process's environment. */
export function spawnKsim(argv: readonly string[], env: Record<string, string> = {}): Promise<KsimResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...argv], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}
