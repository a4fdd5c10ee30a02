// Entry file of each `ksim check --workers` pool thread. It loads the task module and the model
// registry the check named (a module exporting MODELS) and hands piscina a task function bound to
// that registry and the check's shared context (all passed as piscina's workerData), as the
// sweep's shim does. The code comes from the prebuilt bundle the main thread named
// (worker-bundle.ts: one file, no loader thread); without one (it could not be built), from the
// TypeScript sources through tsx, registered here because worker threads start without the main
// thread's module hooks.

import { workerData } from 'piscina';

async function loadSources() {
  const { register } = await import('tsx/esm/api');
  register();
  const { runCheckTask } = await import('./worker-check-task.ts');
  const { MODELS } = await import(workerData.registryUrl);
  return { runCheckTask, MODELS };
}

const { runCheckTask, MODELS } = workerData.bundleUrl ? await import(workerData.bundleUrl) : await loadSources();

export default (task) => runCheckTask(task, workerData.context, MODELS);
