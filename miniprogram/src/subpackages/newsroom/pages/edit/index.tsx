import { COPYRIGHT_CHOICES, type SubmissionView } from '@shared/schemas/newsroom';
import { Input, Picker, Switch, Textarea, View } from '@tarojs/components';
import Taro, { useDidShow, useLoad } from '@tarojs/taro';
import { useEffect, useState } from 'react';
import { PhotoPicker, type PickedPhoto } from '../../../../components/photo-picker/photo-picker';
import { Button, EmptyState, ErrorState, LoadingState } from '../../../../components/ui';
import { useSession } from '../../../../hooks/use-session';
import { isApiError } from '../../../../services/core/api-error';
import { askConsent, CONSENT_FOR, preloadTemplates } from '../../../../services/subscribe';
import { formatShanghai } from '../../../../utils/format';
import { go } from '../../../../utils/navigate';
import { hasRole } from '../../../../utils/roles';
import { checkDraft, checkForSubmit, type DraftForm } from '../../forms';
import { deskApi } from '../../newsroom-api';
import { allPages } from '../../../../services/core/all-pages';
import '../../newsroom.scss';
import { withCareMode } from '../../../../stores/care-mode';

const MAX_IMAGES = 9;
const COPYRIGHT_LABELS: Record<(typeof COPYRIGHT_CHOICES)[number], string> = {
  exclusive: '独家授权融媒体中心',
  non_exclusive: '非独家授权（可另投他处）',
};

/** Page params arrive decoded on some platforms and encoded on others. */
function safeDecode(v: string): string {
  try {
    return decodeURIComponent(v);
  } catch {
    return v;
  }
}

const EMPTY: DraftForm = {
  title: '',
  body: '',
  imageIds: [],
  videoUrl: '',
  place: '',
  campaign: '',
  copyright: null,
  originalityStatement: false,
  assignmentId: null,
};

