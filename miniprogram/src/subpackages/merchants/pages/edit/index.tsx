import type { MerchantDetail } from '@shared/schemas/merchants';
import { View } from '@tarojs/components';
import Taro, { useRouter } from '@tarojs/taro';
import { useEffect, useState } from 'react';
import type { PickedPhoto } from '../../../../components/photo-picker/photo-picker';
import { Button, EmptyState, ErrorState, LoadingState } from '../../../../components/ui';
import { useSession } from '../../../../hooks/use-session';
import { isApiError } from '../../../../services/core/api-error';
import { ownsMerchant } from '../../../../utils/roles';
import { pickedFromUrls, ShopFields } from '../../components/shop-fields';
import { buildUpdateBody, formFrom, type FieldErrors, type ShopForm } from '../../shop-form';
import { shopApi } from '../../shop.api';
import '../../../merchant/merchant.scss';
import '../../merchants.scss';
import { withCareMode } from '../../../../stores/care-mode';

/**
 * 修改店铺资料 (the owner): hours, phone, introduction, place, address and photos. The name, category and
 * licence stay as the editor approved them (changing them would need a new review).
 */
function EditShopPage() {
  const id = useRouter().params.id ?? '';
  const { user } = useSession();
  // undefined while loading, null when it is not one of mine.
  const [shop, setShop] = useState<MerchantDetail | null | undefined>(undefined);
  const [failed, setFailed] = useState(false);
  const [form, setForm] = useState<ShopForm | null>(null);
  const [photos, setPhotos] = useState<PickedPhoto[]>([]);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [message, setMessage] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [uploading, setUploading] = useState(false);

  const load = async () => {
    try {
      const found = (await shopApi.mine()).items.find((m) => m.id === id) ?? null;
      setShop(found);
      if (found) {
        setForm(formFrom(found));
        setPhotos(pickedFromUrls(found.photos));
      }
      setFailed(false);
    } catch {
      setFailed(true);
    }
  };
  useEffect(() => {
    void load();
  }, [id]);

  const set = <K extends keyof ShopForm>(key: K, value: ShopForm[K]) => {
    setForm((f) => (f ? { ...f, [key]: value } : f));
    setErrors((e) => (e[key] ? { ...e, [key]: undefined } : e));
  };

  const save = async () => {
    if (!form || !shop) return;
    const checked = buildUpdateBody({ ...form, photos: photos.map((p) => p.url) }, shop);
    if (!checked.ok) {
      setErrors(checked.errors);
      setMessage(checked.message);
      return;
    }
    setBusy(true);
    setMessage(null);
    try {
      const { merchant } = await shopApi.update(shop.id, checked.body);
      setShop(merchant);
      void Taro.showToast({ title: '已保存', icon: 'success' });
      setTimeout(() => void Taro.navigateBack().catch(() => undefined), 600);
    } catch (err) {
      setMessage(isApiError(err) ? err.message : '保存没有成功，请稍后再试');
    } finally {
      setBusy(false);
    }
  };

  if (failed) return <ErrorState onRetry={() => void load()} />;
  if (shop === undefined) return <LoadingState />;
  if (!shop || !form) return <EmptyState title="找不到这家店" description="请从“我的店铺”进入" />;
  if (!ownsMerchant(user, shop.id)) return <EmptyState title="只有店主可以修改店铺资料" description="店员请联系店主修改" />;

  return (
    <View className="mc-form sh-page" data-testid="sh-edit-form">
      <View className="sh-intro">
        <View className="sh-intro__title">{shop.name}</View>
        <View className="sh-intro__text">店名、经营类别和营业执照已经审核，如需更改请联系融媒中心。</View>
      </View>
      <ShopFields
        mode="edit"
        form={form}
        errors={errors}
        set={set}
        photos={photos}
        onPhotos={setPhotos}
        onUploading={setUploading}
        busy={busy}
      />
      {message ? (
        <View className="mc-error" data-testid="sh-edit-error">
          {message}
        </View>
      ) : null}
      <View className="mc-actions">
        <Button block type="primary" loading={busy} disabled={busy || uploading} data-testid="sh-edit-save" onClick={() => void save()}>
          保存
        </Button>
      </View>
    </View>
  );
}

export default withCareMode(EditShopPage);
