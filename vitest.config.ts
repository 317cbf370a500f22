import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // A warning during a test fails it: a passing run is quiet.
    setupFiles: ['test/setup/quietRun.ts'],
    // Type tests of the public surface (expectTypeOf), checked by the compiler as tests.
    typecheck: { enabled: true, include: ['test/**/*.test-d.ts'], tsconfig: 'tsconfig.json' },
    environment: 'node',
    testTimeout: 20_000,
    hookTimeout: 20_000,
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
