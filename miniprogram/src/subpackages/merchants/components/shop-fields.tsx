import { Location } from '@nutui/icons-react-taro';
import { MERCHANT_CATEGORIES } from '@shared/schemas/merchants';
import { Input, Textarea, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import type { ReactNode } from 'react';
import { Chips } from '../../../components/form/fields';
import { PhotoPicker, type PickedPhoto } from '../../../components/photo-picker/photo-picker';
import { Button, IconLine } from '../../../components/ui';
import { currentPosition } from '../../../utils/position';
import type { FieldErrors, ShopField, ShopForm } from '../shop-form';

const isWeapp = process.env.TARO_ENV === 'weapp';
const CATEGORY_OPTIONS = MERCHANT_CATEGORIES.map((c) => [c, c] as const);

/** Photos already stored (an application being corrected, a shop being edited) as the picker's items. */
export const pickedFromUrls = (urls: readonly string[]): PickedPhoto[] => urls.map((url) => ({ id: url, url, src: url }));

function Field({
  label,
  error,
  hint,
  children,
  testId,
}: {
  label: string;
  error?: string;
  hint?: string;
  children: ReactNode;
  testId: string;
}) {
  return (
    <View className={`sh-field${error ? ' sh-field--error' : ''}`} data-testid={`${testId}-field`}>
      <View className="mc-label">{label}</View>
      {children}
      {hint && !error ? <View className="mc-hint">{hint}</View> : null}
      {error ? (
        <View className="sh-field__error" data-testid={`${testId}-error`}>
          {error}
        </View>
      ) : null}
    </View>
  );
}

export interface ShopFieldsProps {
  form: ShopForm;
  errors: FieldErrors;
  set: <K extends ShopField>(key: K, value: ShopForm[K]) => void;
  photos: PickedPhoto[];
  onPhotos: (update: (prev: PickedPhoto[]) => PickedPhoto[]) => void;
  onUploading: (busy: boolean) => void;
  /** Applying: the licence photo (one), uploaded as the shop photos are. */
  licencePhoto?: PickedPhoto[];
  onLicencePhoto?: (update: (prev: PickedPhoto[]) => PickedPhoto[]) => void;
  /** Applying: name, category and licence too. Editing: they stay as reviewed. */
  mode: 'apply' | 'edit';
  busy: boolean;
}

/**
 * The shop's details, one labelled field each with its own error under it: 商户入驻 (all of them) and
 * 店铺资料 (what an owner may change without a new review).
 */
export function ShopFields({
  form,
  errors,
  set,
  photos,
  onPhotos,
  licencePhoto = [],
  onLicencePhoto,
  onUploading,
  mode,
  busy,
}: ShopFieldsProps) {
  const input = (key: 'name' | 'address' | 'hours' | 'phone' | 'licenceNo', placeholder: string, maxlength: number, type?: 'number') => (
    <Input
      className="mc-input"
      data-testid={`sh-${key}`}
      type={type}
      maxlength={maxlength}
      placeholder={placeholder}
      value={form[key]}
      onInput={(e) => set(key, e.detail.value)}
    />
  );

  // WeChat: pick the shop on the map (it also gives the address). Both: the phone's own position, for
  // someone filling in the form inside the shop.
  const pickOnMap = async () => {
    try {
      const picked = await Taro.chooseLocation(form.location ? { latitude: form.location.lat, longitude: form.location.lng } : {});
      set('location', { lat: picked.latitude, lng: picked.longitude });
      if (!form.address.trim() && picked.address) set('address', `${picked.address}${picked.name ? ` ${picked.name}` : ''}`.slice(0, 120));
    } catch (err) {
      if (!/cancel/i.test(String((err as { errMsg?: string })?.errMsg ?? '')))
        void Taro.showToast({ title: '打不开地图，请在设置里允许使用位置', icon: 'none' });
    }
  };
  const useHere = async () => {
    const here = await currentPosition();
    if (here) set('location', here);
    else void Taro.showToast({ title: '没能取得位置，请允许使用位置后再试', icon: 'none' });
  };

  return (
    <View>
      <View className="mc-section">
        <View className="mc-section__title">店铺信息</View>
        {mode === 'apply' ? (
          <Field label="店名" error={errors.name} testId="sh-name">
            {input('name', '和招牌上一致，如：老街米粉店', 40)}
          </Field>
        ) : null}
        {mode === 'apply' ? (
          <Field label="经营类别" error={errors.category} testId="sh-category">
            <Chips prefix="mc" options={CATEGORY_OPTIONS} value={form.category} onChange={(v) => set('category', v)} testId="sh-category" />
          </Field>
        ) : null}
        <Field label="营业时间" error={errors.hours} testId="sh-hours">
          {input('hours', '如：每天 08:00-21:00', 60)}
        </Field>
        <Field label="联系电话" error={errors.phone} hint="手机号或带区号的座机，顾客会打这个电话" testId="sh-phone">
          {input('phone', '如：13800001234 或 0794-3621234', 20)}
        </Field>
        <Field label="店铺简介（选填）" error={errors.intro} testId="sh-intro">
          <Textarea
            className="mc-textarea"
            data-testid="sh-intro"
            maxlength={500}
            placeholder="主营什么、有什么特色，街坊一看就明白"
            value={form.intro}
            onInput={(e) => set('intro', e.detail.value)}
          />
        </Field>
      </View>

      <View className="mc-section">
        <View className="mc-section__title">店铺位置</View>
        <Field label="在地图上的位置" error={errors.location} testId="sh-location">
          <View className="sh-location" data-testid="sh-location-state">
            <IconLine icon={<Location />}>{form.location ? '已选好位置' : '还没有选位置'}</IconLine>
          </View>
          <View className="mc-row">
            {isWeapp ? (
              <Button size="small" type="primary" fill="outline" disabled={busy} onClick={() => void pickOnMap()}>
                在地图上选择
              </Button>
            ) : null}
            <Button size="small" data-testid="sh-use-here" disabled={busy} onClick={() => void useHere()}>
              用我现在的位置（人在店里时）
            </Button>
          </View>
        </Field>
        <Field label="详细地址" error={errors.address} testId="sh-address">
          {input('address', '如：城关街道文昌路 12 号', 120)}
        </Field>
      </View>

      {mode === 'apply' ? (
        <View className="mc-section">
          <View className="mc-section__title">营业执照</View>
          <Field
            label="统一社会信用代码"
            error={errors.licenceNo}
            hint="营业执照上 18 位的代码（老执照为 15 位数字），编辑审核时会核对"
            testId="sh-licence"
          >
            {input('licenceNo', '如：91361030MA35000001', 18)}
          </Field>
          {onLicencePhoto ? (
            <Field
              label="营业执照照片"
              error={errors.licencePhotoFileId}
              hint="拍清整张执照，只给审核的编辑看，不会显示在店铺页上"
              testId="sh-licence-photo"
            >
              <PhotoPicker
                testId="sh-licence"
                max={1}
                purpose="licence"
                value={licencePhoto}
                onChange={onLicencePhoto}
                disabled={busy}
                onBusyChange={onUploading}
              />
            </Field>
          ) : null}
        </View>
      ) : null}

      <View className="mc-section">
        <View className="mc-section__title">店铺照片</View>
        <Field
          label={`门头、店内照片（${photos.length}/9，选填）`}
          error={errors.photos}
          hint="第一张作为店铺封面，显示在商家列表里"
          testId="sh-photos"
        >
          <PhotoPicker testId="sh" value={photos} onChange={onPhotos} disabled={busy} onBusyChange={onUploading} />
        </Field>
      </View>
    </View>
  );
}
