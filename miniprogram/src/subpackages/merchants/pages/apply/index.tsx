import type { MerchantDetail } from '@shared/schemas/merchants';
import { View } from '@tarojs/components';
import Taro, { useDidShow } from '@tarojs/taro';
import { useState } from 'react';
import type { PickedPhoto } from '../../../../components/photo-picker/photo-picker';
import { Button, ErrorState, LoadingState } from '../../../../components/ui';
import { isApiError } from '../../../../services/core/api-error';
import { auth } from '../../../../services/request';
import { askConsent, CONSENT_FOR, preloadTemplates } from '../../../../services/subscribe';
import { go } from '../../../../utils/navigate';
import { ApplicationStatus } from '../../components/application-status';
import { pickedFromUrls, ShopFields } from '../../components/shop-fields';
import { buildApplyBody, emptyShopForm, formFrom, type FieldErrors, type ShopForm } from '../../shop-form';
import { shopApi } from '../../shop.api';
import '../../../merchant/merchant.scss';
import '../../merchants.scss';
import { withCareMode } from '../../../../stores/care-mode';

/**
 * 商户入驻 (企业之家): the application (shop, category, place, hours, phone, licence code, photos), checked on
 * the phone with the API's own schema, each problem shown under its field; afterwards the application's
 * state (审核中 / 未通过 with the editor's reason / 已入驻). A declined one can be corrected and sent again.
 */
function ApplyPage() {
  const [mine, setMine] = useState<MerchantDetail[] | null>(null);
  const [failed, setFailed] = useState(false);
  const [editing, setEditing] = useState(false);
  const [form, setForm] = useState<ShopForm>(emptyShopForm);
  const [photos, setPhotos] = useState<PickedPhoto[]>([]);
  const [licencePhoto, setLicencePhoto] = useState<PickedPhoto[]>([]);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [message, setMessage] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [uploading, setUploading] = useState(false);

  const load = async () => {
    try {
      if (!(await auth.ensureLoggedIn())) throw new Error('not signed in');
      setMine((await shopApi.mine()).items);
      setFailed(false);
    } catch {
      setFailed(true);
    }
  };
  useDidShow(() => {
    void load();
    void preloadTemplates();
  });

  const set = <K extends keyof ShopForm>(key: K, value: ShopForm[K]) => {
    setForm((f) => ({ ...f, [key]: value }));
    setErrors((e) => (e[key] ? { ...e, [key]: undefined } : e));
  };

  const startAgain = (from?: MerchantDetail) => {
    setForm(from ? formFrom(from) : emptyShopForm());
    setPhotos(from ? pickedFromUrls(from.photos) : []);
    // The declined application's licence photo stays unless a new one is picked.
    const was = from?.licencePhoto;
    setLicencePhoto(was ? [{ id: was.fileId, url: was.url, src: was.url }] : []);
    setErrors({});
    setMessage(null);
    setEditing(true);
  };

  const submit = async () => {
    const checked = buildApplyBody({
      ...form,
      photos: photos.map((p) => p.url),
      licencePhotoFileId: licencePhoto[0]?.id ?? '',
    });
    if (!checked.ok) {
      setErrors(checked.errors);
      setMessage(checked.message);
      return;
    }
    setBusy(true);
    setMessage(null);
    try {
      // The review's result reaches WeChat only if accepted here; the application goes in either way.
      await askConsent(CONSENT_FOR.merchantApply);
      const { merchant } = await shopApi.apply(checked.body);
      setMine((m) => [merchant, ...(m ?? [])]);
      setEditing(false);
      void Taro.pageScrollTo({ scrollTop: 0, duration: 0 }).catch(() => undefined);
    } catch (err) {
      setMessage(isApiError(err) ? err.message : '提交没有成功，请稍后再试');
    } finally {
      setBusy(false);
    }
  };

  if (failed) return <ErrorState description="没能取得你的入驻申请，请检查网络后重试" onRetry={() => void load()} />;
  if (!mine) return <LoadingState />;
  const latest = mine[0];
  const pending = mine.find((m) => m.state === 'pending');

  if (!editing && latest) {
    return (
      <View className="sh-page" data-testid="sh-apply">
        <ApplicationStatus merchant={pending ?? latest} />
        <View className="mc-actions">
          {pending ? null : latest.state === 'declined' ? (
            <Button block type="primary" data-testid="sh-apply-again" onClick={() => startAgain(latest)}>
              修改后重新申请
            </Button>
          ) : (
            <Button block type="primary" data-testid="sh-my-shop" onClick={() => go('/subpackages/merchants/pages/shop/index')}>
              进入我的店铺
            </Button>
          )}
          {!pending && latest.state === 'approved' ? (
            <View className="sh-link" data-testid="sh-apply-another" onClick={() => startAgain()}>
              还有一家店？再申请一家
            </View>
          ) : null}
        </View>
      </View>
    );
  }

  return (
    <View className="mc-form sh-page" data-testid="sh-apply-form">
      <View className="sh-intro">
        <View className="sh-intro__title">企业之家 · 商户入驻</View>
        <View className="sh-intro__text">
          填好下面的信息提交，编辑审核通过后，你的店会出现在“商家”里，可以发优惠券、发布开业和促销活动。
        </View>
      </View>
      <ShopFields
        mode="apply"
        form={form}
        errors={errors}
        set={set}
        photos={photos}
        onPhotos={setPhotos}
        licencePhoto={licencePhoto}
        onLicencePhoto={(update) => {
          setLicencePhoto(update);
          setErrors((e) => (e.licencePhotoFileId ? { ...e, licencePhotoFileId: undefined } : e));
        }}
        onUploading={setUploading}
        busy={busy}
      />
      {message ? (
        <View className="mc-error" data-testid="sh-apply-error">
          {message}
        </View>
      ) : null}
      <View className="mc-actions">
        <Button
          block
          type="primary"
          loading={busy}
          disabled={busy || uploading}
          data-testid="sh-apply-submit"
          onClick={() => void submit()}
        >
          提交入驻申请
        </Button>
      </View>
    </View>
  );
}

export default withCareMode(ApplyPage);
