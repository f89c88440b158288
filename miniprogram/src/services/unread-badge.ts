import Taro from '@tarojs/taro';
import { notificationsApi } from './notifications.api';
import { tokens } from './request';

/** 我的 is the fourth tab (app.config.ts): its badge shows the unread messages. */
const MINE_TAB = 3;

/**
 * Puts the unread count on the 我的 tab (99+ above 99; no badge at 0) and returns it; null when signed out or
 * the count could not be read. WeChat sets tab badges only while a tab page shows: elsewhere it fails, quietly.
 */
export async function refreshUnreadBadge(): Promise<number | null> {
  if (!tokens.get()) return null;
  let unread: number;
  try {
    unread = (await notificationsApi.unreadCount()).unread;
  } catch {
    return null;
  }
  await (
    unread > 0
      ? Taro.setTabBarBadge({ index: MINE_TAB, text: unread > 99 ? '99+' : String(unread) })
      : Taro.removeTabBarBadge({ index: MINE_TAB })
  ).catch(() => undefined);
  return unread;
}