/** 写稿 / 编辑草稿: title, body, up to 9 images, video link, place, campaign tag, copyright and originality; save or submit. */
function EditPage() {
  const { user } = useSession();
  /** Only correspondents write (the API refuses the rest): nothing is loaded for anyone else. */
  const allowed = hasRole(user, 'correspondent');
  const [id, setId] = useState<string | null>(null);
  const [topic, setTopic] = useState<string | null>(null);
  /** Opened from the piece page: go back to it (it reloads on show) instead of stacking a second one. */
  const [backToPiece, setBackToPiece] = useState(false);
  const [form, setForm] = useState<DraftForm>(EMPTY);
  const [photos, setPhotos] = useState<PickedPhoto[]>([]);
  const [campaigns, setCampaigns] = useState<string[]>([]);
  const [loading, setLoading] = useState(false);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState<'save' | 'submit' | 'upload' | null>(null);
  const [returnNote, setReturnNote] = useState<string | null>(null);
  const [savedAt, setSavedAt] = useState<string | null>(null);

  const set = <K extends keyof DraftForm>(key: K, value: DraftForm[K]) => setForm((f) => ({ ...f, [key]: value }));

  useDidShow(() => void preloadTemplates());
  useLoad((params: Record<string, string | undefined>) => {
    if (params.id) setId(params.id);
    if (params.assignmentId) set('assignmentId', params.assignmentId);
    if (params.topic) setTopic(safeDecode(params.topic));
    // From a campaign page's 我要投稿: the piece joins that campaign.
    if (params.campaign) set('campaign', safeDecode(params.campaign));
    if (params.back === '1') setBackToPiece(true);
  });

  const load = () => {
    if (!id || !allowed) return;
    setLoading(true);
    deskApi
      .get(id)
      .then(({ submission: s }) => {
        fill(s);
        setLoadError(null);
      })
      .catch((err: unknown) => setLoadError(err instanceof Error ? err.message : '加载失败'))
      .finally(() => setLoading(false));
  };
  useEffect(load, [id, allowed]);
  useEffect(() => {
    if (!allowed) return;
    allPages((cursor) => deskApi.campaigns({ status: 'running', cursor }))
      .then((items) => setCampaigns(items.map((c) => c.tag)))
      .catch(() => undefined);
  }, [allowed]);
  // The form sends the ids of the photos that went up (and were not removed), in the picker's order.
  useEffect(() => setForm((f) => ({ ...f, imageIds: photos.map((p) => p.id) })), [photos]);

  function fill(s: SubmissionView) {
    setForm({
      title: s.title,
      body: s.body,
      imageIds: s.images.map((i) => i.id),
      videoUrl: s.videoUrl ?? '',
      place: s.place ?? '',
      campaign: s.campaign ?? '',
      copyright: s.copyright,
      originalityStatement: s.originalityStatement,
      assignmentId: s.assignmentId,
    });
    setPhotos(s.images.map((i) => ({ id: i.id, url: i.url, src: i.url })));
    const lastReturn = [...s.timeline].reverse().find((e) => e.action === 'return');
    setReturnNote(s.state === 'returned' && lastReturn?.note ? lastReturn.note : null);
  }

  /** Saves (creates or updates) and returns the piece, or null after showing why not. */
  async function save(forSubmit: boolean): Promise<SubmissionView | null> {
    const checked = forSubmit ? checkForSubmit(form) : checkDraft(form);
    if (!checked.ok) {
      setError(checked.message);
      return null;
    }
    setError(null);
    try {
      const { submission } = id ? await deskApi.update(id, checked.value) : await deskApi.create(checked.value);
      setId(submission.id);
      setSavedAt(submission.updatedAt);
      return submission;
    } catch (err) {
      setError(isApiError(err) ? err.message : '保存失败');
      return null;
    }
  }

  async function saveDraft() {
    setBusy('save');
    const saved = await save(false);
    setBusy(null);
    if (saved) void Taro.showToast({ title: '草稿已保存', icon: 'success' });
  }

  async function submit() {
    setBusy('submit');
    try {
      // Asked first, from the tap (WeChat's rule), and only for a piece that can go in: the review's outcome reaches
      // WeChat only if accepted here; the piece is filed either way.
      if (checkForSubmit(form).ok) await askConsent(CONSENT_FOR.storySubmit);
      const saved = await save(true);
      if (!saved) return;
      try {
        await deskApi.submit(saved.id);
      } catch (err) {
        setError(isApiError(err) ? err.message : '提交失败');
        return;
      }
      void Taro.showToast({ title: '已提交审核', icon: 'success' });
      if (backToPiece) await Taro.navigateBack();
      else await Taro.redirectTo({ url: `/subpackages/newsroom/pages/piece/index?id=${saved.id}` });
    } finally {
      setBusy(null);
    }
  }

  if (!allowed) {
    return (
      <View data-testid="nr-edit-denied">
        <EmptyState title="你还不是通讯员" description="申请加入一个通讯员圈子，审核通过后即可写稿投稿" />
        <View className="nr-actions">
          <Button type="primary" onClick={() => go('/subpackages/newsroom/pages/apply/index')}>
            申请成为通讯员
          </Button>
        </View>
      </View>
    );
  }
  if (loadError) return <ErrorState description={loadError} onRetry={load} />;
  if (loading) return <LoadingState />;
  const campaignRange = ['不参加活动', ...campaigns];
  return (
    <View data-testid="nr-edit">
      {topic ? <View className="nr-note">选题：{topic}</View> : null}
      {returnNote ? (
        <View className="nr-note" data-testid="nr-edit-return-note">
          退回意见：{returnNote}
        </View>
      ) : null}
      <View className="nr-section">
        <View className="nr-label">标题</View>
        <Input
          className="nr-input"
          data-testid="nr-title"
          maxlength={60}
          placeholder="一句话概括新闻（60 字以内）"
          value={form.title}
          onInput={(e) => set('title', e.detail.value)}
        />
        <View className="nr-label">正文</View>
        <Textarea
          className="nr-textarea"
          data-testid="nr-body"
          maxlength={10000}
          placeholder="时间、地点、人物、事件经过…"
          value={form.body}
          onInput={(e) => set('body', e.detail.value)}
        />
      </View>

      <View className="nr-section">
        <View className="nr-label">
          图片（{photos.length}/{MAX_IMAGES}，JPEG/PNG/WebP/GIF，每张不超过 5MB）
        </View>
        <PhotoPicker
          testId="nr"
          max={MAX_IMAGES}
          value={photos}
          onChange={setPhotos}
          disabled={busy !== null}
          onBusyChange={(b) => setBusy(b ? 'upload' : null)}
        />
      </View>

      <View className="nr-section">
        <View className="nr-label">视频链接（可选）</View>
        <Input
          className="nr-input"
          data-testid="nr-video"
          placeholder="https://…"
          value={form.videoUrl}
          onInput={(e) => set('videoUrl', e.detail.value)}
        />
        <View className="nr-label">地点（可选）</View>
        <Input
          className="nr-input"
          data-testid="nr-place"
          maxlength={50}
          placeholder="如：青溪镇竹林村"
          value={form.place}
          onInput={(e) => set('place', e.detail.value)}
        />
        <View className="nr-label">活动标签（可选）</View>
        <Picker
          mode="selector"
          range={campaignRange}
          onChange={(e) => set('campaign', Number(e.detail.value) === 0 ? '' : (campaignRange[Number(e.detail.value)] ?? ''))}
        >
          <View className="nr-input" data-testid="nr-campaign">
            {form.campaign ? `#${form.campaign}` : '不参加活动'}
          </View>
        </Picker>
      </View>

      <View className="nr-section">
        <View className="nr-label">版权授权</View>
        <View className="nr-chips" style={{ padding: 0 }}>
          {COPYRIGHT_CHOICES.map((c) => (
            <View
              key={c}
              className={`nr-chip ${form.copyright === c ? 'nr-chip--on' : ''}`}
              data-testid={`nr-copyright-${c}`}
              onClick={() => set('copyright', c)}
            >
              {COPYRIGHT_LABELS[c]}
            </View>
          ))}
        </View>
        <View className="nr-row">
          <View className="nr-text">我承诺稿件（含图片、视频）为本人原创，内容真实，不侵犯他人权益</View>
          <Switch
            data-testid="nr-original"
            checked={form.originalityStatement}
            onChange={(e) => set('originalityStatement', e.detail.value)}
          />
        </View>
      </View>

      {error ? (
        <View className="nr-error" data-testid="nr-form-error">
          {error}
        </View>
      ) : null}
      {savedAt ? (
        <View className="nr-hint" style={{ padding: '12px 16px 0' }} data-testid="nr-saved">
          草稿已保存 {formatShanghai(savedAt)}
        </View>
      ) : null}
      <View className="nr-actions">
        <Button data-testid="nr-save" loading={busy === 'save'} disabled={busy !== null} onClick={() => void saveDraft()}>
          保存草稿
        </Button>
        <Button type="primary" data-testid="nr-submit" loading={busy === 'submit'} disabled={busy !== null} onClick={() => void submit()}>
          提交审核
        </Button>
      </View>
    </View>
  );
}

export default withCareMode(EditPage);
