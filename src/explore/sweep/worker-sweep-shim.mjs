// Entry file of each `ksim sweep` pool thread. Worker threads start without the main thread's
// module hooks, so this plain ES module registers tsx first (ksim has no build step), then loads
// the TypeScript task module and the model registry the sweep named (a module exporting MODELS,
// passed as piscina's workerData), and hands piscina a task function bound to that registry.

import { register } from 'tsx/esm/api';
import { workerData } from 'piscina';

register();

const { runSweepTask } = await import('./worker-sweep-task.ts');
const { MODELS } = await import(workerData.registryUrl);

export default (task) => runSweepTask(task, MODELS);
