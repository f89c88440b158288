import type { BatchView } from '@shared/schemas/coupons';
import Taro from '@tarojs/taro';
import { useEffect, useState } from 'react';
import { couponsApi } from '../../services/coupons.api';
import { isApiError } from '../../services/core/api-error';
import { auth, tokens } from '../../services/request';
import { askConsent, CONSENT_FOR, preloadTemplates } from '../../services/subscribe';
import { createGrabKeys, grabWithKey } from './grab-keys';
import { createSignupMemory } from './lottery';

// One per app session (module scope outlives pages): a tap on any page showing the batch reuses the key
// of an unsettled grab of it.
const grabKeys = createGrabKeys();

const SIGNUPS_KEY = 'rm.coupons.lottery-signups';
/** The lottery sign-ups made on this phone, so the button reads 已报名 until the draw says more. */
export const signups = createSignupMemory({
  get: () => (Taro.getStorageSync(SIGNUPS_KEY) as string | undefined) || undefined,
  set: (v) => Taro.setStorageSync(SIGNUPS_KEY, v),
});

/** The signed-in user's id, or null. */
export function currentUserId(): string | null {
  const user = tokens.get()?.user as { id?: unknown } | undefined;
  return typeof user?.id === 'string' ? user.id : null;
}

/** Whether this phone's user signed up for the lottery batch. */
export const isSignedUp = (batchId: string): boolean => {
  const userId = currentUserId();
  return !!userId && signups.has(userId, batchId);
};

/** The grab (or lottery sign-up) behind a batch's button; the server says at once why not, as a toast. */
export function useGrab(onDone: () => void) {
  const [busy, setBusy] = useState<string | null>(null);
  useEffect(() => void preloadTemplates(), []);
  const act = async (batch: BatchView) => {
    // Asked from the tap itself (WeChat's rule) but not awaited: a grab is a race, and the expiry reminder it leads
    // to is days away, so the answer is reported whenever the user gives it.
    void askConsent(CONSENT_FOR.couponGrab);
    if (!(await auth.ensureLoggedIn())) return;
    setBusy(batch.id);
    try {
      if (batch.mode === 'lottery') {
        try {
          await couponsApi.signUp(batch.id);
          void Taro.showToast({ title: '报名成功，等待抽签', icon: 'success' });
        } catch (err) {
          // 你已报名 (toasted by the request wrapper): signed up from another phone or before a reinstall.
          if (!isApiError(err) || err.code !== 'COUPON_ALREADY_SIGNED_UP') throw err;
        }
        const userId = currentUserId();
        if (userId) signups.add(userId, batch.id);
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
