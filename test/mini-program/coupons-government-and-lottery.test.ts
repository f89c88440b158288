/**
 * The mini-program's side of government consumption coupons and promotion photos: the government batch
 * form (merchant/form.ts buildBatchBody with participating shops, 先到先得 or 抽签) gives bodies the API's
 * schema accepts; a citizen's lottery status (coupons/lottery.ts) follows the recorded draw (won, lost, not
 * signed up) and, before it, the phone's remembered sign-ups; 抽签结果 lists recent drawn-or-closed lotteries;
 * a promotion carries the uploaded photos' URLs.
 */
import { createBatchBodySchema, type BatchView } from '@shared/schemas/coupons';
import { createPromotionBodySchema } from '@shared/schemas/merchants';
import { createSignupMemory, lotteryStatus, lotteryStatusText, recentLotteries } from '../../miniprogram/src/subpackages/coupons/lottery';
import { buildBatchBody, buildPromotionBody, emptyBatchForm, emptyPromotionForm } from '../../miniprogram/src/subpackages/merchant/form';

const NOW = new Date('2026-12-02T03:20:00Z');
const SHOPS = ['64b7f0c2a1b2c3d4e5f60718', '64b7f0c2a1b2c3d4e5f60719'];
const ME = '64b7f0c2a1b2c3d4e5f6071a';
const OTHER = '64b7f0c2a1b2c3d4e5f6071b';

describe('government batch form', () => {
  const form = { ...emptyBatchForm(NOW), title: '冬季家电消费券', kind: 'spend_x_save_y' as const, value: '100', threshold: '1000' };

  it('builds a lottery batch with its shops; each winner gets one coupon whatever the limit field says', () => {
    const built = buildBatchBody({ ...form, perUserLimit: '5' }, { type: 'government', merchantIds: SHOPS }, 'lottery');
    if (!built.ok) throw new Error(built.message);
    expect(createBatchBodySchema.parse(built.body)).toEqual(built.body);
    expect(built.body).toMatchObject({
      issuer: { type: 'government', merchantIds: SHOPS },
      mode: 'lottery',
      perUserLimit: 1,
      value: 10000,
      threshold: 100000,
    });
  });

  it('builds a first-come batch and refuses one without shops or with the sign-up window backwards, in Chinese', () => {
    const grab = buildBatchBody({ ...form, perUserLimit: '2' }, { type: 'government', merchantIds: SHOPS });
    expect(grab.ok && grab.body).toMatchObject({ mode: 'grab', perUserLimit: 2 });
    expect(buildBatchBody(form, { type: 'government', merchantIds: [] }, 'lottery')).toEqual({
      ok: false,
      message: '请选择至少一家参与商户',
    });
    const backwards = buildBatchBody(
      { ...form, claimStarts: form.claimEnds, claimEnds: form.claimStarts },
      { type: 'government', merchantIds: SHOPS },
      'lottery',
    );
    expect(backwards).toEqual({ ok: false, message: '报名截止时间应晚于开始时间' });
  });
});

describe('lottery status', () => {
  const draw = { entrants: [ME, OTHER], winners: [OTHER], seed: 'ab'.repeat(32) };

  it('follows the recorded draw once there is one', () => {
    expect(lotteryStatus({ phase: 'ended' }, draw, OTHER, false)).toMatchObject({ kind: 'won', entrants: 2, winners: 1 });
    expect(lotteryStatus({ phase: 'ended' }, draw, ME, true)).toMatchObject({ kind: 'lost' });
    expect(lotteryStatus({ phase: 'ended' }, draw, null, false)).toMatchObject({ kind: 'absent' });
    expect(lotteryStatusText(lotteryStatus({ phase: 'ended' }, draw, OTHER, false))).toBe(
      '恭喜中签！券已放入“我的券”（报名 2 人，中签 1 人）',
    );
    expect(lotteryStatusText(lotteryStatus({ phase: 'ended' }, draw, ME, true))).toBe('很遗憾，未中签（报名 2 人，中签 1 人）');
  });

  it('before the draw, says whether this user signed up', () => {
    expect(lotteryStatusText(lotteryStatus({ phase: 'open' }, null, ME, true))).toBe('你已报名，报名截止后开奖');
    expect(lotteryStatusText(lotteryStatus({ phase: 'open' }, null, ME, false))).toBe('报名进行中，报名后参与抽签');
    expect(lotteryStatusText(lotteryStatus({ phase: 'ended' }, null, ME, true))).toBe('报名已截止，等待开奖');
    expect(lotteryStatus({ phase: 'upcoming' }, null, ME, false)).toEqual({ kind: 'upcoming' });
  });

  it('remembers sign-ups per user and survives a corrupt store', () => {
    let stored: string | undefined = 'not json';
    const memory = createSignupMemory({ get: () => stored, set: (v) => (stored = v) });
    expect(memory.has(ME, 'b1')).toBe(false);
    memory.add(ME, 'b1');
    memory.add(ME, 'b1');
    expect(memory.has(ME, 'b1')).toBe(true);
    expect(memory.has(OTHER, 'b1')).toBe(false);
    expect(JSON.parse(stored!)).toEqual([`${ME}:b1`]);
  });

  it('抽签结果 lists lotteries closed in the last 30 days, newest first', () => {
    const batch = (id: string, mode: 'grab' | 'lottery', phase: BatchView['phase'], daysAgo: number) =>
      ({ id, mode, phase, claimEndsAt: new Date(NOW.getTime() - daysAgo * 86_400_000).toISOString() }) as BatchView;
    const items = [
      batch('old', 'lottery', 'ended', 40),
      batch('a', 'lottery', 'ended', 5),
      batch('b', 'lottery', 'ended', 1),
      batch('open', 'lottery', 'open', -2),
      batch('grab', 'grab', 'ended', 1),
    ];
    expect(recentLotteries(items, NOW).map((b) => b.id)).toEqual(['b', 'a']);
  });
});

describe('promotion photos', () => {
  it("sends the uploaded photos' URLs and refuses more than 9", () => {
    const base = { ...emptyPromotionForm(NOW), kind: '开业' as const, title: '开业大吉', body: '全场八折' };
    const photos = ['http://127.0.0.1:3000/api/v1/files/6650f0c2a1b2c3d4e5f60718'];
    const built = buildPromotionBody({ ...base, photos });
    expect(built).toEqual({ ok: true, body: { kind: '开业', title: '开业大吉', body: '全场八折', photos } });
    if (built.ok) expect(createPromotionBodySchema.parse(built.body)).toEqual(built.body);
    expect(buildPromotionBody({ ...base, photos: Array.from({ length: 10 }, () => photos[0]!) })).toEqual({
      ok: false,
      message: '最多 9 张图片',
    });
  });
});
