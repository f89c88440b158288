/** Root jest config: TypeScript through SWC, server + shared + HTTP suites. */
/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/server', '<rootDir>/shared', '<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: {
    '^.+\\.(t|j)sx?$': ['@swc/jest', { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'commonjs' } }],
  },
  moduleNameMapper: { '^@shared/(.*)$': '<rootDir>/shared/$1' },
  // One redis-server, one MongoDB (embedded or MONGODB_URI) and one WeChat fake for the whole run.
  globalSetup: '<rootDir>/test/harness/global-setup.ts',
  globalTeardown: '<rootDir>/test/harness/global-teardown.ts',
  // HTTP suites start real services; the default 5 s is tight on a loaded 2-core CI machine.
  testTimeout: 30000,
  testPathIgnorePatterns: ['/node_modules/', '/dist/', '/miniprogram/'],
};
