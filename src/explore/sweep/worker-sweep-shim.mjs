// Entry file of each `ksim sweep` pool thread. Worker threads start without the main thread's
// module hooks, so this plain ES module registers tsx first (ksim has no build step), then loads
// the TypeScript task module and hands its default export to piscina.

import { register } from 'tsx/esm/api';

register();

const task = await import('./worker-sweep-task.ts');

export default task.default;
