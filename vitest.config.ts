import { configDefaults, defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'infra/test/**/*.test.ts'],
    // The wire suite needs moto and runs on its own: npm run test:wire (vitest.wire.config.ts).
    exclude: [...configDefaults.exclude, 'test/wire/**'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
    allowOnly: false,
  },
});
