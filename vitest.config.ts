// Test discovery: unit tests live beside their modules, property suites in properties/, the tidy
// rules (determinism, import rules, sizes, unused exports) in properties/tidy/.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'models/**/*.test.ts', 'properties/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
  },
});
