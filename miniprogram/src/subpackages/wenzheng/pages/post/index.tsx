import { WENZHENG_CATEGORIES, type Place, type WenzhengCategory } from '@shared/schemas/wenzheng';
import { Picker, Switch, Textarea, View } from '@tarojs/components';
import Taro, { useDidShow } from '@tarojs/taro';
import { useState } from 'react';
import { PhotoPicker, type PickedPhoto } from '../../../../components/photo-picker/photo-picker';
import { InputField } from '../../../../components/form/fields';
import { askConsent, CONSENT_FOR, preloadTemplates } from '../../../../services/subscribe';
import { wenzhengApi } from '../../../../services/wenzheng.api';
import '../../wenzheng.scss';
import { Button } from '../../../../components/ui';
import { withCareMode } from '../../../../stores/care-mode';

/** Post a question: category, title, text, up to 9 photos, a map pin, public or private, anonymous to the public. */
function PostCasePage() {
  const [category, setCategory] = useState<WenzhengCategory>('其他');
  const [title, setTitle] = useState('');
  const [text, setText] = useState('');
  const [photos, setPhotos] = useState<PickedPhoto[]>([]);
  const [place, setPlace] = useState<Place | null>(null);
  const [isPublic, setPublic] = useState(true);
  const [anonymous, setAnonymous] = useState(false);
  const [busy, setBusy] = useState(false);
  const [uploading, setUploading] = useState(false);
  // The template ids must be at hand when 提交 is tapped: WeChat asks for consent only from the tap itself.
  useDidShow(() => void preloadTemplates());

  async function pickPlace() {
    try {
      const loc = await Taro.chooseLocation({});
      setPlace({ lat: loc.latitude, lng: loc.longitude, address: (loc.address || loc.name || '已选位置').slice(0, 100) });
    } catch {
      void Taro.showToast({ title: '未能获取位置', icon: 'none' });
    }
  }

  async function submit() {
    if (!title.trim() || !text.trim()) {
      void Taro.showToast({ title: '请填写标题和内容', icon: 'none' });
      return;
    }
    setBusy(true);
    try {
      // Progress notices (受理, 答复…) reach WeChat only if the poster accepts here; the in-app message comes anyway.
      await askConsent(CONSENT_FOR.wenzhengPost);
      const res = await wenzhengApi.post({
        category,
        title: title.trim(),
        text: text.trim(),
        imageIds: photos.map((p) => p.id),
        place,
        visibility: isPublic ? 'public' : 'private',
        anonymous,
      });
      void Taro.showToast({ title: '已提交，等待审核', icon: 'success' });
      await Taro.redirectTo({ url: `/subpackages/wenzheng/pages/case/index?id=${res.case.id}` });
    } catch {
      // The API client already showed the server's message.
    } finally {
      setBusy(false);
    }
  }

  return (
    <View data-testid="wz-post">
      <View className="wz-section">
        <View className="wz-label">类别</View>
        <Picker
          mode="selector"
          range={[...WENZHENG_CATEGORIES]}
          onChange={(e) => setCategory(WENZHENG_CATEGORIES[Number(e.detail.value)] ?? '其他')}
        >
          <View className="wz-input" data-testid="wz-category">
            {category}
          </View>
        </Picker>
      </View>
      <View className="wz-section">
        <InputField
          prefix="wz"
          label="标题"
          testId="wz-title"
          placeholder="一句话说明问题"
          maxlength={40}
          value={title}
          onInput={setTitle}
        />
        <View className="wz-label">内容</View>
        <Textarea
          className="wz-textarea"
          data-testid="wz-text"
          maxlength={2000}
          placeholder="时间、地点、具体情况…"
          value={text}
          onInput={(e) => setText(e.detail.value)}
        />
      </View>
      <View className="wz-section">
        <View className="wz-label">照片（最多 9 张）</View>
        <PhotoPicker testId="wz" value={photos} onChange={setPhotos} disabled={busy} onBusyChange={setUploading} />
      </View>
      <View className="wz-section">
        <View className="wz-row">
          <View className="wz-text">{place ? place.address : '位置（可选）'}</View>
          <Button size="mini" onClick={() => void pickPlace()}>
            {place ? '重新选择' : '在地图上选择'}
          </Button>
        </View>
        <View className="wz-row">
          <View className="wz-text">公开（编辑审核后展示在问政板）</View>
          <Switch checked={isPublic} onChange={(e) => setPublic(e.detail.value)} />
        </View>
        <View className="wz-row">
          <View className="wz-text">对公众匿名（工作人员仍可见）</View>
          <Switch checked={anonymous} onChange={(e) => setAnonymous(e.detail.value)} />
        </View>
      </View>
      <View className="wz-actions">
        <Button type="primary" data-testid="wz-submit" loading={busy} disabled={busy || uploading} onClick={() => void submit()}>
          提交
        </Button>
      </View>
    </View>
  );
}

export default withCareMode(PostCasePage);
