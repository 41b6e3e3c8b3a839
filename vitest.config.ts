import { configDefaults, defineConfig } from 'vitest/config';

// Every tests/**/*.test.ts runs under `npm test`, split into projects so each can be run alone
// (`vitest run --project e2e`). No svelte plugin here: nothing under tests/ compiles components,
// and the e2e project tests the built client (vite.config.ts, root client/) in a real browser.
const common = {
  environment: 'node',
  testTimeout: 30_000,
  hookTimeout: 120_000,
} as const;

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          ...common,
          name: 'unit',
          include: ['tests/**/*.test.ts'],
          exclude: [...configDefaults.exclude, 'tests/integration/**', 'tests/fault/**', 'tests/e2e/**'],
        },
      },
      {
        test: { ...common, name: 'integration', include: ['tests/integration/**/*.test.ts', 'tests/fault/**/*.test.ts'] },
      },
      {
        test: {
          ...common,
          name: 'e2e',
          include: ['tests/e2e/**/*.test.ts'],
          globalSetup: ['tests/e2e/global-setup.ts'],
          // One Chromium at a time: each file launches its own browser and server.
          fileParallelism: false,
        },
      },
    ],
  },
});
