import type { AppDeps } from '../../server/src/core/deps';
import type { Services } from '../../server/src/services';
import { SEED_STEPS } from './steps';
import type { SeedStep } from './types';

/** Runs every seed step in order, printing `[i/n] name …` progress through `print`. */
export async function runSeed(
  deps: AppDeps,
  services: Services,
  print: (line: string) => void,
  steps: readonly SeedStep[] = SEED_STEPS,
): Promise<void> {
  const started = Date.now();
  for (const [i, step] of steps.entries()) {
    const prefix = `[seed ${i + 1}/${steps.length}] ${step.name}`;
    const stepStarted = Date.now();
    print(`${prefix} …`);
    await step.run({ deps, services, log: (message) => print(`${prefix}: ${message}`) });
    print(`${prefix} done (${Date.now() - stepStarted} ms)`);
  }
  print(`[seed] ${steps.length} step(s) done in ${Date.now() - started} ms`);
}
