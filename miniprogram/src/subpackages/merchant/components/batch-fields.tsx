import { COUPON_KIND_LABELS, COUPON_KINDS, type CouponKind } from '@shared/schemas/coupons';
import { Textarea, View } from '@tarojs/components';
import { Chips, DateTimeField, InputField } from '../../../components/form/fields';
import { addDays, type BatchForm } from '../form';

const KIND_OPTIONS = COUPON_KINDS.map((k) => [k, COUPON_KIND_LABELS[k]] as const);
const VALIDITY_OPTIONS = [
  ['relative', '领取后 N 天内有效'],
  ['fixed', '固定日期'],
] as const;

export interface BatchFieldsProps {
  form: BatchForm;
  /** Takes an updater, as React's setState does. */
  onChange: (update: (f: BatchForm) => BatchForm) => void;
  /** How the coupon's value reads (满 100 减 20…), once the value fields parse. */
  preview: string | null;
  /** A lottery batch: the claim window is the sign-up window, one coupon per winner. */
  lottery?: boolean;
  titlePlaceholder?: string;
}

/**
 * The coupon batch's fields (content, quantity, window, validity) shared by the shop's 发券 and the
 * government's 发放消费券 pages; what they become is form.ts buildBatchBody's job.
 */
export function BatchFields({ form, onChange, preview, lottery = false, titlePlaceholder = '如：开业酬宾 满 50 减 10' }: BatchFieldsProps) {
  const set = <K extends keyof BatchForm>(key: K, value: BatchForm[K]) => onChange((f) => ({ ...f, [key]: value }));
  const kind = form.kind;
  return (
    <View>
      <View className="mc-section">
        <View className="mc-section__title">券的内容</View>
        <InputField
          prefix="mc"
          label="标题"
          testId="mc-batch-title"
          placeholder={titlePlaceholder}
          maxlength={40}
          value={form.title}
          onInput={(v) => set('title', v)}
        />
        <View className="mc-label">类型</View>
        <Chips<CouponKind> prefix="mc" options={KIND_OPTIONS} value={kind} onChange={(v) => set('kind', v)} testId="mc-batch-kind" />
        <InputField
          prefix="mc"
          label={kind === 'discount' ? '折扣（折）' : '减免金额（元）'}
          testId="mc-batch-value"
          type="digit"
          placeholder={kind === 'discount' ? '如 8.8 表示 8.8 折' : '如 10'}
          value={form.value}
          onInput={(v) => set('value', v)}
        />
        <InputField
          prefix="mc"
          label={kind === 'spend_x_save_y' ? '满多少元可用（必填）' : '使用门槛（元，可不填）'}
          testId="mc-batch-threshold"
          type="digit"
          placeholder={kind === 'spend_x_save_y' ? '如 50' : '不设门槛留空'}
          value={form.threshold}
          onInput={(v) => set('threshold', v)}
        />
        <View className="mc-label">使用说明（可选）</View>
        <Textarea
          className="mc-textarea"
          data-testid="mc-batch-description"
          maxlength={500}
          placeholder="适用商品、不可与其他优惠同享等"
          value={form.description}
          onInput={(e) => set('description', e.detail.value)}
        />
        {preview ? (
          <View className="mc-preview" data-testid="mc-batch-preview">
            {preview}
          </View>
        ) : null}
      </View>

      <View className="mc-section">
        <View className="mc-section__title">数量</View>
        <View className="mc-row">
          <InputField
            prefix="mc"
            label="发放总量（张）"
            testId="mc-batch-stock"
            type="number"
            value={form.totalStock}
            onInput={(v) => set('totalStock', v)}
            grow
          />
          {lottery ? null : (
            <InputField
              prefix="mc"
              label="每人限领（张）"
              testId="mc-batch-limit"
              type="number"
              value={form.perUserLimit}
              onInput={(v) => set('perUserLimit', v)}
              grow
            />
          )}
        </View>
      </View>

      <View className="mc-section">
        <View className="mc-section__title">{lottery ? '报名时间' : '领取时间'}</View>
        <DateTimeField
          prefix="mc"
          label={lottery ? '报名开始' : '开始'}
          value={form.claimStarts}
          onChange={(v) => set('claimStarts', v)}
          testId="mc-batch-claim-start"
        />
        <DateTimeField
          prefix="mc"
          label={lottery ? '报名截止（截止后即可开奖）' : '结束'}
          value={form.claimEnds}
          onChange={(v) => set('claimEnds', v)}
          testId="mc-batch-claim-end"
        />
        {lottery ? (
          <View className="mc-hint">
            报名截止后由管理员在“政府消费券”页开奖：随机种子与报名名单一并公开，任何人可复核；中签者每人一张券。
          </View>
        ) : null}
      </View>

      <View className="mc-section">
        <View className="mc-section__title">有效期</View>
        <Chips
          prefix="mc"
          options={VALIDITY_OPTIONS}
          value={form.validity}
          onChange={(v) => {
            set('validity', v);
            if (v === 'fixed') onChange((f) => ({ ...f, validity: v, validFrom: f.claimStarts, validUntil: addDays(f.claimEnds, 30) }));
          }}
          testId="mc-batch-validity"
        />
        {form.validity === 'relative' ? (
          <View>
            <InputField
              prefix="mc"
              label="领取后有效天数"
              testId="mc-batch-days"
              type="number"
              value={form.validDays}
              onInput={(v) => set('validDays', v)}
            />
          </View>
        ) : (
          <View>
            <DateTimeField
              prefix="mc"
              label="生效"
              value={form.validFrom}
              onChange={(v) => set('validFrom', v)}
              testId="mc-batch-valid-from"
            />
            <DateTimeField
              prefix="mc"
              label="失效"
              value={form.validUntil}
              onChange={(v) => set('validUntil', v)}
              testId="mc-batch-valid-until"
            />
          </View>
        )}
        <View className="mc-hint">时间均为北京时间。券发布后不能修改，请仔细核对。</View>
      </View>
    </View>
  );
}
