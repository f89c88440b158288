import {
  ARTICLE_COLUMNS,
  GRADES,
  SUBMISSION_STATE_LABELS,
  approveBodySchema,
  createAssignmentBodySchema,
  noteBodySchema,
  publishBodySchema,
  requiredNoteBodySchema,
  type ArticleColumn,
  type Grade,
  type SubmissionView,
} from '@shared/schemas/newsroom';
import { Image, Input, Picker, Textarea, View } from '@tarojs/components';
import Taro, { useDidShow, useLoad } from '@tarojs/taro';
import { useRef, useState } from 'react';
import { Button, ErrorState, LoadingState } from '../../../../components/ui';
import '../../../../components/photo-picker/photo-picker.scss';
import { useSession } from '../../../../hooks/use-session';
import { isApiError } from '../../../../services/core/api-error';
import { askConsent, CONSENT_FOR, preloadTemplates } from '../../../../services/subscribe';
import { formatShanghai } from '../../../../utils/format';
import { go } from '../../../../utils/navigate';
import { hasRole } from '../../../../utils/roles';
import { Timeline } from '../../components/timeline';
import { check, shanghaiIso } from '../../forms';
import { deskApi } from '../../newsroom-api';
import '../../newsroom.scss';
import { withCareMode } from '../../../../stores/care-mode';
import { columnName, useColumns } from '../../../../stores/columns';

const COPYRIGHT_LABELS: Record<NonNullable<SubmissionView['copyright']>, string> = { exclusive: '独家授权', non_exclusive: '非独家授权' };
const SAFETY_LABELS = { pending: '安全检测中', pass: '', review: '需人工复核', risky: '未通过检测' } as const;

type Run = (action: () => Promise<{ submission: SubmissionView }>, done: string) => Promise<boolean>;

/**
 * A piece: its content and state, the reviewers' comments and the timeline; and what the viewer may do
 * next — the author edits and submits, the circle leader recommends or returns, the editor claims,
 * returns, rejects, approves with a grade and publishes (now or at a time).
 */
function PiecePage() {
  const [id, setId] = useState('');
  const [s, setPiece] = useState<SubmissionView | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [actionError, setActionError] = useState<string | null>(null);
  const { user } = useSession();
  const shown = useRef(false);

  const load = (pieceId = id) => {
    if (!pieceId) return;
    deskApi
      .get(pieceId)
      .then((r) => {
        setPiece(r.submission);
        setError(null);
      })
      .catch((err: unknown) => setError(err instanceof Error ? err.message : '加载失败'));
  };
  useLoad((params: Record<string, string | undefined>) => {
    setId(params.id ?? '');
    load(params.id ?? '');
  });
  // Back from editing: show the saved version.
  useDidShow(() => {
    if (shown.current) load();
    shown.current = true;
    void preloadTemplates();
  });

  const run: Run = async (action, done) => {
    setActionError(null);
    try {
      setPiece((await action()).submission);
      void Taro.showToast({ title: done, icon: 'success' });
      return true;
    } catch (err) {
      setActionError(isApiError(err) ? err.message : '操作失败');
      load();
      return false;
    }
  };

  if (error) return <ErrorState description={error} onRetry={() => load()} />;
  if (!s) return <LoadingState />;

  const mine = !!user && s.authorId === user.id;
  const editor = hasRole(user, 'editor', 'admin');
  const leader = !!user && !!s.circleId && user.roles.some((g) => g.role === 'circle_leader' && g.scope?.id === s.circleId);
  const lastReturn = [...s.timeline].reverse().find((e) => e.action === 'return' || e.action === 'reject');
  const claimedByMe = !!user && s.claimedBy === user.id;

  return (
    <View data-testid="nr-piece-page">
      <View className="nr-section">
        <View className="nr-title" data-testid="nr-piece-title">
          {s.title}
        </View>
        <View className="nr-row" style={{ justifyContent: 'flex-start' }}>
          <View className="nr-state" data-testid="nr-piece-state">
            {SUBMISSION_STATE_LABELS[s.state]}
          </View>
          {s.flagged && (editor || leader) ? <View className="nr-state nr-state--flag">内容需复核</View> : null}
          {s.grade ? (
            <View className="nr-hint" style={{ marginLeft: '8px' }}>
              评级 {s.grade}
            </View>
          ) : null}
        </View>
        <View className="nr-hint">
          {s.authorName}
          {s.place ? ` · ${s.place}` : ''}
          {s.campaign ? ` · #${s.campaign}` : ''} · {formatShanghai(s.submittedAt ?? s.createdAt)}
        </View>
        {(s.state === 'returned' || s.state === 'rejected') && lastReturn?.note ? (
          <View className="nr-note" data-testid="nr-return-note">
            {s.state === 'returned' ? '退回意见' : '未采用原因'}：{lastReturn.note}
          </View>
        ) : null}
        {s.state === 'scheduled' && s.publishAt ? <View className="nr-note">将于 {formatShanghai(s.publishAt)} 发布</View> : null}
        <View className="nr-text" style={{ marginTop: '12px' }} data-testid="nr-piece-body">
          {s.body || '（正文未填写）'}
        </View>
        {s.images.length ? (
          <View className="pp-photos" style={{ marginTop: '12px' }}>
            {s.images.map((img) => (
              <View key={img.id} className="pp-photo" data-testid="nr-piece-image">
                <Image
                  className="pp-photo__img"
                  src={img.url}
                  mode="aspectFill"
                  onClick={() => void Taro.previewImage({ urls: s.images.map((i) => i.url), current: img.url })}
                />
                {img.safety !== 'pass' ? (
                  <View className="nr-photo-flag" data-testid="nr-image-safety">
                    {SAFETY_LABELS[img.safety]}
                  </View>
                ) : null}
              </View>
            ))}
          </View>
        ) : null}
        {s.videoUrl ? <View className="nr-hint">视频：{s.videoUrl}</View> : null}
        <View className="nr-hint">
          {s.copyright ? COPYRIGHT_LABELS[s.copyright] : '未选择授权方式'} · {s.originalityStatement ? '已作原创声明' : '未作原创声明'}
          {s.pointsAwarded > 0 ? ` · 获得 ${s.pointsAwarded} 积分` : ''}
        </View>
      </View>

      {actionError ? (
        <View className="nr-error" data-testid="nr-action-error">
          {actionError}
        </View>
      ) : null}

      {mine ? <AuthorActions s={s} run={run} /> : null}
      {!mine && leader && s.state === 'submitted' ? <LeaderActions s={s} run={run} /> : null}
      {!mine && editor ? <EditorActions s={s} run={run} claimedByMe={claimedByMe} /> : null}
      {!mine && editor ? <AssignForm authorId={s.authorId} authorName={s.authorName} /> : null}

      <Timeline entries={s.timeline} />
    </View>
  );
}

