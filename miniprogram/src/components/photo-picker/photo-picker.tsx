import { UPLOAD_MAX_BYTES, type UploadPurpose } from '@shared/schemas/newsroom';
import { Image, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { useState } from 'react';
import { ApiError, isApiError } from '../../services/core/api-error';
import { uploadImage } from '../../services/upload';
import './photo-picker.scss';
import { Button } from '../ui';

/** A photo that went up: its stored id and URL, and what to show (the local file just chosen, or the URL). */
export interface PickedPhoto {
  id: string;
  url: string;
  src: string;
}

/** Image types the storage API accepts, by what the picker reports (MIME type in H5, extension in WeChat). */
const IMAGE_EXT = /\.(jpe?g|png|webp|gif)$/i;
const IMAGE_MIME = /^image\/(jpeg|png|webp|gif)$/i;

/** A chosen file before upload: refused here with the API's own Chinese message when too big or of the wrong type. */
export function checkUpload(file: { size: number; tempFilePath: string; fileType?: string }): ApiError | null {
  if (file.size > UPLOAD_MAX_BYTES) return new ApiError({ code: 'FILE_TOO_LARGE', status: 413 });
  const mime = file.fileType && file.fileType.includes('/') ? file.fileType : null;
  const typeOk = mime ? IMAGE_MIME.test(mime) : IMAGE_EXT.test(file.tempFilePath) || file.tempFilePath.startsWith('blob:');
  if (!typeOk) return new ApiError({ code: 'FILE_TYPE_UNSUPPORTED', status: 415 });
  return null;
}

const isH5 = process.env.TARO_ENV === 'h5';

export interface PhotoPickerProps {
  value: readonly PickedPhoto[];
  /** Takes an updater (as React's setState does): uploads finish after the value the picker started from. */
  onChange: (update: (prev: PickedPhoto[]) => PickedPhoto[]) => void;
  /** Test-id prefix: `<p>-photos`, `<p>-photo`, `<p>-add-photo`, `<p>-upload-error`. */
  testId: string;
  max?: number;
  disabled?: boolean;
  onBusyChange?: (busy: boolean) => void;
  /** What the photos are for: `licence` uploads them private (see uploadImage). */
  purpose?: UploadPurpose;
}

/**
 * THE photo picker of every form that sends pictures (写稿, 问政, 发布活动): chooses up to `max` images,
 * refuses too-big or unsupported files before sending, uploads each through uploadImage, keeps the ones
 * that went up and says in Chinese, per photo, why the others did not. Tap × to remove one.
 */
export function PhotoPicker({ value, onChange, testId, max = 9, disabled, onBusyChange, purpose }: PhotoPickerProps) {
  const [busy, setBusy] = useState(false);
  const [errors, setErrors] = useState<string[]>([]);

  async function add() {
    const room = max - value.length;
    if (room <= 0) return;
    let chosen: Taro.chooseMedia.ChooseMedia[];
    try {
      const res = await Taro.chooseMedia({
        count: room,
        mediaType: ['image'],
        sourceType: isH5 ? ['album'] : ['album', 'camera'],
        sizeType: ['compressed'],
      });
      chosen = res.tempFiles.slice(0, room);
    } catch {
      return; // cancelled (or no album access): nothing chosen, nothing to say
    }
    setBusy(true);
    onBusyChange?.(true);
    const failed: string[] = [];
    const added: PickedPhoto[] = [];
    for (const [i, file] of chosen.entries()) {
      const refused = checkUpload(file);
      if (refused) {
        failed.push(`第 ${i + 1} 张：${refused.message}`);
        continue;
      }
      try {
        const stored = await uploadImage(file.tempFilePath, purpose);
        added.push({ id: stored.id, url: stored.url, src: file.tempFilePath });
      } catch (err) {
        failed.push(`第 ${i + 1} 张：${isApiError(err) ? err.message : '图片上传失败'}`);
      }
    }
    onChange((prev) => [...prev, ...added].slice(0, max));
    setErrors(failed);
    if (failed.length) void Taro.showToast({ title: failed[0] ?? '图片上传失败', icon: 'none' });
    setBusy(false);
    onBusyChange?.(false);
  }

  return (
    <View>
      <View className="pp-photos" data-testid={`${testId}-photos`}>
        {value.map((p) => (
          <View key={p.id} className="pp-photo" data-testid={`${testId}-photo`}>
            <Image className="pp-photo__img" src={p.src} mode="aspectFill" />
            <View className="pp-photo__del" onClick={() => onChange((all) => all.filter((x) => x.id !== p.id))}>
              ×
            </View>
          </View>
        ))}
        {value.length < max ? (
          <Button size="mini" data-testid={`${testId}-add-photo`} loading={busy} disabled={busy || disabled} onClick={() => void add()}>
            添加图片
          </Button>
        ) : null}
      </View>
      {errors.length ? (
        <View className="pp-error" data-testid={`${testId}-upload-error`}>
          {errors.join('；')}
        </View>
      ) : null}
    </View>
  );
}
