import type { SeedStep } from '../types';
import { contestsSeed } from './contests';
import { identitySeed } from './identity';
import { merchantsSeed } from './merchants';
import { newsroomSeed } from './newsroom';
import { pointsSeed } from './points';
import { statsSeed } from './stats';
import { volunteersSeed } from './volunteers';
import { wenzhengSeed } from './wenzheng';

/**
 * Seed steps in run order (later steps may rely on earlier ones: users before their roles, merchants
 * before coupons). A module adds `scripts/seed/steps/<module>.ts` exporting a SeedStep and one line here.
 */
export const SEED_STEPS: readonly SeedStep[] = [
  identitySeed,
  newsroomSeed,
  wenzhengSeed,
  merchantsSeed,
  volunteersSeed,
  contestsSeed,
  pointsSeed,
  // Last: the roll-up counts what the steps above wrote.
  statsSeed,
];