function AuthorActions({ s, run }: { s: SubmissionView; run: Run }) {
  if (s.state === 'published' && s.articleId) {
    return (
      <View className="nr-actions">
        <Button data-testid="nr-open-article" onClick={() => go(`/subpackages/news/pages/article/index?id=${s.articleId}`)}>
          查看发布的文章
        </Button>
      </View>
    );
  }
  if (s.state !== 'draft' && s.state !== 'returned') return null;
  return (
    <View className="nr-actions">
      <Button data-testid="nr-edit-piece" onClick={() => go(`/subpackages/newsroom/pages/edit/index?id=${s.id}&back=1`)}>
        {s.state === 'returned' ? '修改稿件' : '继续编辑'}
      </Button>
      <Button
        type="primary"
        data-testid="nr-submit-piece"
        onClick={() =>
          void run(async () => {
            // From the tap (WeChat's rule): the review's outcome reaches WeChat only if accepted; filed either way.
            await askConsent(CONSENT_FOR.storySubmit);
            return deskApi.submit(s.id);
          }, '已提交审核')
        }
      >
        {s.state === 'returned' ? '重新提交' : '提交审核'}
      </Button>
    </View>
  );
}

/** A note box; returns what was typed (validated by the caller's schema). */
function useNote() {
  const [note, setNote] = useState('');
  const box = (placeholder: string, testId: string) => (
    <Textarea
      className="nr-textarea"
      style={{ minHeight: '120px' }}
      data-testid={testId}
      maxlength={500}
      placeholder={placeholder}
      value={note}
      onInput={(e) => setNote(e.detail.value)}
    />
  );
  return { note, setNote, box };
}

