import { outcomeOfDrop, reasonKey } from './tally';

describe('the console counters’ reason keys', () => {
  it.each([
    ['no_consent', 'no_consent', 'refused'],
    ['refused', 'refused', 'refused'],
    ['daily_limit', 'daily_limit', 'dropped'],
    ['invalid_data: thing1 over 20 characters', 'invalid_data', 'dropped'],
    ['errcode 47003 invalid_data', 'errcode_47003', 'dropped'],
    ['errcode -1', 'errcode_-1', 'dropped'],
    ['gave_up after 5 attempts: errcode 45009', 'gave_up', 'dropped'],
    ['Something else', 'other', 'dropped'],
  ])('%s → %s (%s)', (reason, key, outcome) => {
    expect(reasonKey(reason)).toBe(key);
    expect(outcomeOfDrop(reason)).toBe(outcome);
  });
});
