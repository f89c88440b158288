import type { CampaignView } from '@shared/schemas/campaigns';
import { SCORE_FORMULA, TIE_BREAKS, TIE_BREAK_RULES } from '@shared/schemas/contests';
import type { UserView } from '@shared/schemas/users';

import { Input, Textarea, View } from '@tarojs/components';
import Taro, { useLoad } from '@tarojs/taro';
import { useState } from 'react';
import { Button, EmptyState, LoadingState } from '../../../../components/ui';
import { useSession } from '../../../../hooks/use-session';
import { contestsAdminApi } from '../../../../services/contests-admin.api';
import { allPages } from '../../../../services/core/all-pages';
import { hasRole } from '../../../../utils/roles';
import {
  ENTRY_KIND_LABELS,
  addRound,
  addableKinds,
  apiErrorText,
  checkContest,
  emptyContestForm,
  formFromContest,
  moveRound,
  newAward,
  removeRound,
  roundLabel,
  setRoundStart,
  toggle,
  type AwardRow,
  type ContestForm,
  type EntryKind,
} from '../../admin-form';
import { CoverPicker } from '../../components/cover-picker';
import '../../contests.scss';
import { Check } from '@nutui/icons-react-taro';
import { withCareMode } from '../../../../stores/care-mode';

type TextKey =
  | 'title'
  | 'maxEntriesPerPerson'
  | 'perUserPerDay'
  | 'perEntryPerDay'
  | 'newAccountHours'
  | 'maxUsersPerDevice'
  | 'juryWeight'
  | 'publicWeight';
const ENTRY_KINDS: EntryKind[] = ['submission', 'photo', 'video'];

/**
 * 配置比赛 (admins): basics, how entries come in, the ordered rounds with their dates (edit, move, remove,
 * add), voting limits, jurors and weights, awards. Checked with the server's schema before sending; jurors
 * are appointed once the contest exists; then the contest page opens. With `?id=` it changes a contest
 * that has not started yet (the server refuses once it has).
 */
