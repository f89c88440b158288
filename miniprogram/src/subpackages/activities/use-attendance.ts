import Taro from '@tarojs/taro';
import { useState } from 'react';
import { scanCode, volunteersApi, type Attendance } from '../../services/volunteers.api';
import { currentPosition } from '../../utils/position';

/**
 * Check-in / check-out from a page: scan the leader's rotating code (or none, for the printed code that
 * opened the page), read the phone's position, and let the server decide. Its refusals are Chinese
 * sentences (too far: N 米, code expired, window not open…) and show as the request's toast.
 */
export function useAttendance(activityId: string, onDone: (a: Attendance) => void) {
  const [busy, setBusy] = useState(false);
  /** `typed`: the code pasted into the H5 console (no camera scanner there). */
  async function act(kind: 'in' | 'out', withScan: boolean, typed?: string): Promise<void> {
    if (busy) return;
    setBusy(true);
    try {
      let code: string | undefined = typed?.trim() || undefined;
      if (withScan && !code) {
        const scanned = await scanCode();
        if (!scanned) return;
        code = scanned;
      }
      const location = await currentPosition();
      const body = { ...(code ? { code } : {}), ...(location ? { location } : {}) };
      const res = kind === 'in' ? await volunteersApi.checkIn(activityId, body) : await volunteersApi.checkOut(activityId, body);
      void Taro.showToast({ title: kind === 'in' ? '签到成功' : '签退成功', icon: 'success' });
      onDone(res.attendance);
    } catch {
      // The API client already showed the server's reason.
    } finally {
      setBusy(false);
    }
  }
  return { busy, act };
}
