import { configDefaults, defineConfig } from 'vitest/config';

// The suites `npm run mutate` runs against each mutant: unit and integration (real SQLite, Redis and
// sockets, all in-process, so coverage per test works). Not e2e (a browser on a built client, which a
// mutant of the server would not reach) and not fault (they kill processes; minutes per run).
export default defineConfig({
  test: {
    environment: 'node',
    testTimeout: 30_000,
    hookTimeout: 120_000,
    include: ['tests/unit/**/*.test.ts', 'tests/integration/**/*.test.ts'],
    exclude: [...configDefaults.exclude],
  },
});
