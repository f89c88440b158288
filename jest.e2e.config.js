/**
 * Browser e2e suites (test/e2e/*.e2e.ts): each starts the whole stack through scripts/start.ts (API,
 * embedded MongoDB, Redis, WeChat fake, seed, H5 server) and drives Debian's Chromium with playwright-core.
 * Run by `npm run test:e2e` after the H5 build; not part of `npm test`.
 */
/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test/e2e'],
  testMatch: ['**/*.e2e.ts'],
  transform: {
    '^.+\\.(t|j)sx?$': ['@swc/jest', { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'commonjs' } }],
  },
  moduleNameMapper: { '^@shared/(.*)$': '<rootDir>/shared/$1' },
  // Starting the stack, seeding and a cold browser on a loaded 2-core machine.
  testTimeout: 240000,
  maxWorkers: 1,
};
