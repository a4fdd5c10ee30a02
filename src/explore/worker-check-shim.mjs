// Entry file of each `ksim check --workers` pool thread. It loads the task module and the model
// registry the check named (a module exporting MODELS) and hands piscina a task function bound to
// that registry and the check's shared context (all passed as piscina's workerData), as the
// sweep's shim does. The code comes from the prebuilt bundle the main thread named
// (worker-bundle.ts: one file, no loader thread); without one (it could not be built), from the
// TypeScript sources through tsx, registered here because worker threads start without the main
// thread's module hooks. Each thread first writes its thread id where the main thread reads the
// CPU of its threads (worker-thread-cpu.ts), when the pool gave it slots for that. A task stops
// between runs once the check's shared stop flag is set (worker-check-task.ts runCheckTask).

import { workerData } from 'piscina';

async function loadSources() {
  const { register } = await import('tsx/esm/api');
  register();
  const { runCheckTask } = await import('./worker-check-task.ts');
  const { noteThreadId } = await import('./worker-thread-cpu.ts');
  const { MODELS } = await import(workerData.registryUrl);
  return { runCheckTask, noteThreadId, MODELS };
}

const { runCheckTask, noteThreadId, MODELS } = workerData.bundleUrl ? await import(workerData.bundleUrl) : await loadSources();
if (workerData.threadIds) noteThreadId(workerData.threadIds);

export default (task) => runCheckTask(task, workerData.context, MODELS, workerData.stopFlag);
