#!/usr/bin/env node
// A child process of `npm run bench`: runs one scenario variant alone and prints its memory figures
// as one JSON line (peak RSS is a whole-process figure, so each measurement gets its own process).
// Arguments: a JSON BenchVariant of the default scenario.

import { register } from 'tsx/esm/api';

register();
await import('./bench-memory.ts');
