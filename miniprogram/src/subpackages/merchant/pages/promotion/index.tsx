import { PROMOTION_KINDS, type PromotionView } from '@shared/schemas/merchants';
import { Input, Switch, Textarea, View } from '@tarojs/components';
import Taro, { useRouter } from '@tarojs/taro';
import { useState } from 'react';
import { PhotoPicker, type PickedPhoto } from '../../../../components/photo-picker/photo-picker';
import { Button, EmptyState } from '../../../../components/ui';
import { useSession } from '../../../../hooks/use-session';
import { useFormSubmit } from '../../../../hooks/use-form-submit';
import { ownsMerchant } from '../../../../utils/roles';
import { Chips, DateTimeField } from '../../../../components/form/fields';
import { buildPromotionBody, emptyPromotionForm, type PromotionForm } from '../../form';
import { merchantDeskApi } from '../../merchant.api';
import '../../merchant.scss';
import { withCareMode } from '../../../../stores/care-mode';

const KIND_OPTIONS = PROMOTION_KINDS.map((k) => [k, k] as const);

/**
 * 发布活动 (开业/促销/庆典…): the text goes through WeChat's content check on the server (refused when risky)
 * and then waits for an editor; once published it shows on the shop's page and in the 企业之家 column.
 */
function PostPromotionPage() {
  const merchantId = useRouter().params.merchantId ?? '';
  const { user } = useSession();
  const [form, setForm] = useState<PromotionForm>(() => emptyPromotionForm(new Date()));
  // CONTENT_RISKY comes back as 活动内容未通过安全检测，请修改后再提交.
  const { error, busy, submit: send } = useFormSubmit('提交失败，请稍后再试');
  const [photos, setPhotos] = useState<PickedPhoto[]>([]);
  const [uploading, setUploading] = useState(false);
  const [sent, setSent] = useState<PromotionView | null>(null);
  const set = <K extends keyof PromotionForm>(key: K, value: PromotionForm[K]) => setForm((f) => ({ ...f, [key]: value }));

  const submit = async () => {
    const checked = buildPromotionBody({ ...form, photos: photos.map((p) => p.url) });
    const answer = await send(checked, (body) => merchantDeskApi.createPromotion(merchantId, body));
    if (answer) setSent(answer.promotion);
  };

  if (!merchantId) return <View className="mc-error">缺少商户信息，请从商户工作台进入</View>;
  if (!ownsMerchant(user, merchantId))
    return <EmptyState title="仅本店负责人可以发布活动" description="请联系店铺负责人发布开业、促销或庆典活动" />;
  if (sent)
    return (
      <View data-testid="mc-promotion-done">
        <View className="mc-done">
          <View className="mc-section__title">已提交，等待编辑审核</View>
          <View>
            【{sent.kind}】{sent.title}
          </View>
          {sent.photos.length ? <View className="mc-hint">附图 {sent.photos.length} 张</View> : null}
          <View className="mc-hint">
            {sent.textSafety === 'review' ? '内容需要人工复核，审核可能稍慢。' : '内容安全检测已通过。'}
            审核通过后将显示在店铺页和“企业之家”栏目。
          </View>
        </View>
        <View className="mc-actions">
          <Button block type="primary" data-testid="mc-promotion-back" onClick={() => void Taro.navigateBack()}>
            返回工作台（查看审核状态）
          </Button>
        </View>
      </View>
    );

  return (
    <View className="mc-form" data-testid="mc-promotion-form">
      <View className="mc-section">
        <View className="mc-label">类型</View>
        <Chips prefix="mc" options={KIND_OPTIONS} value={form.kind} onChange={(v) => set('kind', v)} testId="mc-promotion-kind" />
        <View className="mc-label">标题</View>
        <Input
          className="mc-input"
          data-testid="mc-promotion-title"
          maxlength={40}
          placeholder="如：老街米粉店开业三天全场八折"
          value={form.title}
          onInput={(e) => set('title', e.detail.value)}
        />
        <View className="mc-label">内容</View>
        <Textarea
          className="mc-textarea"
          data-testid="mc-promotion-body"
          maxlength={2000}
          placeholder="活动内容、时间、地点、注意事项"
          value={form.body}
          onInput={(e) => set('body', e.detail.value)}
        />
      </View>
      <View className="mc-section">
        <View className="mc-label">图片（{photos.length}/9，JPEG/PNG/WebP/GIF，每张不超过 5MB，可选）</View>
        <PhotoPicker testId="mc-promotion" value={photos} onChange={setPhotos} disabled={busy} onBusyChange={setUploading} />
      </View>
      <View className="mc-section">
        <View className="mc-row">
          <View className="mc-grow">设置活动时间</View>
          <Switch data-testid="mc-promotion-dates" checked={form.withDates} onChange={(e) => set('withDates', e.detail.value)} />
        </View>
        {form.withDates ? (
          <View>
            <DateTimeField prefix="mc" label="开始" value={form.starts} onChange={(v) => set('starts', v)} />
            <DateTimeField prefix="mc" label="结束" value={form.ends} onChange={(v) => set('ends', v)} />
          </View>
        ) : null}
        <View className="mc-hint">提交后将进行内容安全检测和编辑审核，请勿包含违法违规、虚假夸大的内容。</View>
      </View>
      {error ? (
        <View className="mc-error" data-testid="mc-promotion-error">
          {error}
        </View>
      ) : null}
      <View className="mc-actions">
        <Button
          block
          type="primary"
          loading={busy}
          disabled={busy || uploading}
          data-testid="mc-promotion-submit"
          onClick={() => void submit()}
        >
          提交审核
        </Button>
      </View>
    </View>
  );
}

export default withCareMode(PostPromotionPage);
