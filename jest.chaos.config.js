/**
 * Chaos suites (test/chaos/*.chaos.ts): real processes — the embedded MongoDB with a data dir, redis-server
 * with AOF, the API — killed with SIGKILL mid-burst and restarted (see test/chaos/stack.ts). Each file starts
 * its own stack, so no globalSetup. Run by `npm run test:chaos` (a CI step after `npm test`); not part of
 * `npm test`. Bounded: the whole run stays well under 4 minutes on 2 cores.
 */
/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test/chaos'],
  testMatch: ['**/*.chaos.ts'],
  transform: {
    '^.+\\.(t|j)sx?$': ['@swc/jest', { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'commonjs' } }],
  },
  moduleNameMapper: { '^@shared/(.*)$': '<rootDir>/shared/$1' },
  // A scenario starts processes, runs a burst through a fault and reconciles: generous but bounded.
  testTimeout: 90000,
  maxWorkers: 1,
};
