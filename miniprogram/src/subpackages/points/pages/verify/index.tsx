import type { Redemption } from '@shared/schemas/points';

import { View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { useState } from 'react';
import { createRetryKeys, sendWithKey } from '../../../../services/core/retry-keys';
import { REDEMPTION_STATUS_LABELS, pointsApi } from '../../../../services/points.api';
import '../../points.scss';
import { Button } from '../../../../components/ui';
import { withCareMode } from '../../../../stores/care-mode';

// One key per code until its answer settles (module scope outlives the page): confirming the same code again
// after a lost answer resends the key, so the server answers 核销成功 again, not 已领取.
const scanKeys = createRetryKeys();

/** Counter staff: scan a redemption code, see what to hand over, confirm the hand-over (核销, once). */
function VerifyPage() {
  const [found, setFound] = useState<Redemption | null>(null);
  const [busy, setBusy] = useState(false);

  const scan = async () => {
    const res = await Taro.scanCode({ onlyFromCamera: true, scanType: ['qrCode'] }).catch(() => null);
    if (!res) return;
    try {
      setFound((await pointsApi.preview(res.result.trim().toUpperCase())).redemption);
    } catch (err) {
      setFound(null);
      void Taro.showToast({ title: err instanceof Error ? err.message : '兑换码无效', icon: 'none' });
    }
  };
  const confirm = async () => {
    if (!found || busy) return;
    setBusy(true);
    try {
      setFound((await sendWithKey(scanKeys, found.code, (code, key) => pointsApi.verify(code, key))).redemption);
      void Taro.showToast({ title: '核销成功', icon: 'success' });
    } catch (err) {
      void Taro.showToast({ title: err instanceof Error ? err.message : '核销失败', icon: 'none' });
    } finally {
      setBusy(false);
    }
  };

  return (
    <View data-testid="pt-verify">
      <View className="pt-button">
        <Button type="primary" block onClick={() => void scan()} data-testid="pt-scan">
          扫描兑换码
        </Button>
      </View>
      {found ? (
        <View className="pt-card" data-testid="pt-found">
          <View className="pt-card__title">{found.goodsName}</View>
          <View className="pt-card__meta">
            兑换码 {found.code} · {REDEMPTION_STATUS_LABELS[found.status]}
          </View>
          {found.status === 'pending' ? (
            <View className="pt-button">
              <Button type="primary" block disabled={busy} onClick={() => void confirm()} data-testid="pt-confirm">
                确认已交付
              </Button>
            </View>
          ) : null}
        </View>
      ) : null}
    </View>
  );
}

export default withCareMode(VerifyPage);
