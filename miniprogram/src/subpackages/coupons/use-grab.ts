import type { BatchView } from '@shared/schemas/coupons';
import Taro from '@tarojs/taro';
import { useState } from 'react';
import { couponsApi } from '../../services/coupons.api';
import { auth } from '../../services/request';
import { createGrabKeys, grabWithKey } from './grab-keys';

// One per app session (module scope outlives pages): a tap on any page showing the batch reuses the key
// of an unsettled grab of it.
const grabKeys = createGrabKeys();

/** The grab (or lottery sign-up) behind a batch's button; the server says at once why not, as a toast. */
export function useGrab(onDone: () => void) {
  const [busy, setBusy] = useState<string | null>(null);
  const act = async (batch: BatchView) => {
    if (!(await auth.ensureLoggedIn())) return;
    setBusy(batch.id);
    try {
      if (batch.mode === 'lottery') {
        await couponsApi.signUp(batch.id);
        void Taro.showToast({ title: '报名成功，等待抽签', icon: 'success' });
      } else {
        // A retry of an unanswered grab sends the same key: the server gives that coupon back, not a second one.
        await grabWithKey(grabKeys, batch.id, couponsApi.claim);
        void Taro.showToast({ title: '领取成功', icon: 'success' });
      }
    } catch {
      // The request wrapper already showed the server's reason (已抢完 / 已达上限 / 未开始 / 已结束).
    } finally {
      setBusy(null);
      onDone();
    }
  };
  return { busy, act };
}
