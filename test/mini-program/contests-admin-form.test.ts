/** The admin forms' logic (miniprogram/src/subpackages/contests/admin-form.ts): Shanghai times, the rounds editor, validation. */
import { createContestBodySchema } from '@shared/schemas/contests';
import { ApiError } from '../../miniprogram/src/services/core/api-error';
import {
  addRound,
  addableKinds,
  apiErrorText,
  checkCampaign,
  checkContest,
  emptyCampaignForm,
  emptyContestForm,
  formFromContest,
  moveRound,
  removeRound,
  setRoundStart,
  shanghaiToIso,
  toShanghaiText,
} from '../../miniprogram/src/subpackages/contests/admin-form';

const NOW = Date.parse('2026-12-02T03:20:00Z'); // 11:20 in Shanghai

describe('contest and campaign admin forms', () => {
  it('reads times typed in Shanghai time and writes them back the same way', () => {
    expect(shanghaiToIso('2026-12-03 18:05')).toBe('2026-12-03T18:05:00+08:00');
    expect(Date.parse(shanghaiToIso('2026-12-03 08:00'))).toBe(Date.parse('2026-12-03T00:00:00Z'));
    expect(toShanghaiText(Date.parse('2026-12-02T16:30:00Z'))).toBe('2026-12-03 00:30');
    // Not a time: passed through for the schema to refuse.
    expect(shanghaiToIso('2026-02-30 10:00')).toBe('2026-02-30 10:00');
    expect(shanghaiToIso('明天')).toBe('明天');
  });

  it('starts with open call → jury shortlist → public vote → results, which the server schema accepts', () => {
    const form = { ...emptyContestForm(NOW), title: '寻找古蔺四季之美', description: '摄影大赛' };
    expect(form.rounds.map((r) => r.kind)).toEqual(['submission', 'shortlist', 'voting', 'results']);
    expect(form.rounds[0]!.startsAt).toBe('2026-12-02 12:00');
    const checked = checkContest(form);
    if (!checked.ok) throw new Error(checked.message);
    expect(createContestBodySchema.safeParse(checked.body).success).toBe(true);
    expect(checked.body.rounds[1]).toEqual({ kind: 'shortlist', startsAt: '2026-12-09T12:00:00+08:00' });
    expect(checked.body.tieBreak).toBe('jury');
    const votesFirst = checkContest({ ...form, tieBreak: 'votes' });
    expect(votesFirst.ok && votesFirst.body.tieBreak).toBe('votes');
    expect(checked.body.awards).toEqual([
      { label: '一等奖', count: 1, points: 500 },
      { label: '二等奖', count: 2, points: 300 },
      { label: '三等奖', count: 3, points: 100 },
    ]);
  });

  it('adds a round in its place, moves and removes rounds, and says in Chinese when the order is wrong', () => {
    const base = { ...emptyContestForm(NOW), title: '比赛', description: '简介' };
    expect(addableKinds(base.rounds)).toEqual(['judging']);
    const withJudging = addRound(base.rounds, 'judging', NOW);
    expect(withJudging.map((r) => r.kind)).toEqual(['submission', 'shortlist', 'voting', 'judging', 'results']);
    // Three days after the public vote starts.
    expect(withJudging[3]!.startsAt).toBe('2026-12-15 12:00');
    expect(addableKinds(withJudging)).toEqual([]);

    const swapped = moveRound(base.rounds, 2, -1);
    expect(swapped.map((r) => r.kind)).toEqual(['submission', 'voting', 'shortlist', 'results']);
    expect(checkContest({ ...base, rounds: swapped })).toMatchObject({ ok: false, message: '第 3 轮：轮次顺序无效或重复' });
    expect(moveRound(swapped, 1, 1).map((r) => r.kind)).toEqual(base.rounds.map((r) => r.kind));
    expect(moveRound(base.rounds, 0, -1).map((r) => r.kind)).toEqual(base.rounds.map((r) => r.kind));

    const noShortlist = removeRound(base.rounds, 1);
    expect(noShortlist.map((r) => r.kind)).toEqual(['submission', 'voting', 'results']);
    expect(checkContest({ ...base, rounds: noShortlist }).ok).toBe(true);
    expect(checkContest({ ...base, rounds: removeRound(noShortlist, 2) })).toMatchObject({
      ok: false,
      message: '第 2 轮：最后一轮必须是结果公布',
    });

    const early = setRoundStart(base.rounds, 2, '2026-12-01 09:00');
    expect(checkContest({ ...base, rounds: early })).toMatchObject({
      ok: false,
      message: '第 3 轮开始时间：每一轮的开始时间必须晚于上一轮',
    });
    expect(checkContest({ ...base, rounds: setRoundStart(base.rounds, 0, '下周一') })).toMatchObject({
      ok: false,
      message: '第 1 轮开始时间：时间格式无效',
    });
  });

  it('names the field in every message: numbers, weights, awards, empty text', () => {
    const base = { ...emptyContestForm(NOW), title: '比赛', description: '简介' };
    expect(checkContest({ ...base, title: '  ' })).toMatchObject({ ok: false, message: '标题不能为空' });
    expect(checkContest({ ...base, perUserPerDay: '0' })).toMatchObject({ ok: false, message: '每人每天票数：不能小于 1' });
    expect(checkContest({ ...base, perEntryPerDay: 'abc' })).toMatchObject({ ok: false, message: '每人每天给同一作品的票数：请填写整数' });
    expect(checkContest({ ...base, maxEntriesPerPerson: '1.5' })).toMatchObject({ ok: false, message: '每人可报作品数：请填写整数' });
    expect(checkContest({ ...base, juryWeight: '60', publicWeight: '30' })).toMatchObject({
      ok: false,
      message: '评委与公众权重之和必须为 100',
    });
    expect(checkContest({ ...base, entryKinds: [] })).toMatchObject({ ok: false, message: '参赛方式：至少 1 项' });
    const awards = base.awards.map((a, i) => (i === 1 ? { ...a, points: '-5' } : a));
    expect(checkContest({ ...base, awards })).toMatchObject({ ok: false, message: '第 2 个奖项积分：不能小于 0' });
    // Empty optional numbers fall back to the server's defaults.
    const defaults = checkContest({ ...base, perUserPerDay: '', maxEntriesPerPerson: '' });
    expect(defaults.ok && defaults.body.voting.perUserPerDay).toBe(3);
    expect(defaults.ok && defaults.body.maxEntriesPerPerson).toBe(1);
  });

  it('fills the form from an existing contest so that saving it unchanged sends the same configuration', () => {
    const form = { ...emptyContestForm(NOW), title: '比赛', description: '简介', campaign: '春三月', tieBreak: 'earliest' as const };
    const first = checkContest(form);
    if (!first.ok) throw new Error(first.message);
    const b = first.body;
    const view = {
      ...b,
      id: '64b7f0c2a1b2c3d4e5f60718',
      cover: null,
      campaign: b.campaign ?? null,
      rounds: b.rounds.map((r) => ({ kind: r.kind, label: '', startsAt: new Date(r.startsAt).toISOString(), endsAt: null })),
      phase: 'upcoming' as const,
      advancedTo: 'upcoming' as const,
      jurorIds: [],
      totalsVisible: false,
      resultsPublished: false,
      tieBreak: b.tieBreak ?? 'jury',
      tieBreakRule: '',
      createdAt: new Date(NOW).toISOString(),
    };
    const again = checkContest(formFromContest(view));
    if (!again.ok) throw new Error(again.message);
    expect(again.body).toEqual(b);
  });

  it('checks a campaign: dates in order, a tag, target circles and bonus points', () => {
    const form = { ...emptyCampaignForm(NOW), title: '春三月', description: '寻找身边的春天', tag: '春三月', bonusPoints: '20' };
    const ok = checkCampaign({
      ...form,
      targetCircleIds: ['64b7f0c2a1b2c3d4e5f60718'],
      cover: '/api/v1/files/64b7f0c2a1b2c3d4e5f60718.jpg',
    });
    if (!ok.ok) throw new Error(ok.message);
    expect(ok.body).toMatchObject({
      tag: '春三月',
      bonusPoints: 20,
      startsAt: '2026-12-02T12:00:00+08:00',
      endsAt: '2027-01-01T12:00:00+08:00',
    });
    expect(checkCampaign({ ...form, endsAt: form.startsAt })).toMatchObject({ ok: false, message: '结束时间必须晚于开始时间' });
    expect(checkCampaign({ ...form, tag: '' })).toMatchObject({ ok: false, message: '投稿话题不能为空' });
    expect(checkCampaign({ ...form, description: '' })).toMatchObject({ ok: false, message: '活动说明不能为空' });
    expect(checkCampaign({ ...form, bonusPoints: '20000' })).toMatchObject({ ok: false, message: '奖励积分：不能大于 10000' });
  });

  it('turns a server VALIDATION_FAILED into the first field message, other refusals into their message', () => {
    const invalid = new ApiError({
      code: 'VALIDATION_FAILED',
      status: 400,
      message: '请求参数有误',
      details: { issues: [{ location: 'body', path: 'tag', code: 'too_big', message: '太长了' }] },
    });
    expect(apiErrorText(invalid)).toBe('话题标签：太长了');
    expect(apiErrorText(new ApiError({ code: 'CONFLICT', status: 409, message: '专题标签已被使用' }))).toBe('专题标签已被使用');
    expect(apiErrorText(new ApiError({ code: 'NETWORK_ERROR', status: 0 }))).toBe('网络连接失败，请检查网络后重试');
    expect(apiErrorText(null)).toBe('提交失败，请稍后再试');
  });

  it('never shows the text of something that is not an API error (a failed redirectTo, a bug)', () => {
    expect(apiErrorText(new Error('redirectTo:fail page "subpackages/contests/pages/index/index" is not found'))).toBe(
      '提交失败，请稍后再试',
    );
    expect(apiErrorText({ errMsg: 'redirectTo:fail timeout', message: 'redirectTo:fail timeout' })).toBe('提交失败，请稍后再试');
    expect(apiErrorText(new TypeError("Cannot read properties of undefined (reading 'id')"))).toBe('提交失败，请稍后再试');
    // Field issues count only on an API error: a look-alike object is not trusted either.
    expect(apiErrorText({ message: 'x', details: { issues: [{ path: 'tag', message: 'too long' }] } })).toBe('提交失败，请稍后再试');
  });
});
