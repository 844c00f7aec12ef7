import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const source = (path: string) => fileURLToPath(new URL(path, import.meta.url));

export default defineConfig({
  resolve: {
    // Examples and tests import the package by name, as users do.
    alias: [
      // graphql 16 ships CJS and ESM copies; Node gives libraries (Yoga, Apollo, Pothos) the CJS one, so
      // our source must get the same copy or `instanceof GraphQLError` fails between the two.
      { find: /^graphql$/, replacement: createRequire(import.meta.url).resolve('graphql') },
      {
        find: /^pothos-plugin-simple-jwt\/dev-database$/,
        replacement: source('./src/dev-database/index.ts'),
      },
      { find: /^pothos-plugin-simple-jwt$/, replacement: source('./src/index.ts') },
    ],
  },
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/support/global-setup.ts'],
    pool: 'forks',
    // Hang guards, not speed limits: CI and developers run the suite on busy 2-core machines, and
    // correctness tests assert results, never time (timing belongs in bench/).
    testTimeout: 60_000,
    hookTimeout: 120_000,
    typecheck: { enabled: true, include: ['test/**/*.test-d.ts'], tsconfig: './tsconfig.json' },
  },
});
