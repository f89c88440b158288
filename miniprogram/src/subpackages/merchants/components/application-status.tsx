import type { MerchantDetail } from '@shared/schemas/merchants';
import { Image, Text, View } from '@tarojs/components';
import { formatShanghai } from '../../../utils/format';

const STATE: Record<MerchantDetail['state'], { label: string; tag: string; note: string }> = {
  pending: {
    label: '审核中',
    tag: 'rm-tag rm-tag--warning',
    note: '编辑会核对店铺信息和营业执照，一般 1–3 个工作日内审核完。结果会显示在这里，请耐心等候。',
  },
  approved: { label: '已入驻', tag: 'rm-tag rm-tag--success', note: '审核已通过，你的店已出现在“商家”里。' },
  declined: { label: '未通过', tag: 'rm-tag', note: '请按编辑说的原因修改后重新申请。' },
};

/** One application as its applicant sees it: the state in words, what happens next, the reason when declined. */
export function ApplicationStatus({ merchant: m }: { merchant: MerchantDetail }) {
  const s = STATE[m.state];
  return (
    <View className="mc-section" data-testid="sh-status">
      <View className="sh-status__head">
        <Text className="mc-section__title">入驻申请</Text>
        <Text className={s.tag} data-testid="sh-status-state">
          {s.label}
        </Text>
      </View>
      <View className="sh-status__shop">
        {m.photos[0] ? <Image className="sh-status__photo" src={m.photos[0]} mode="aspectFill" /> : null}
        <View>
          <View className="sh-status__name">{m.name}</View>
          <View className="mc-hint">
            {m.category} · {m.address}
          </View>
        </View>
      </View>
      {m.state === 'declined' && m.reason ? (
        <View className="mc-error sh-status__reason" data-testid="sh-status-reason">
          未通过原因：{m.reason}
        </View>
      ) : null}
      <View className="sh-status__note">{s.note}</View>
      <View className="mc-hint">
        提交于 {formatShanghai(m.createdAt)}
        {m.decidedAt ? ` · 审核于 ${formatShanghai(m.decidedAt)}` : ''}
      </View>
    </View>
  );
}
