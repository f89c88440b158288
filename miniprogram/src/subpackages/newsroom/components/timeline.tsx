import { SUBMISSION_STATE_LABELS, type TimelineEntry } from '@shared/schemas/newsroom';
import { View } from '@tarojs/components';
import { formatShanghai } from '../../../utils/format';

const ACTION_LABELS: Record<TimelineEntry['action'], string> = {
  save: '创建草稿',
  submit: '提交',
  recommend: '圈长推荐',
  return: '退回修改',
  claim: '编辑认领',
  reject: '不予采用',
  approve: '审核通过',
  publish: '发布',
  schedule: '定时发布',
};

/** Every transition of a piece, newest first: what, who, when and the note. */
export function Timeline({ entries }: { entries: TimelineEntry[] }) {
  return (
    <View className="nr-section" data-testid="nr-timeline">
      <View className="nr-label">流转记录</View>
      {[...entries].reverse().map((e, i) => (
        <View key={`${e.at}-${i}`} className="nr-timeline-item" data-testid="nr-timeline-item">
          <View className="nr-text">
            {ACTION_LABELS[e.action]} · {e.byName} → {SUBMISSION_STATE_LABELS[e.to]}
          </View>
          {e.note ? <View className="nr-text">意见：{e.note}</View> : null}
          <View className="nr-hint">{formatShanghai(e.at)}</View>
        </View>
      ))}
    </View>
  );
}
