// `npm run mutate` (docs/testing.md): mutation testing of the parts every rule lives in. Not part of
// CI (it runs the suites once per mutant); run it after changing the domain, safety or the runtime.
// Which suites run is vitest.mutate.config.ts (unit and integration, not safety-linear: it says why);
// HUZHU_MUTATE_TESTS there narrows them for a quick look at one area (docs/testing.md).
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'vitest',
  vitest: { configFile: 'vitest.mutate.config.ts' },
  mutate: ['shared/domain/**/*.ts', 'shared/safety/**/*.ts', 'shared/protocol/**/*.ts', 'server/groups/**/*.ts'],
  coverageAnalysis: 'perTest',
  concurrency: 2,
  timeoutMS: 20_000,
  reporters: ['clear-text', 'progress', 'html', 'json'],
  htmlReporter: { fileName: 'test-artifacts/mutation/index.html' },
  jsonReporter: { fileName: 'test-artifacts/mutation/report.json' },
  thresholds: { high: 90, low: 80, break: null },
  tempDirName: '.stryker-tmp',
};
