import { everyMinutes, type JobDefinition } from './scheduler';

/**
 * Every minute: contests whose round boundary has passed move on (entry closes, voting opens, tallies
 * freeze, results and awards are published). Catches up through several boundaries after downtime;
 * safe when two schedulers overlap (per-contest lock + compare-and-set on the round).
 */
export const contestsAdvanceJob: JobDefinition = {
  name: 'contests-advance',
  ...everyMinutes(1),
  async run({ services }, slot) {
    await services.contests.advanceDue(slot);
  },
};
