import { Button } from '@nutui/nutui-react-taro';
import '@nutui/nutui-react-taro/dist/es/packages/button/style/css';
import { Image, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { useState } from 'react';
import { uploadCover } from '../../../services/contests-admin.api';

export interface CoverPickerProps {
  value: string | null;
  onChange: (url: string | null) => void;
  testId: string;
}

/** Chooses one image, uploads it through the storage API and hands back its URL; tap the preview to remove it. */
export function CoverPicker({ value, onChange, testId }: CoverPickerProps) {
  const [busy, setBusy] = useState(false);
  async function choose() {
    try {
      const chosen = await Taro.chooseImage({ count: 1, sizeType: ['compressed'] });
      const path = chosen.tempFilePaths[0];
      if (!path) return;
      setBusy(true);
      onChange(await uploadCover(path));
    } catch (err) {
      const message = err instanceof Error ? err.message : '';
      if (!/cancel/i.test(message)) void Taro.showToast({ title: message || '图片上传失败', icon: 'none' });
    } finally {
      setBusy(false);
    }
  }
  return (
    <View data-testid={testId}>
      {value ? (
        <Image className="ct-cover" src={value} mode="aspectFill" data-testid={`${testId}-preview`} onClick={() => onChange(null)} />
      ) : null}
      <View className="ct-inline">
        <Button size="small" loading={busy} onClick={() => void choose()} data-testid={`${testId}-choose`}>
          {value ? '更换封面' : '上传封面'}
        </Button>
        {value ? <View className="ct-meta">点击图片可移除</View> : null}
      </View>
    </View>
  );
}