function ConfigureContestPage() {
  const { user } = useSession();
  const [form, setForm] = useState<ContestForm>(() => emptyContestForm(Date.now()));
  const [campaigns, setCampaigns] = useState<CampaignView[]>([]);
  const [jurors, setJurors] = useState<UserView[]>([]);
  const [query, setQuery] = useState('');
  const [found, setFound] = useState<UserView[] | null>(null);
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  /** Editing: the contest being changed (null while loading it). */
  const [editing, setEditing] = useState<{ id: string; started: boolean; jurors: number } | null>(null);
  const [editId, setEditId] = useState('');
  // Any change clears the last refusal: it described the form as it was.
  const set = <K extends keyof ContestForm>(key: K, value: ContestForm[K]) => {
    setError('');
    setForm((f) => ({ ...f, [key]: value }));
  };
  const setAward = (i: number, patch: Partial<AwardRow>) => {
    setError('');
    setForm((f) => ({ ...f, awards: f.awards.map((a, k) => (k === i ? { ...a, ...patch } : a)) }));
  };

  useLoad((params: Record<string, string | undefined>) => {
    allPages((cursor) => contestsAdminApi.campaigns(cursor))
      .then(setCampaigns)
      .catch(() => setCampaigns([]));
    if (params.id) {
      const id = params.id;
      setEditId(id);
      void Taro.setNavigationBarTitle({ title: '修改比赛' });
      contestsAdminApi
        .contest(id)
        .then(({ contest }) => {
          setForm(formFromContest(contest));
          setEditing({ id, started: contest.phase !== 'upcoming' || contest.advancedTo !== 'upcoming', jurors: contest.jurorIds.length });
        })
        .catch(() => setError('比赛加载失败，请返回重试'));
    }
  });

  if (!hasRole(user, 'admin')) return <EmptyState title="仅管理员可以配置比赛" />;
  if (editId && !editing) return error ? <EmptyState title={error} /> : <LoadingState />;

  async function search() {
    const q = query.trim();
    if (!q) return;
    try {
      setFound((await contestsAdminApi.searchUsers(q)).items);
    } catch {
      setFound([]);
    }
  }

  async function submit() {
    const checked = checkContest(form);
    if (!checked.ok) {
      setError(checked.message);
      return;
    }
    setError('');
    setBusy(true);
    try {
      const { contest } = editing
        ? await contestsAdminApi.reconfigureContest(editing.id, checked.body)
        : await contestsAdminApi.createContest(checked.body);
      const failed: string[] = [];
      for (const j of jurors) {
        await contestsAdminApi.appointJuror(contest.id, j.id).catch(() => failed.push(j.nickname));
      }
      const done = editing ? '比赛已修改' : '比赛已创建';
      void Taro.showToast({ title: failed.length ? `${done}，评委未能任命：${failed.join('、')}` : done, icon: 'none' });
      await Taro.redirectTo({ url: `/subpackages/contests/pages/index/index?id=${contest.id}` });
    } catch (err) {
      setError(apiErrorText(err));
    } finally {
      setBusy(false);
    }
  }

  const textField = (key: TextKey, label: string, placeholder = '', numeric = true) => (
    <>
      <View className="ct-label">{label}</View>
      <Input
        className="ct-input"
        data-testid={`ct-f-${key}`}
        type={numeric ? 'number' : 'text'}
        maxlength={numeric ? 6 : 60}
        placeholder={placeholder}
        value={form[key]}
        onInput={(e) => set(key, e.detail.value)}
      />
    </>
  );
  const chip = (on: boolean, text: string, onClick: () => void, testId: string, key?: string) => (
    <View key={key} className={`ct-chip${on ? ' ct-chip--on' : ''}`} data-testid={testId} onClick={onClick}>
      {on ? <Check className="rm-chip-check" /> : null}
      {text}
    </View>
  );
  const now = Date.now();

  return (
    <View data-testid="ct-configure">
      {editing?.started ? <View className="ct-error">比赛已经开始，配置不能再修改</View> : null}
      <View className="ct-section">
        {textField('title', '标题', '例如：寻找古蔺四季之美', false)}
        <View className="ct-label">简介与规则</View>
        <Textarea
          className="ct-textarea"
          data-testid="ct-f-description"
          maxlength={2000}
          placeholder="征集主题、参赛要求、评选方式…"
          value={form.description}
          onInput={(e) => set('description', e.detail.value)}
        />
        <View className="ct-label">封面（可选）</View>
        <CoverPicker value={form.cover} onChange={(url) => set('cover', url)} testId="ct-cover" />
      </View>

      <View className="ct-section">
        <View className="ct-title">参赛方式</View>
        <View className="ct-chips">
          {ENTRY_KINDS.map((k) =>
            chip(form.entryKinds.includes(k), ENTRY_KIND_LABELS[k], () => set('entryKinds', toggle(form.entryKinds, k)), `ct-kind-${k}`, k),
          )}
        </View>
        <View className="ct-label">稿件须带专题标签（可选）</View>
        <View className="ct-chips">
          {chip(form.campaign === '', '不限', () => set('campaign', ''), 'ct-campaign-none')}
          {campaigns.map((c) => chip(form.campaign === c.tag, c.tag, () => set('campaign', c.tag), 'ct-campaign', c.id))}
        </View>
        {textField('maxEntriesPerPerson', '每人可报作品数', '1')}
      </View>

      <View className="ct-section">
        <View className="ct-title">轮次（按顺序；每轮持续到下一轮开始）</View>
        {form.rounds.map((r, i) => (
          <View key={r.key} data-testid="ct-round">
            <View className="ct-label" data-testid={`ct-round-label-${i}`}>
              第 {i + 1} 轮 · {roundLabel(r.kind)}
            </View>
            <View className="ct-inline">
              <Input
                className="ct-input ct-inline__grow"
                data-testid={`ct-round-start-${i}`}
                maxlength={16}
                placeholder="YYYY-MM-DD HH:mm"
                value={r.startsAt}
                onInput={(e) => set('rounds', setRoundStart(form.rounds, i, e.detail.value))}
              />
              <View className="ct-link" data-testid={`ct-round-up-${i}`} onClick={() => set('rounds', moveRound(form.rounds, i, -1))}>
                上移
              </View>
              <View className="ct-link" data-testid={`ct-round-down-${i}`} onClick={() => set('rounds', moveRound(form.rounds, i, 1))}>
                下移
              </View>
              <View className="ct-link" data-testid={`ct-round-remove-${i}`} onClick={() => set('rounds', removeRound(form.rounds, i))}>
                删除
              </View>
            </View>
          </View>
        ))}
        {addableKinds(form.rounds).length > 0 ? <View className="ct-label">添加轮次（北京时间）</View> : null}
        <View className="ct-chips">
          {addableKinds(form.rounds).map((k) =>
            chip(false, `+ ${roundLabel(k)}`, () => set('rounds', addRound(form.rounds, k, now)), `ct-round-add-${k}`, k),
          )}
        </View>
      </View>

      <View className="ct-section">
        <View className="ct-title">公众投票</View>
        {textField('perUserPerDay', '每人每天可投票数（本比赛）', '3')}
        {textField('perEntryPerDay', '每人每天给同一作品的票数', '1')}
        <View className="ct-chips" style={{ marginTop: '16px' }}>
          {chip(form.hideTotals, '投票结束前隐藏票数', () => set('hideTotals', !form.hideTotals), 'ct-hide-totals')}
        </View>
        {textField('newAccountHours', '注册不满多少小时的账号投票需复核', '72')}
        {textField('maxUsersPerDevice', '同一设备每天超过几个账号投票需复核', '2')}
      </View>

      <View className="ct-section">
        <View className="ct-title">评委与评分</View>
        <View className="ct-label">
          {editing ? `已任命 ${editing.jurors} 名评委；在此添加的评委保存后任命` : '评委（创建后任命，可多名）'}
        </View>
        <View className="ct-chips">
          {jurors.map((j) => chip(true, j.nickname, () => setJurors(jurors.filter((x) => x.id !== j.id)), 'ct-juror', j.id))}
        </View>
        <View className="ct-inline">
          <Input
            className="ct-input ct-inline__grow"
            data-testid="ct-juror-query"
            placeholder="昵称或用户名"
            value={query}
            onInput={(e) => setQuery(e.detail.value)}
          />
          <Button size="small" onClick={() => void search()} data-testid="ct-juror-search">
            搜索
          </Button>
        </View>
        {found?.length === 0 ? <View className="ct-meta">没有找到</View> : null}
        {found?.map((u) => (
          <View
            className="ct-row"
            key={u.id}
            data-testid="ct-juror-found"
            onClick={() => {
              if (!jurors.some((j) => j.id === u.id)) setJurors([...jurors, u]);
            }}
          >
            <View>
              {u.nickname}
              {u.username ? `（${u.username}）` : ''}
            </View>
            <View className="ct-link">{jurors.some((j) => j.id === u.id) ? '已添加' : '添加'}</View>
          </View>
        ))}
        {textField('juryWeight', '评委得分权重（%）', '70')}
        {textField('publicWeight', '公众投票权重（%）', '30')}
        <View className="ct-meta">{SCORE_FORMULA}</View>
        <View className="ct-label">并列规则</View>
        {TIE_BREAKS.map((rule) => (
          <View
            key={rule}
            className={`ct-chip${form.tieBreak === rule ? ' ct-chip--on' : ''}`}
            style={{ marginBottom: '12px' }}
            data-testid={`ct-tie-${rule}`}
            onClick={() => set('tieBreak', rule)}
          >
            {form.tieBreak === rule ? <Check className="rm-chip-check" /> : null}
            {TIE_BREAK_RULES[rule]}
          </View>
        ))}
      </View>

      <View className="ct-section">
        <View className="ct-title">奖项（按名次依次发放积分）</View>
        {form.awards.length > 0 ? (
          <View className="ct-inline ct-meta">
            <View className="ct-award__label">奖项名称</View>
            <View className="ct-award__num">名额</View>
            <View className="ct-award__num">积分</View>
            <View className="ct-award__gap" />
          </View>
        ) : null}
        {form.awards.map((a, i) => (
          <View className="ct-inline" key={a.key} data-testid="ct-award">
            <Input
              className="ct-input ct-award__label"
              data-testid={`ct-award-label-${i}`}
              maxlength={20}
              placeholder="奖项名称"
              value={a.label}
              onInput={(e) => setAward(i, { label: e.detail.value })}
            />
            <Input
              className="ct-input ct-award__num"
              data-testid={`ct-award-count-${i}`}
              type="number"
              placeholder="名额"
              value={a.count}
              onInput={(e) => setAward(i, { count: e.detail.value })}
            />
            <Input
              className="ct-input ct-award__num"
              data-testid={`ct-award-points-${i}`}
              type="number"
              placeholder="积分"
              value={a.points}
              onInput={(e) => setAward(i, { points: e.detail.value })}
            />
            <View
              className="ct-link ct-award__gap"
              data-testid={`ct-award-remove-${i}`}
              onClick={() =>
                set(
                  'awards',
                  form.awards.filter((_, k) => k !== i),
                )
              }
            >
              删除
            </View>
          </View>
        ))}
        <View className="ct-chips">{chip(false, '+ 添加奖项', () => set('awards', [...form.awards, newAward()]), 'ct-award-add')}</View>
      </View>

      {error ? (
        <View className="ct-error" data-testid="ct-error">
          {error}
        </View>
      ) : null}
      <View className="ct-actions">
        <Button
          type="primary"
          block
          loading={busy}
          disabled={busy || editing?.started === true}
          onClick={() => void submit()}
          data-testid="ct-submit"
        >
          {editing ? '保存修改' : '创建比赛'}
        </Button>
      </View>
    </View>
  );
}

export default withCareMode(ConfigureContestPage);
