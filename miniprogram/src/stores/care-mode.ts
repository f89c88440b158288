import { View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { createElement, useEffect, useState, type ComponentType } from 'react';
import { CARE_MODE_CLASS, createCareMode } from './care-mode-core';

/** H5: the class on <html>, which the token variables follow (styles/theme.scss). */
function applyToRoot(on: boolean): void {
  if (process.env.TARO_ENV !== 'h5') return;
  const root = (globalThis as { document?: { documentElement: { classList: { toggle(c: string, on: boolean): void } } } }).document
    ?.documentElement;
  root?.classList.toggle(CARE_MODE_CLASS, on);
}

/** The app's one 关怀模式 switch (built at startup, so the first page already draws in the chosen size). */
export const careMode = createCareMode(
  {
    getItem: (k) => Taro.getStorageSync(k) as string | undefined,
    setItem: (k, v) => Taro.setStorageSync(k, v),
    removeItem: (k) => Taro.removeStorageSync(k),
  },
  applyToRoot,
);

/** [on, set] for the switch in 我的; re-renders when it changes. */
export function useCareMode(): [boolean, (on: boolean) => void] {
  const [on, setOn] = useState(careMode.get());
  useEffect(() => careMode.subscribe(setOn), []);
  return [on, careMode.set];
}

/**
 * Every page's default export goes through this. H5 gets the page itself: the class on <html> already reaches
 * every page. WeChat has no <html> and never draws a class on a page's own root, so there the page is drawn
 * inside one view that carries the class while the switch is on; app.scss re-declares the tokens under it.
 */
export function withCareMode<P extends object>(Page: ComponentType<P>): ComponentType<P> {
  if (process.env.TARO_ENV === 'h5') return Page;
  function CareModePage(props: P) {
    const [on] = useCareMode();
    return createElement(View, { className: on ? CARE_MODE_CLASS : undefined }, createElement(Page, props));
  }
  CareModePage.displayName = `withCareMode(${Page.displayName ?? Page.name})`;
  return CareModePage;
}
