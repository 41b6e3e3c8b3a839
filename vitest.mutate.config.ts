import { configDefaults, defineConfig } from 'vitest/config';

// The suites `npm run mutate` runs against each mutant: unit and integration (real SQLite, Redis and
// sockets, all in-process, so coverage per test works). Not e2e (a browser on a built client, which a
// mutant of the server would not reach) and not fault (they kill processes; minutes per run). Not
// safety-linear either: it times the checks, and under Stryker's instrumentation (every mutant behind
// a switch, coverage per test) it runs past its 30 s timeout, which fails the dry run; what it guards
// (no quadratic time) is not something a mutant's outcome shows.
// HUZHU_MUTATE_TESTS (comma-separated globs) narrows the suites for a quick look at one area
// (docs/testing.md, "Mutation testing"): a mutant a subset kills the whole set kills too, so a score
// measured on a subset is a floor of the full one.
const narrowed = process.env.HUZHU_MUTATE_TESTS?.split(',').filter(Boolean);

export default defineConfig({
  test: {
    environment: 'node',
    testTimeout: 30_000,
    hookTimeout: 120_000,
    include: narrowed?.length ? narrowed : ['tests/unit/**/*.test.ts', 'tests/integration/**/*.test.ts'],
    exclude: [...configDefaults.exclude, 'tests/unit/safety-linear.test.ts'],
  },
});
