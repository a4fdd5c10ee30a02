// `ksim versions`: the Apache Kafka versions a scenario can name in `kafkaVersion`, with the MSK
// build of each, the metadata modes it runs, the protocol fixes it lacks (the known bugs it
// reproduces) and its Apache defaults that differ from Kafka 4.0's; the table is
// models/kafka/version/kafka-versions.ts's, as the README holds it. Exit 0.

import type { Command } from 'commander';
import { kafkaVersionTable } from '../../models/kafka/version/kafka-versions.ts';
import { EXIT_OK } from './cli-errors.ts';
import type { CliIo } from './cli-io.ts';

const EXAMPLES = `
Examples:
  $ npx ksim versions
  $ npx ksim run --scenario msk-3az-outage --set kafkaVersion=2.8     2.8's protocol and defaults, in ZooKeeper mode
  $ npx ksim run --scenario msk-3az-outage --set kafkaVersion=3.7 --set replica.lag.time.max.ms=10000   --set still wins

Without kafkaVersion a scenario runs its \`era\` (default "current") with Kafka 4.0's defaults.`;

export function registerVersionsCommand(program: Command, io: CliIo, done: (exitCode: number) => void): void {
  program
    .command('versions')
    .description('list the Kafka versions a scenario can run (kafkaVersion) and what each has')
    .addHelpText('after', EXAMPLES)
    .action(() => {
      io.out(`${kafkaVersionTable()}\n`);
      done(EXIT_OK);
    });
}
