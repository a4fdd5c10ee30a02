// The `ksim` command line: parses arguments with commander, runs the chosen command, and turns
// every outcome into an exit code (0 ok, 1 property violated or replay diverged, 2 bad input or
// usage, 3 a bug in ksim). Usage errors print one line, `ksim: <message>`, like every user error.

import { Command } from 'commander';
import { KSIM_VERSION } from '../trace/trace-format.ts';
import { EXIT_OK, reportError } from './cli-errors.ts';
import { processIo, type CliIo } from './cli-io.ts';
import { registerCheckCommand } from './check-command.ts';
import { registerHistoryCommands } from './history-command.ts';
import { registerReplayCommand } from './replay-command.ts';
import { registerReportCommand } from './report-command.ts';
import { registerRunCommand } from './run-command.ts';
import { registerSweepCommand } from './sweep-command.ts';
import { registerTimelineCommand } from './timeline-command.ts';
import { registerVersionsCommand } from './versions-command.ts';

/** How a command module plugs in: it adds its command and reports its exit code through `done`. */
export type RegisterCommand = (program: Command, io: CliIo, done: (exitCode: number) => void) => void;

const EXAMPLES = `
Examples:
  $ npx ksim run --seed 7 --trace run.jsonl
  $ npx ksim replay run.jsonl
  $ npx ksim run --help

Exit codes: 0 ok, 1 a property was violated or a replay diverged, 2 bad input or usage, 3 a bug in ksim,
130 stopped by Ctrl-C (check, sweep).`;

/** Runs the command line `argv` (without node and the script) and returns the exit code. */
export async function main(argv: readonly string[], io: CliIo = processIo): Promise<number> {
  let exitCode = EXIT_OK;
  const done = (code: number) => {
    exitCode = code;
  };
  const program = new Command('ksim')
    .description('deterministic simulator and model checker for Apache Kafka on Amazon MSK')
    .version(KSIM_VERSION)
    .exitOverride()
    .configureOutput({
      writeOut: (text) => io.out(text),
      writeErr: (text) => io.err(text),
      outputError: (text, write) => write(`ksim: ${text.replace(/^error: /, '').replace(/\s*\n\s*/g, ' ').trim()}\n`),
    })
    .addHelpText('after', EXAMPLES);
  registerRunCommand(program, io, done);
  registerReplayCommand(program, io, done);
  registerCheckCommand(program, io, done);
  registerSweepCommand(program, io, done);
  registerReportCommand(program, io, done);
  registerTimelineCommand(program, io, done);
  registerHistoryCommands(program, io, done);
  registerVersionsCommand(program, io, done);
  registerBench(program, done);
  // `ksim` alone asks what it can do: the help, on stdout, exit 0 (not commander's usage error).
  if (argv.length === 0) {
    program.outputHelp();
    return EXIT_OK;
  }
  try {
    await program.parseAsync([...argv], { from: 'user' });
  } catch (e) {
    return reportError(e, io);
  }
  return exitCode;
}

/** `ksim bench` (npm run bench): loaded only when chosen, so other commands never pay for it. */
function registerBench(program: Command, done: (exitCode: number) => void): void {
  program
    .command('bench')
    .description('measure simulator speed: kernel vs a bare heap loop, and whole scenarios (npm run bench)')
    .option('--only <parts>', 'run only these parts, a comma list of kernel, scenarios, scaling, check, exploration, guided, sweep')
    .addHelpText(
      'after',
      `
Examples:
  $ npx ksim bench                 kernel vs bare heap loop, every preset, ksim check, exploration, a sweep
  $ npx ksim bench --only exploration   how fast ksim check finds each known bug and zoo bug
  $ npm run bench                  the same as npx ksim bench

Prints figures measured in this process (medians after a warm-up); takes half an hour or more on
2 cores: the exploration table alone 10-30 minutes (it prints its own wall time last), the guided
rows about 4.
Exit 0.`,
    )
    .action(async (options: { only?: string }) => {
      const { parseBenchParts, runBench } = await import('./bench.ts');
      done(await runBench(parseBenchParts(options.only)));
    });
}
