// Entry file of each `ksim sweep` pool thread. It loads the task module and the model registry the
// sweep named (a module exporting MODELS, passed as piscina's workerData) and hands piscina a task
// function bound to that registry. The code comes from the prebuilt bundle the main thread named
// (../worker-bundle.ts: one file, no loader thread); without one (it could not be built), from the
// TypeScript sources through tsx, registered here because worker threads start without the main
// thread's module hooks.

import { workerData } from 'piscina';

async function loadSources() {
  const { register } = await import('tsx/esm/api');
  register();
  const { runSweepTask } = await import('./worker-sweep-task.ts');
  const { MODELS } = await import(workerData.registryUrl);
  return { runSweepTask, MODELS };
}

const { runSweepTask, MODELS } = workerData.bundleUrl ? await import(workerData.bundleUrl) : await loadSources();

export default (task) => runSweepTask(task, MODELS);
