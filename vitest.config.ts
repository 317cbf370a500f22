import { defineConfig } from 'vitest/config';

/**
 * The tests that start real processes, browsers or another runtime, or compile a project:
 * `npm test` leaves them to `npm run test:all` (and CI), which runs everything.
 */
const PROCESS_TESTS = [
  'test/fleet/fleet.test.ts',
  'test/demo/**/*.test.ts',
  'test/cli/cli.test.ts',
  'test/inspection/inspector.browser.test.ts',
  'test/console/console.browser.test.ts',
  'test/portability/**/*.test.ts',
  'test/package/consumer.test.ts',
  'test/docs/codeBlocks.test.ts',
];

export default defineConfig({
  test: {
    environment: 'node',
    testTimeout: 20_000,
    hookTimeout: 20_000,
    // A warning during a test fails it: a passing run is quiet.
    setupFiles: ['test/setup/quietRun.ts'],
    projects: [
      {
        extends: true,
        test: {
          name: 'fast',
          include: ['test/**/*.test.ts'],
          exclude: PROCESS_TESTS,
          // Type tests of the public surface (expectTypeOf), checked by the compiler as tests.
          typecheck: {
            enabled: true,
            include: ['test/**/*.test-d.ts'],
            tsconfig: 'tsconfig.json',
          },
        },
      },
      { extends: true, test: { name: 'processes', include: PROCESS_TESTS } },
    ],
    coverage: {
      provider: 'v8',
      include: ['src/**/*.ts', 'machines/**/*.ts'],
      // The demo and the CLI run as child processes in their tests (test/demo, test/cli),
      // where coverage cannot follow them.
      exclude: ['src/demo/**', 'src/cli/**'],
      reporter: ['text-summary', 'html'],
    },
  },
});