/** The circle leader's pre-review: recommend to the editors (note optional) or return with comments. */
function LeaderActions({ s, run }: { s: SubmissionView; run: Run }) {
  const { note, box } = useNote();
  const [error, setError] = useState<string | null>(null);
  function recommend() {
    const c = check(noteBodySchema, note.trim() ? { note } : {});
    if (!c.ok) return setError(c.message);
    setError(null);
    void run(() => deskApi.recommend(s.id, c.value.note), '已推荐给编辑');
  }
  function giveBack() {
    const c = check(requiredNoteBodySchema, { note });
    if (!c.ok) return setError(c.message === '意见不能为空' ? '退回时请填写修改意见' : c.message);
    setError(null);
    void run(() => deskApi.returnForRevision(s.id, c.value.note), '已退回');
  }
  return (
    <View className="nr-section" data-testid="nr-leader-actions">
      <View className="nr-label">圈长初审</View>
      {box('初审意见（推荐可不填，退回必填）', 'nr-leader-note')}
      {error ? <View className="nr-error">{error}</View> : null}
      <View className="nr-actions" style={{ padding: '12px 0 0' }}>
        <Button type="primary" size="mini" data-testid="nr-recommend" onClick={recommend}>
          推荐
        </Button>
        <Button size="mini" data-testid="nr-leader-return" onClick={giveBack}>
          退回修改
        </Button>
      </View>
    </View>
  );
}

function EditorActions({ s, run, claimedByMe }: { s: SubmissionView; run: Run; claimedByMe: boolean }) {
  if (s.state === 'submitted' || s.state === 'recommended') {
    return (
      <View className="nr-actions" data-testid="nr-editor-claim">
        <Button type="primary" data-testid="nr-claim" onClick={() => void run(() => deskApi.claim(s.id), '已认领')}>
          认领审稿
        </Button>
      </View>
    );
  }
  if (s.state === 'in_review') {
    return claimedByMe ? <ReviewForm s={s} run={run} /> : <View className="nr-note">该稿件已由其他编辑认领</View>;
  }
  if (s.state === 'approved' || s.state === 'scheduled') return <PublishForm s={s} run={run} />;
  return null;
}

/** The claiming editor: return with comments, reject with a reason, or approve with a grade and a column. */
function ReviewForm({ s, run }: { s: SubmissionView; run: Run }) {
  const { note, box } = useNote();
  const [grade, setGrade] = useState<Grade | null>(null);
  const [column, setColumn] = useState<ArticleColumn>('correspondent');
  const [error, setError] = useState<string | null>(null);
  const pendingImages = s.images.some((i) => i.safety === 'pending');
  // The admins' columns (before they load: the defaults).
  const configured = useColumns();
  const columns = configured.length ? configured.map((c) => c.key) : [...ARTICLE_COLUMNS];

  function withNote(action: 'return' | 'reject') {
    const c = check(requiredNoteBodySchema, { note });
    if (!c.ok)
      return setError(c.message === '意见不能为空' ? (action === 'return' ? '退回时请填写修改意见' : '请填写不予采用的理由') : c.message);
    setError(null);
    void (action === 'return'
      ? run(() => deskApi.returnForRevision(s.id, c.value.note), '已退回')
      : run(() => deskApi.reject(s.id, c.value.note), '已处理'));
  }
  function approve() {
    if (!grade) return setError('请选择稿件评级（A/B/C）');
    const c = check(approveBodySchema, { grade, column, ...(note.trim() ? { note } : {}) });
    if (!c.ok) return setError(c.message);
    setError(null);
    void run(() => deskApi.approve(s.id, c.value), '审核通过');
  }

  return (
    <View className="nr-section" data-testid="nr-review">
      <View className="nr-label">审稿意见</View>
      {box('退回修改的意见、不予采用的理由，或通过时的备注', 'nr-review-note')}
      <View className="nr-label">评级</View>
      <View className="nr-chips" style={{ padding: 0 }}>
        {GRADES.map((g) => (
          <View key={g} className={`nr-chip ${grade === g ? 'nr-chip--on' : ''}`} data-testid={`nr-grade-${g}`} onClick={() => setGrade(g)}>
            {g} 级
          </View>
        ))}
      </View>
      <View className="nr-label">发布栏目</View>
      <Picker
        mode="selector"
        range={columns.map((c) => columnName(c))}
        onChange={(e) => setColumn(columns[Number(e.detail.value)] ?? 'correspondent')}
      >
        <View className="nr-input" data-testid="nr-column">
          {columnName(column)}
        </View>
      </Picker>
      {pendingImages ? <View className="nr-hint">图片安全检测尚未完成，完成后才能通过</View> : null}
      {error ? (
        <View className="nr-error" data-testid="nr-review-error">
          {error}
        </View>
      ) : null}
      <View className="nr-actions" style={{ padding: '12px 0 0' }}>
        <Button type="primary" size="mini" data-testid="nr-approve" onClick={approve}>
          通过
        </Button>
        <Button size="mini" data-testid="nr-return" onClick={() => withNote('return')}>
          退回修改
        </Button>
        <Button size="mini" data-testid="nr-reject" onClick={() => withNote('reject')}>
          不予采用
        </Button>
      </View>
    </View>
  );
}

