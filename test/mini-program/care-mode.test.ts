/**
 * 关怀模式 (miniprogram/src/stores/care-mode-core.ts), Taro-free: off for a new install, remembered on the
 * device across app starts, applied to the page root at start and on every change, and heard by the switch.
 */
import { CARE_MODE_KEY, createCareMode } from '../../miniprogram/src/stores/care-mode-core';
import { memoryStorage } from './fake-transport';

describe('关怀模式', () => {
  it('is off for a new install and applies that at start', () => {
    const applied: boolean[] = [];
    const care = createCareMode(memoryStorage(), (on) => applied.push(on));
    expect(care.get()).toBe(false);
    expect(applied).toEqual([false]);
  });

  it('is remembered on the device: the next start applies it before any page draws', () => {
    const storage = memoryStorage();
    const first = createCareMode(storage, () => undefined);
    const heard: boolean[] = [];
    first.subscribe((on) => heard.push(on));
    first.set(true);
    expect(heard).toEqual([true]);
    expect(storage.data.get(CARE_MODE_KEY)).toBe('1');

    const applied: boolean[] = [];
    const next = createCareMode(storage, (on) => applied.push(on));
    expect(next.get()).toBe(true);
    expect(applied).toEqual([true]);

    next.set(false);
    expect(storage.data.has(CARE_MODE_KEY)).toBe(false);
    expect(applied).toEqual([true, false]);
  });
});
