import type { BoardRow } from '@shared/schemas/wenzheng';
import { Picker, View } from '@tarojs/components';
import { useEffect, useState } from 'react';
import { EmptyState, ErrorState, LoadingState, IconLine } from '../../../../components/ui';
import { wenzhengApi } from '../../../../services/wenzheng.api';
import '../../wenzheng.scss';
import { Clock } from '@nutui/icons-react-taro';
import { withCareMode } from '../../../../stores/care-mode';

function currentMonth(): string {
  return new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 7);
}
const pct = (v: number | null) => (v === null ? '—' : `${Math.round(v * 1000) / 10}%`);

function Bar({ label, value }: { label: string; value: number | null }) {
  return (
    <View className="wz-row">
      <View className="wz-label" style={{ width: '70px' }}>
        {label}
      </View>
      <View className="wz-bar-track">
        <View className="wz-bar" style={{ width: `${Math.round((value ?? 0) * 100)}%` }} />
      </View>
      <View className="wz-label">{pct(value)}</View>
    </View>
  );
}

/** The public monthly ranking: each department's cases, reply rate, on-time rate, satisfaction, median time to answer. */
function BoardsPage() {
  const [month, setMonth] = useState(currentMonth());
  const [rows, setRows] = useState<BoardRow[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const load = () => {
    setRows(null);
    wenzhengApi
      .board(month)
      .then((r) => {
        setRows(r.rows);
        setError(null);
      })
      .catch((err: unknown) => setError(err instanceof Error ? err.message : '加载失败'));
  };
  useEffect(load, [month]);

  return (
    <View data-testid="wz-boards">
      <Picker mode="date" fields="month" value={month} onChange={(e) => setMonth(String(e.detail.value).slice(0, 7))}>
        <View className="wz-section wz-text">
          <IconLine icon={<Clock />}>{month}（点击切换月份）</IconLine>
        </View>
      </Picker>
      {error ? <ErrorState description={error} onRetry={load} /> : null}
      {!error && !rows ? <LoadingState /> : null}
      {rows && rows.every((r) => r.cases === 0) ? <EmptyState title="本月还没有交办的问政" /> : null}
      {rows
        ?.filter((r) => r.cases > 0)
        .map((r) => (
          <View key={r.department.code} className="wz-section" data-testid="wz-board-row">
            <View className="wz-row">
              <View className="wz-text" style={{ fontWeight: 600 }}>
                第 {r.rank} 名 · {r.department.name}
              </View>
              <View className="wz-label">
                办件 {r.cases} · 答复 {r.answered}
                {r.medianHoursToAnswer !== null ? ` · 用时中位数 ${r.medianHoursToAnswer} 小时` : ''}
              </View>
            </View>
            <Bar label="答复率" value={r.replyRate} />
            <Bar label="按时率" value={r.onTimeRate} />
            <Bar label="满意率" value={r.satisfaction} />
          </View>
        ))}
    </View>
  );
}

export default withCareMode(BoardsPage);
