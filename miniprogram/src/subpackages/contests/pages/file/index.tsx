import { fileEntryBodySchema, type ContestView } from '@shared/schemas/contests';
import { Input, Textarea, View } from '@tarojs/components';
import Taro, { useDidShow, useLoad } from '@tarojs/taro';
import { useCallback, useState } from 'react';
import { PhotoPicker, type PickedPhoto } from '../../../../components/photo-picker/photo-picker';
import { Button, ErrorState, LoadingState } from '../../../../components/ui';
import { isApiError } from '../../../../services/core/api-error';
import { contestsApi } from '../../../../services/contests.api';
import { auth } from '../../../../services/request';
import { askConsent, CONSENT_FOR, preloadTemplates } from '../../../../services/subscribe';
import '../../contests.scss';
import { withCareMode } from '../../../../stores/care-mode';

/** 我要参赛: photos (up to 9, uploaded as they are picked), a title and a few words; the entry then awaits voting. */
function FileEntryPage() {
  const [contest, setContest] = useState<ContestView | null>(null);
  const [failed, setFailed] = useState(false);
  const [photos, setPhotos] = useState<PickedPhoto[]>([]);
  const [title, setTitle] = useState('');
  const [description, setDescription] = useState('');
  const [uploading, setUploading] = useState(false);
  const [sending, setSending] = useState(false);
  const [error, setError] = useState('');
  const load = useCallback(async (id: string) => {
    try {
      setContest((await contestsApi.contest(id)).contest);
      setFailed(false);
    } catch {
      setFailed(true);
    }
  }, []);
  const [id, setId] = useState('');
  useDidShow(() => void preloadTemplates());
  useLoad((params: Record<string, string | undefined>) => {
    setId(params.id ?? '');
    void load(params.id ?? '');
  });

  if (failed) return <ErrorState onRetry={() => void load(id)} />;
  if (!contest) return <LoadingState />;

  const submit = async () => {
    const body = {
      kind: 'photo' as const,
      title,
      ...(description.trim() ? { description } : {}),
      imageUrls: photos.map((p) => p.url),
    };
    // Top to bottom, as the form reads: the photos first.
    if (photos.length === 0) {
      setError('请至少添加一张照片');
      return;
    }
    const parsed = fileEntryBodySchema.safeParse(body);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      setError(issue?.message ?? '请检查填写的内容');
      return;
    }
    setError('');
    setSending(true);
    try {
      // The results notice reaches WeChat only if accepted here; the entry is filed either way.
      await askConsent(CONSENT_FOR.contestEntry);
      await auth.ensureLoggedIn();
      const { entry } = await contestsApi.fileEntry(contest.id, parsed.data);
      void Taro.showToast({ title: '报名成功', icon: 'success' });
      await Taro.redirectTo({ url: `/subpackages/contests/pages/entry/index?id=${entry.id}` });
    } catch (err) {
      setError(isApiError(err) ? err.message : '提交失败，请稍后再试');
    } finally {
      setSending(false);
    }
  };

  return (
    <View data-testid="ct-file">
      <View className="ct-section">
        <View className="ct-title">{contest.title}</View>
        <View className="ct-meta">每人最多投 {contest.maxEntriesPerPerson} 件作品；请上传本人拍摄的照片。</View>
      </View>
      <View className="ct-section">
        <View className="ct-label">作品照片</View>
        <PhotoPicker value={photos} onChange={setPhotos} testId="ct-file" onBusyChange={setUploading} />
        <View className="ct-label">作品名称</View>
        <Input
          className="ct-input"
          data-testid="ct-file-title"
          value={title}
          maxlength={60}
          placeholder="例如：油菜花开"
          onInput={(e) => setTitle(e.detail.value)}
        />
        <View className="ct-label">作品说明（选填）</View>
        <Textarea
          className="ct-input ct-input--area"
          data-testid="ct-file-description"
          value={description}
          maxlength={500}
          placeholder="拍摄地点、时间和背后的故事"
          onInput={(e) => setDescription(e.detail.value)}
        />
        {error ? (
          <View className="ct-error" data-testid="ct-file-error">
            {error}
          </View>
        ) : null}
      </View>
      <View className="ct-actions">
        <Button
          type="primary"
          block
          loading={sending}
          disabled={uploading || sending}
          onClick={() => void submit()}
          data-testid="ct-file-submit"
        >
          提交作品
        </Button>
      </View>
    </View>
  );
}

export default withCareMode(FileEntryPage);
