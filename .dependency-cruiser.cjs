/**
 * Module boundaries for the server (issue #17), checked by `npm run deps:check` inside `npm run lint`.
 * Known violations that predate the rules are listed in .dependency-cruiser-known-violations.json
 * (`npm run deps:baseline` regenerates it); any new one fails. test/lint/boundaries.test.ts proves each
 * rule on fixtures, with this same file.
 *
 * The baseline today holds module-internals violations only. The points ↔ mall cycle it used to list (and
 * the KNOWN_MODULE_CYCLE_EDGES exemption that let it through) is gone: points exposes, through its index.ts,
 * the read the mall's gate loads (balance + first lot expiry), batched ledger debits inside a given session
 * (the redemption writer's ledger half), and a LedgerWriteGuard port the mall registers on the points service
 * to freeze its cached balances around ledger writes. The mall imports nothing of points but its index.ts,
 * and points imports nothing of the mall; no module cycle is exempt.
 */
const path = require('node:path');

/** Test code: suites, the test/ tree, and helpers that only tests load (test-redis.ts, test-helpers.ts). */
const TEST_CODE = ['\\.test\\.ts$', '(^|/)test/', '(^|/)test-[^/]+\\.ts$'];

const MODULE_FOLDER = '^server/src/modules/[^/]+/?$';

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'module-internals',
      comment:
        "A module uses another module only through that module's index.ts (its service and public types), " +
        'never its models or internals: cross-module work goes through the owning service.',
      severity: 'error',
      from: { path: '^server/src/modules/([^/]+)/' },
      to: {
        path: '^server/src/modules/[^/]+/',
        pathNot: ['^server/src/modules/$1/', '^server/src/modules/[^/]+/index\\.ts$'],
      },
    },
    {
      name: 'module-cycle',
      comment:
        'No cycles between modules: if A uses B, B does not use A (even through other modules). Checked on ' +
        'folders, so a cycle that no single file closes is still caught.',
      severity: 'error',
      scope: 'folder',
      from: { path: MODULE_FOLDER },
      to: { path: MODULE_FOLDER, circular: true },
    },
    {
      name: 'core-imports-module',
      comment: 'core/ is plumbing for every module and holds no business rules, so it never depends on a module.',
      severity: 'error',
      from: { path: '^server/src/core/' },
      to: { path: '^server/src/modules/' },
    },
    {
      name: 'shared-imports-server',
      comment: 'shared/ is bundled into the mini-program too: it never imports server code.',
      severity: 'error',
      from: { path: '^shared/', pathNot: TEST_CODE },
      to: { path: '^server/' },
    },
    {
      name: 'production-imports-test',
      comment: 'Production code never loads test suites or test helpers.',
      severity: 'error',
      from: { pathNot: TEST_CODE },
      to: { path: TEST_CODE },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    // Suites are not cruised: the folder graph would otherwise run through test/harness (which builds the whole
    // app) and show every module in one cycle. Test helpers and the test/ tree are still seen when production
    // code imports them, which is what production-imports-test is for.
    exclude: { path: ['(^|/)node_modules/', '(^|/)dist/', '\\.test\\.ts$'] },
    // Resolve the @shared/* alias like tsc does. Absolute, so the rule tests can cruise fixtures with this file.
    tsConfig: { fileName: path.join(__dirname, 'tsconfig.json') },
    tsPreCompilationDeps: true,
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.js', '.json'],
    },
    reporterOptions: {
      text: { highlightFocused: true },
    },
  },
};