function today(offsetDays = 0): string {
  const d = new Date(Date.now() + 8 * 3600_000 + offsetDays * 86400_000);
  return d.toISOString().slice(0, 10);
}

/** Approved (or scheduled) pieces: publish now, or at a date and time (Asia/Shanghai). */
function PublishForm({ s, run }: { s: SubmissionView; run: Run }) {
  const [date, setDate] = useState(today(1));
  const [time, setTime] = useState('08:00');
  const [error, setError] = useState<string | null>(null);
  function schedule() {
    const publishAt = shanghaiIso(date, time);
    const c = check(publishBodySchema, { publishAt });
    if (!c.ok) return setError(c.message);
    if (Date.parse(publishAt) <= Date.now()) return setError('定时发布的时间须晚于现在');
    setError(null);
    void run(() => deskApi.publish(s.id, c.value.publishAt), '已定时发布');
  }
  return (
    <View className="nr-section" data-testid="nr-publish">
      <View className="nr-label">发布</View>
      <View className="nr-actions" style={{ padding: 0 }}>
        <Button type="primary" size="mini" data-testid="nr-publish-now" onClick={() => void run(() => deskApi.publish(s.id), '已发布')}>
          立即发布
        </Button>
      </View>
      {s.state === 'approved' ? (
        <>
          <View className="nr-label">或定时发布（北京时间）</View>
          <View className="nr-row">
            <Picker mode="date" value={date} start={today()} onChange={(e) => setDate(String(e.detail.value))}>
              <View className="nr-input" data-testid="nr-publish-date">
                {date}
              </View>
            </Picker>
            <Picker mode="time" value={time} onChange={(e) => setTime(String(e.detail.value))}>
              <View className="nr-input" data-testid="nr-publish-time">
                {time}
              </View>
            </Picker>
            <Button size="mini" data-testid="nr-schedule" onClick={schedule}>
              定时发布
            </Button>
          </View>
        </>
      ) : null}
      {error ? <View className="nr-error">{error}</View> : null}
    </View>
  );
}

/** 选题派发: an editor gives this piece's author a topic to cover; it appears under 我的选题 on their desk. */
function AssignForm({ authorId, authorName }: { authorId: string; authorName: string }) {
  const [open, setOpen] = useState(false);
  const [title, setTitle] = useState('');
  const [brief, setBrief] = useState('');
  const [due, setDue] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  async function assign() {
    const c = check(createAssignmentBodySchema, {
      title,
      brief,
      assigneeId: authorId,
      ...(due ? { dueAt: shanghaiIso(due, '18:00') } : {}),
    });
    if (!c.ok) return setError(c.message);
    setError(null);
    try {
      const { assignment } = await deskApi.assign(c.value);
      setDone(assignment.title);
      setTitle('');
      setBrief('');
      setOpen(false);
    } catch (err) {
      setError(isApiError(err) ? err.message : '派发失败');
    }
  }
  if (!open) {
    return (
      <View className="nr-actions">
        <Button size="mini" data-testid="nr-assign-open" onClick={() => setOpen(true)}>
          向{authorName}派发选题
        </Button>
        {done ? (
          <View className="nr-hint" data-testid="nr-assign-done">
            已派发：{done}
          </View>
        ) : null}
      </View>
    );
  }
  return (
    <View className="nr-section" data-testid="nr-assign">
      <View className="nr-label">派发选题给 {authorName}</View>
      <Input
        className="nr-input"
        data-testid="nr-assign-title"
        maxlength={60}
        placeholder="选题"
        value={title}
        onInput={(e) => setTitle(e.detail.value)}
      />
      <View className="nr-label">选题说明</View>
      <Textarea
        className="nr-textarea"
        style={{ minHeight: '120px' }}
        data-testid="nr-assign-brief"
        maxlength={1000}
        value={brief}
        onInput={(e) => setBrief(e.detail.value)}
      />
      <Picker mode="date" value={due ?? today(1)} start={today()} onChange={(e) => setDue(String(e.detail.value))}>
        <View className="nr-input" style={{ marginTop: '12px' }}>
          截稿日期：{due ?? '不限'}
        </View>
      </Picker>
      {error ? (
        <View className="nr-error" data-testid="nr-assign-error">
          {error}
        </View>
      ) : null}
      <View className="nr-actions" style={{ padding: '12px 0 0' }}>
        <Button type="primary" size="mini" data-testid="nr-assign-submit" onClick={() => void assign()}>
          派发
        </Button>
        <Button size="mini" onClick={() => setOpen(false)}>
          取消
        </Button>
      </View>
    </View>
  );
}

export default withCareMode(PiecePage);
