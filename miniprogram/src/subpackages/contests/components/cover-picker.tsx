import { Image, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { useState } from 'react';
import { isApiError } from '../../../services/core/api-error';
import { uploadImage } from '../../../services/upload';
import { Button } from '../../../components/ui';

export interface CoverPickerProps {
  value: string | null;
  onChange: (url: string | null) => void;
  testId: string;
}

/** Chooses one image, uploads it through the storage API and hands back its URL; tap the preview to remove it. */
export function CoverPicker({ value, onChange, testId }: CoverPickerProps) {
  const [busy, setBusy] = useState(false);
  async function choose() {
    let path: string | undefined;
    try {
      path = (await Taro.chooseImage({ count: 1, sizeType: ['compressed'] })).tempFilePaths[0];
    } catch {
      return; // cancelled (or no album access): nothing chosen, nothing to say
    }
    if (!path) return;
    setBusy(true);
    try {
      onChange((await uploadImage(path)).url);
    } catch (err) {
      // Always Chinese: the server's reason (图片不能超过 5MB, 内容违规…) or a plain 图片上传失败.
      void Taro.showToast({ title: isApiError(err) ? err.message : '图片上传失败', icon: 'none' });
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
