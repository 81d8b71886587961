import { defineConfig } from 'vitest/config';

/**
 * The wire suite (`npm run test:wire`): accounts built on moto through the AWS APIs, investigated
 * through firebreak's real SDK clients (AWS_ENDPOINT_URL). Kept out of `npm test` so that stays
 * fast; `.ci/run` runs both. See docs/wire.md.
 */
export default defineConfig({
  test: {
    include: ['test/wire/**/*.test.ts'],
    globalSetup: ['test/wire/global-setup.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
    allowOnly: false,
  },
});
