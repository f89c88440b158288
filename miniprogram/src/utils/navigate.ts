import Taro from '@tarojs/taro';
import type { ResolvedLink } from './deep-link';

/** Opens a resolved deep link: tab pages by switchTab, others by navigateTo (or redirectTo when replacing). */
export async function openLink(link: ResolvedLink, replace = false): Promise<void> {
  if (link.isTab) {
    await Taro.switchTab({ url: link.url });
  } else if (replace) {
    await Taro.redirectTo({ url: link.url });
  } else {
    await Taro.navigateTo({ url: link.url });
  }
}

/** navigateTo that shows a toast instead of failing silently (a feature page not shipped yet). */
export function go(url: string): void {
  Taro.navigateTo({ url }).catch(() => void Taro.showToast({ title: '功能即将上线', icon: 'none' }));
}
