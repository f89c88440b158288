import { View } from '@tarojs/components';
import { useLoad } from '@tarojs/taro';
import { useCallback, useState } from 'react';
import { Button, ErrorState, ListItem, LoadingState } from '../../../../components/ui';
import { auth } from '../../../../services/request';
import { hoursText, volunteersApi, type Certificate, type RecordResponse } from '../../../../services/volunteers.api';
import { formatShanghai } from '../../../../utils/format';
import { go } from '../../../../utils/navigate';
import '../../volunteers.scss';
import { withCareMode } from '../../../../stores/care-mode';

/** My service record (confirmed hours by month and year, activities) and the certificate page. */
function RecordPage() {
  const [data, setData] = useState<{ record: RecordResponse; certificate: Certificate } | null>(null);
  const [failed, setFailed] = useState(false);
  const load = useCallback(async () => {
    try {
      await auth.ensureLoggedIn();
      const [record, cert] = await Promise.all([volunteersApi.record(), volunteersApi.certificate()]);
      setData({ record, certificate: cert.certificate });
      setFailed(false);
    } catch {
      setFailed(true);
    }
  }, []);
  useLoad(() => void load());
  if (failed) return <ErrorState onRetry={() => void load()} />;
  if (!data) return <LoadingState />;
  const { record, certificate } = data;
  return (
    <View data-testid="vl-record">
      <View className="vl-section">
        <View className="vl-section__title">志愿服务证明</View>
        <View className="vl-big">{certificate.totalHours} 小时</View>
        <View className="vl-meta">
          {certificate.name} 同志参加志愿服务 {certificate.activityCount} 次，累计服务 {certificate.totalHours} 小时。
        </View>
        <View className="vl-meta">{certificate.teams.join('、')}</View>
        <View className="vl-meta">
          {certificate.issuer} · 编号 {certificate.serial} · {formatShanghai(certificate.issuedAt, false)}
        </View>
        <Button
          size="small"
          type="primary"
          data-testid="vl-open-certificate"
          onClick={() => go('/subpackages/activities/pages/certificate/index')}
        >
          查看并导出证明
        </Button>
      </View>
      <View className="vl-section">
        <View className="vl-section__title">按年 / 按月</View>
        {record.byYear.map((y) => (
          <View key={y.year} className="vl-meta">
            {y.year} 年：{y.hours} 小时
          </View>
        ))}
        {record.byMonth.map((m) => (
          <View key={m.month} className="vl-meta">
            {m.month}：{m.hours} 小时
          </View>
        ))}
      </View>
      <View className="vl-section">
        <View className="vl-section__title">参加的活动</View>
        {record.activities.map((a) => (
          <ListItem
            key={a.activityId}
            title={a.title}
            description={`${formatShanghai(a.startAt)} · ${a.teamName}`}
            meta={
              a.confirmed
                ? `${hoursText(a.minutes)} · ${a.pointsAwarded} 积分`
                : a.minutes !== null
                  ? `${hoursText(a.minutes)}（待确认）`
                  : '未完成'
            }
          />
        ))}
      </View>
    </View>
  );
}

export default withCareMode(RecordPage);
