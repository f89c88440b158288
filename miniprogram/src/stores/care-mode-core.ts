import type { KeyValueStorage } from '../services/core/token-store';

export const CARE_MODE_KEY = 'rongmei.care-mode';
/** The root class that switches the type scale, contrast and tap size (styles/theme.scss, app.scss). */
export const CARE_MODE_CLASS = 'rm-care';

export interface CareMode {
  get(): boolean;
  set(on: boolean): void;
  /** Called after every set. */
  subscribe(listener: (on: boolean) => void): () => void;
}

/**
 * 关怀模式 (elder-friendly mode): one switch, remembered on the device. `apply` puts it on the page root
 * (the class on <html> in H5) so every page follows through the CSS variables, without code of its own.
 */
export function createCareMode(storage: KeyValueStorage, apply: (on: boolean) => void): CareMode {
  let on = storage.getItem(CARE_MODE_KEY) === '1';
  const listeners = new Set<(on: boolean) => void>();
  apply(on);
  return {
    get: () => on,
    set(next) {
      on = next;
      if (next) storage.setItem(CARE_MODE_KEY, '1');
      else storage.removeItem(CARE_MODE_KEY);
      apply(on);
      listeners.forEach((l) => l(on));
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
  };
}
