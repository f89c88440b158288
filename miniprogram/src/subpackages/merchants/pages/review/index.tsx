import type { MerchantDetail, PromotionView } from '@shared/schemas/merchants';
import { View } from '@tarojs/components';
import Taro, { useDidShow } from '@tarojs/taro';
import { useState } from 'react';
import { Button, EmptyState, IconLine } from '../../../../components/ui';
import { api } from '../../../../services/request';
import '../../../coupons/coupons.scss';
import { Warning } from '@nutui/icons-react-taro';
import { withCareMode } from '../../../../stores/care-mode';

type Tab = 'applications' | 'promotions';

/** Asks the editor for a reason (declines must say why); null when cancelled or left empty. */
async function askReason(): Promise<string | null> {
  // editable/placeholderText exist in WeChat (base library 2.17.1+) but not in Taro's typings.
  const options = { title: '驳回理由', editable: true, placeholderText: '请填写理由' } as unknown as Taro.showModal.Option;
  const res = await Taro.showModal(options);
  const reason = (res as { content?: string }).content?.trim() ?? '';
  return res.confirm && reason ? reason : null;
}

/** 企业之家审核 (editors): merchant applications and promotions waiting for review. */
function MerchantReviewPage() {
  const [tab, setTab] = useState<Tab>('applications');
  const [applications, setApplications] = useState<MerchantDetail[]>([]);
  const [promotions, setPromotions] = useState<PromotionView[]>([]);
  const load = async () => {
    const [a, p] = await Promise.all([
      // The first page of each queue (oldest 50): deciding them brings the next ones up; the console pages the rest.
      api.get<{ items: MerchantDetail[]; nextCursor: string | null }>('/api/v1/merchants/applications', { silent: true }),
      api.get<{ items: PromotionView[]; nextCursor: string | null }>('/api/v1/promotions/queue', { silent: true }),
    ]);
    setApplications(a.items);
    setPromotions(p.items);
  };
  useDidShow(() => void load().catch(() => undefined));

  const decide = async (id: string, approve: boolean) => {
    const reason = approve ? undefined : await askReason();
    if (!approve && !reason) return;
    await api.post(`/api/v1/merchants/${id}/decision`, { decision: approve ? 'approve' : 'decline', ...(reason ? { reason } : {}) });
    await load();
  };
  const review = async (id: string, publish: boolean) => {
    const reason = publish ? undefined : await askReason();
    if (!publish && !reason) return;
    await api.post(`/api/v1/promotions/${id}/review`, { decision: publish ? 'publish' : 'reject', ...(reason ? { reason } : {}) });
    await load();
  };

  return (
    <View data-testid="merchant-review">
      <View className="cp-tabs">
        <View className={`cp-tab ${tab === 'applications' ? 'cp-tab--on' : ''}`} onClick={() => setTab('applications')}>
          入驻申请（{applications.length}）
        </View>
        <View className={`cp-tab ${tab === 'promotions' ? 'cp-tab--on' : ''}`} onClick={() => setTab('promotions')}>
          活动审核（{promotions.length}）
        </View>
      </View>
      {tab === 'applications' &&
        (applications.length === 0 ? (
          <EmptyState title="没有待审核的入驻申请" />
        ) : (
          applications.map((m) => (
            <View key={m.id} className="cp-section">
              <View className="cp-card__title">
                {m.name}（{m.category}）
              </View>
              <View className="cp-card__meta">{m.address}</View>
              <View className="cp-card__meta">
                执照 {m.licenceNo} · 电话 {m.phone} · {m.hours}
              </View>
              <Button size="mini" type="primary" onClick={() => void decide(m.id, true)}>
                通过
              </Button>
              <Button size="mini" onClick={() => void decide(m.id, false)}>
                驳回
              </Button>
            </View>
          ))
        ))}
      {tab === 'promotions' &&
        (promotions.length === 0 ? (
          <EmptyState title="没有待审核的活动" />
        ) : (
          promotions.map((p) => (
            <View key={p.id} className="cp-section">
              <View className="cp-card__title">
                【{p.kind}】{p.title} · {p.merchantName}
              </View>
              {p.textSafety === 'review' ? (
                <IconLine className="cp-card__meta" icon={<Warning />}>
                  内容安全检测建议人工复核
                </IconLine>
              ) : null}
              <View className="cp-card__meta">{p.body}</View>
              <Button size="mini" type="primary" onClick={() => void review(p.id, true)}>
                发布
              </Button>
              <Button size="mini" onClick={() => void review(p.id, false)}>
                驳回
              </Button>
            </View>
          ))
        ))}
    </View>
  );
}

export default withCareMode(MerchantReviewPage);
