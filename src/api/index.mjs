// The package's JavaScript entry (`import { runScenario } from 'ksim'`): registers tsx, as the
// `ksim` command does (src/cli/bin.mjs), so the TypeScript sources run as they are, then re-exports
// the library API of index.ts. Types come from index.ts (package.json "types").

import { register } from 'tsx/esm/api';

register();

const api = await import('./index.ts');

export const {
  checkScenario,
  runScenario,
  resolve,
  scenarioObject,
  scenario,
  ScenarioBuilder,
  kafkaConfigs,
  kafkaFaults,
  kafkaRuns,
  runGenerated,
  checkHistory,
  exportHistory,
  kafkaProperty,
  ksimMatchers,
  UserError,
  VERDICT_CLASSES,
} = api;
