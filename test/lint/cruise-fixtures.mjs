/**
 * Cruises each fixture tree named on the command line with one rules file, in one process (a CLI run per
 * fixture costs a node start each), and prints { [fixture]: violations } as JSON.
 * Usage: node cruise-fixtures.mjs <rules file> <fixture dir>...
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { cruise } from 'dependency-cruiser';
import extractDepcruiseOptions from 'dependency-cruiser/config-utl/extract-depcruise-options';
import extractTSConfig from 'dependency-cruiser/config-utl/extract-ts-config';

const [rulesFile, ...fixtures] = process.argv.slice(2);
const options = await extractDepcruiseOptions(path.resolve(rulesFile));
const tsConfig = extractTSConfig(options.tsConfig.fileName);
const found = {};
for (const fixture of fixtures) {
  const baseDir = path.resolve(fixture);
  const targets = ['server/src', 'shared'].filter((dir) => existsSync(path.join(baseDir, dir)));
  const result = await cruise(targets, { ...options, baseDir, outputType: 'json' }, {}, { tsConfig });
  found[path.basename(baseDir)] = JSON.parse(result.output).summary.violations;
}
process.stdout.write(JSON.stringify(found));
