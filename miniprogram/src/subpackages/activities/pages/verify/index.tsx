import type { CertificateCheck } from '@shared/schemas/volunteers';
import { certificateSerialParamsSchema } from '@shared/schemas/volunteers';

import { Input, View } from '@tarojs/components';
import { useLoad } from '@tarojs/taro';
import { useState } from 'react';
import { isApiError } from '../../../../services/core/api-error';
import { volunteersApi } from '../../../../services/volunteers.api';
import { formatShanghai } from '../../../../utils/format';
import '../../volunteers.scss';
import { Button, IconLine } from '../../../../components/ui';
import { CheckChecked } from '@nutui/icons-react-taro';
import { withCareMode } from '../../../../stores/care-mode';

/** 证明核验: anyone types (or opens with) a certificate's serial and sees the figures as issued. No sign-in. */
function VerifyCertificatePage() {
  const [serial, setSerial] = useState('');
  const [check, setCheck] = useState<CertificateCheck | null>(null);
  const [error, setError] = useState<string | null>(null);

  const run = async (typed: string) => {
    setCheck(null);
    const parsed = certificateSerialParamsSchema.safeParse({ serial: typed });
    if (!parsed.success) {
      setError(parsed.error.issues[0]?.message ?? '证明编号无效');
      return;
    }
    setError(null);
    try {
      setCheck((await volunteersApi.checkCertificate(parsed.data.serial)).check);
    } catch (err) {
      setError(isApiError(err) ? err.message : '核验失败，请稍后再试');
    }
  };
  useLoad((params: Record<string, string | undefined>) => {
    if (params.serial) {
      setSerial(params.serial);
      void run(params.serial);
    }
  });

  return (
    <View data-testid="vl-verify">
      <View className="vl-section">
        <View className="vl-section__title">核验志愿服务证明</View>
        <Input
          className="vl-code-input"
          data-testid="vl-verify-input"
          placeholder="输入证明上的 16 位编号"
          value={serial}
          onInput={(e) => setSerial(e.detail.value)}
        />
        <Button type="primary" data-testid="vl-verify-submit" onClick={() => void run(serial)}>
          核验
        </Button>
      </View>
      {error ? (
        <View className="vl-section" data-testid="vl-verify-error">
          {error}
        </View>
      ) : null}
      {check ? (
        <View className="vl-section" data-testid="vl-verify-result">
          <IconLine className="vl-ok" icon={<CheckChecked />}>
            证明有效
          </IconLine>
          <View className="vl-meta">持有人：{check.maskedName}</View>
          <View className="vl-big">累计 {check.totalHours} 小时</View>
          <View className="vl-meta">参加活动 {check.activityCount} 次</View>
          {check.byYear.map((y) => (
            <View key={y.year} className="vl-meta">
              {y.year} 年：{y.hours} 小时
            </View>
          ))}
          <View className="vl-meta">
            {check.issuer} · {formatShanghai(check.issuedAt, false)} 出具 · 编号 {check.serial}
          </View>
          {check.latest ? null : <View className="vl-meta">持有人此后还有新的服务记录，本证明为当时的数据。</View>}
        </View>
      ) : null}
    </View>
  );
}

export default withCareMode(VerifyCertificatePage);
