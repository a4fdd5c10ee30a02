// Entry file of each `ksim check --workers` pool thread. Worker threads start without the main
// thread's module hooks, so this plain ES module registers tsx first (ksim has no build step), then
// loads the TypeScript task module and the model registry the check named (a module exporting
// MODELS), and hands piscina a task function bound to that registry and the check's shared
// context (both passed as piscina's workerData), as the sweep's shim does.

import { register } from 'tsx/esm/api';
import { workerData } from 'piscina';

register();

const { runCheckTask } = await import('./worker-check-task.ts');
const { MODELS } = await import(workerData.registryUrl);

export default (task) => runCheckTask(task, workerData.context, MODELS);
