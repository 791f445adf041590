// Two projects: fast unit tests, and the Terraform tests (validate, plan, terraform test) that
// run the real Terraform CLI and AWS provider offline. `npm test` runs both after `tsc --noEmit`.
const transform = { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }] }; // isolatedModules: transpile only

/** @type {import('jest').Config} */
module.exports = {
  projects: [
    {
      displayName: 'unit',
      testEnvironment: 'node',
      transform,
      testMatch: ['<rootDir>/__tests__/**/*.test.ts'],
      testPathIgnorePatterns: ['<rootDir>/__tests__/terraform/'],
      setupFilesAfterEnv: ['<rootDir>/__tests__/helpers/setup.ts'],
    },
    {
      displayName: 'terraform',
      testEnvironment: 'node',
      transform,
      testMatch: ['<rootDir>/__tests__/terraform/**/*.test.ts'],
      globalSetup: '<rootDir>/__tests__/terraform/global-setup.ts',
      setupFilesAfterEnv: ['<rootDir>/__tests__/helpers/setup.ts'],
      slowTestThreshold: 60,
    },
  ],
  testTimeout: 300000,
  // One worker per core (jest's default leaves one core idle: a single worker on 2 cores).
  maxWorkers: '100%',
};
