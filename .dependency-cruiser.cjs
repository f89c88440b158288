/**
 * Module boundaries for the server (issue #17), checked by `npm run deps:check` inside `npm run lint`.
 * Known violations that predate the rules are listed in .dependency-cruiser-known-violations.json
 * (`npm run deps:baseline` regenerates it); any new one fails. test/lint/boundaries.test.ts proves each
 * rule on fixtures, with this same file.
 *
 * The baseline today (all module-internals, all points ↔ mall; JSON holds no comments, so they are named here):
 * - points/points.service.ts → mall/redeem-gate.ts and → mall/redeem-writer.ts: before any ledger write, points
 *   freezes the user in the mall's Redis gate and writes the redemptions the gate already admitted. To remove:
 *   the account side of the gate (spendable-balance cache, freeze/thaw) and the ledger debit become points'
 *   own, exported from points/index.ts, and the mall calls them; or points exposes a "before a ledger write"
 *   hook the mall registers in its index.ts.
 * - mall/mall.service.ts → points/points.model.ts: loads the balance and earliest lot expiry into the gate. To
 *   remove: a points service read (balance + next expiry) exported from points/index.ts.
 * - mall/redeem-writer.ts → points/points.model.ts: the batched redemption write debits the points lots and
 *   accounts in the same transaction. To remove: a points service method that debits a batch inside a given
 *   session (the first item above moves this writer's ledger half into points anyway).
 */
const path = require('node:path');

/** Test code: suites, the test/ tree, and helpers that only tests load (test-redis.ts, test-helpers.ts). */
const TEST_CODE = ['\\.test\\.ts$', '(^|/)test/', '(^|/)test-[^/]+\\.ts$'];

const MODULE_FOLDER = '^server/src/modules/[^/]+/?$';
const moduleFolder = (names) => `^server/src/modules/(${names.join('|')})/?$`;

/*
 * Known module cycle, exempted here rather than in the baseline file: dependency-cruiser 17 applies
 * --ignore-known to file-level violations only, not to folder-scoped rules like module-cycle.
 * points ↔ mall: points.service.ts takes the mall's redeem gate and writer (points redemption runs through
 * them), and mall.service.ts / redeem-writer.ts write the points models. Remove an edge from this map when
 * that direction is gone; the lint then guards it.
 */
const KNOWN_MODULE_CYCLE_EDGES = { points: 'mall', mall: 'points' };

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
      from: { path: MODULE_FOLDER, pathNot: moduleFolder(Object.keys(KNOWN_MODULE_CYCLE_EDGES)) },
      to: { path: MODULE_FOLDER, circular: true },
    },
    // The known cycle's own edges are exempt, nothing else from those modules: every new cycle has at least
    // one other edge, and that one is reported.
    ...Object.entries(KNOWN_MODULE_CYCLE_EDGES).map(([from, to]) => ({
      name: 'module-cycle',
      comment: `Known: ${from} → ${to} closes the ${from} ↔ ${to} cycle (see KNOWN_MODULE_CYCLE_EDGES).`,
      severity: 'error',
      scope: 'folder',
      from: { path: moduleFolder([from]) },
      to: { path: MODULE_FOLDER, pathNot: moduleFolder([to]), circular: true },
    })),
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
