// Three projects: `unit` (fast, no Terraform), `plans` (one offline plan per stack: JSON, defaults)
// and `terraform` (the full matrix: JSON and HCL of every settings variant, change and journey plans,
// look-ups, the HCL format check, synth parity and determinism), run with the real Terraform CLI and
// AWS provider offline. `npm test` runs unit + plans after `tsc --noEmit`; `npm run test:all` runs
// unit + terraform (what CI runs). `PLAN_MATRIX` tells __tests__/terraform/stacks.test.ts its scope.
const transform = { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }] }; // isolatedModules: transpile only
const globalSetup = '<rootDir>/__tests__/terraform/global-setup.ts';
const setupFilesAfterEnv = ['<rootDir>/__tests__/helpers/setup.ts'];
/** Slow tests outside __tests__/terraform that belong to the full run. */
const MATRIX_ONLY = ['<rootDir>/__tests__/tools/synth/parity.test.ts', '<rootDir>/__tests__/tools/synth/hcl-format.test.ts'];

/** @type {import('jest').Config} */
module.exports = {
  projects: [
    {
      displayName: 'unit',
      testEnvironment: 'node',
      transform,
      testMatch: ['<rootDir>/__tests__/**/*.test.ts'],
      testPathIgnorePatterns: ['<rootDir>/__tests__/terraform/', ...MATRIX_ONLY],
      setupFilesAfterEnv,
    },
    {
      displayName: 'plans',
      testEnvironment: 'node',
      transform,
      testMatch: ['<rootDir>/__tests__/terraform/stacks.test.ts'],
      globals: { PLAN_MATRIX: 'defaults' },
      globalSetup,
      setupFilesAfterEnv,
      slowTestThreshold: 60,
    },
    {
      displayName: 'terraform',
      testEnvironment: 'node',
      transform,
      testMatch: ['<rootDir>/__tests__/terraform/**/*.test.ts', ...MATRIX_ONLY],
      globals: { PLAN_MATRIX: 'full' },
      globalSetup,
      setupFilesAfterEnv,
      slowTestThreshold: 60,
    },
  ],
  // No fixed limit a slower or busier machine could reach: a plan takes seconds to a minute, the
  // longest test (a journey of six plans, or the four determinism synths) minutes on a loaded
  // 2-core machine, and concurrent tests count their waiting time too. Two hours is beyond any run:
  // the limit only ends a hung process. It applies to hooks as well.
  testTimeout: 2 * 60 * 60 * 1000,
  // One worker per core (jest's default leaves one core idle: a single worker on 2 cores).
  maxWorkers: '100%',
};
