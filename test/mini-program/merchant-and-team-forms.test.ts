/**
 * The merchant forms' and the leader's activity form's logic (miniprogram/src/subpackages/merchant/form.ts,
 * team/activity-form.ts): yuan and 折 read exactly, Beijing times, the server's schemas and rules applied
 * on the phone with Chinese messages, and bodies the API's own schemas accept.
 */
import { z } from 'zod';
import { createBatchBodySchema } from '@shared/schemas/coupons';
import { createActivityBodySchema } from '@shared/schemas/volunteers';
import {
  buildBatchBody,
  buildPromotionBody,
  emptyBatchForm,
  emptyPromotionForm,
  fromLocal,
  toLocal,
  yuanToFen,
  type BatchForm,
  zheToPercent,
} from '../../miniprogram/src/subpackages/merchant/form';
import { buildActivityBody, emptyActivityForm } from '../../miniprogram/src/subpackages/team/activity-form';

const NOW = new Date('2026-12-02T03:20:00Z'); // 11:20 in Shanghai
const SHOP = '64b7f0c2a1b2c3d4e5f60718';
const TEAM = '64b7f0c2a1b2c3d4e5f60719';

describe('merchant forms', () => {
  it('reads amounts in yuan and discounts in 折 exactly', () => {
    expect(yuanToFen('12.5')).toBe(1250);
    expect(yuanToFen('0.07')).toBe(7);
    expect(yuanToFen('19.99')).toBe(1999); // 19.99 * 100 is 1998.9999… in floating point
    expect(yuanToFen('1.234')).toBeNull();
    expect(yuanToFen('-1')).toBeNull();
    expect(zheToPercent('8.8')).toBe(88);
    expect(zheToPercent('9')).toBe(90);
    expect(zheToPercent('0')).toBeNull();
    expect(zheToPercent('10')).toBeNull();
  });

  it('reads and writes Beijing time', () => {
    expect(toLocal(NOW)).toEqual({ date: '2026-12-02', time: '11:20' });
    expect(fromLocal({ date: '2026-12-03', time: '00:30' })).toBe('2026-12-02T16:30:00.000Z');
    expect(fromLocal({ date: '明天', time: '09:00' })).toBeNull();
  });

  it('builds a batch the API schema accepts: claimable now for a week, valid 30 days after claiming', () => {
    const built = buildBatchBody({ ...emptyBatchForm(NOW), title: '开业酬宾', value: '5' }, SHOP);
    if (!built.ok) throw new Error(built.message);
    expect(createBatchBodySchema.parse(built.body)).toEqual(built.body);
    expect(built.body).toMatchObject({
      kind: 'amount_off',
      value: 500,
      threshold: 0,
      totalStock: 100,
      perUserLimit: 1,
      claimStartsAt: '2026-12-02T03:20:00.000Z',
      claimEndsAt: '2026-12-09T03:20:00.000Z',
      validity: { type: 'relative', days: 30 },
      issuer: { type: 'merchant', merchantId: SHOP },
      mode: 'grab',
    });
  });

  // zod's default messages depend on the configured locale (the server sets zh-CN globally): the forms'
  // hints must win either way.
  it.each([
    ['en', z.locales.en()],
    ['zh-CN', z.locales.zhCN()],
  ])('refuses what the server would refuse, in Chinese (zod locale %s)', (_name, locale) => {
    z.config(locale);
    const form: BatchForm = { ...emptyBatchForm(NOW), title: '满减', kind: 'spend_x_save_y', value: '10' };
    const msg = (over: Partial<BatchForm>) => {
      const r = buildBatchBody({ ...form, ...over }, SHOP);
      return r.ok ? 'ok' : r.message;
    };
    expect(msg({ threshold: '5' })).toBe('满减券的门槛应大于减免金额');
    expect(msg({ threshold: '50' })).toBe('ok');
    expect(msg({ threshold: '50', title: '' })).toBe('标题不能为空');
    expect(msg({ threshold: '50', totalStock: '0' })).toBe('发放总量至少 1 张');
    expect(msg({ threshold: '50', perUserLimit: '11' })).toBe('每人最多限领 10 张');
    expect(msg({ threshold: '50', claimEnds: form.claimStarts })).toBe('领券结束时间应晚于开始时间');
    expect(msg({ threshold: '50', validDays: '0' })).toBe('领取后有效天数应为 1–365 天');
    expect(msg({ threshold: '50', validity: 'fixed', validFrom: form.claimEnds, validUntil: form.claimStarts })).toBe(
      '有效期结束时间应晚于开始时间',
    );
    expect(msg({ kind: 'discount', value: '10' })).toBe('折扣请填 0.1–9.9 之间的数，如 8.8');
  });

  it('builds a promotion, with optional dates in order', () => {
    const form = { ...emptyPromotionForm(NOW), kind: '开业' as const, title: '开业大吉', body: '全场八折' };
    expect(buildPromotionBody(form)).toEqual({ ok: true, body: { kind: '开业', title: '开业大吉', body: '全场八折', photos: [] } });
    expect(buildPromotionBody({ ...form, body: ' ' })).toEqual({ ok: false, message: '内容不能为空' });
    const backwards = buildPromotionBody({ ...form, withDates: true, starts: form.ends, ends: form.starts });
    expect(backwards).toEqual({ ok: false, message: '结束时间应晚于开始时间' });
  });
});

describe('the leader’s activity form', () => {
  it('builds an activity with every option the API has', () => {
    const built = buildActivityBody(
      {
        ...emptyActivityForm(NOW),
        title: '河道清洁',
        placeName: '旴江公园北门',
        useGeofence: true,
        lat: '26.837800',
        lng: '116.325200',
        radiusM: '200',
        audience: 'team',
        pointsMode: 'fixed',
        points: '30',
        checkInOpensMinutesBefore: '45',
      },
      TEAM,
      NOW,
    );
    if (!built.ok) throw new Error(built.message);
    expect(createActivityBodySchema.parse(built.body)).toEqual(built.body);
    expect(built.body).toMatchObject({
      teamId: TEAM,
      geofence: { lat: 26.8378, lng: 116.3252, radiusM: 200 },
      startAt: '2026-12-03T01:00:00.000Z', // tomorrow 09:00 Beijing
      endAt: '2026-12-03T03:00:00.000Z',
      signUpDeadline: '2026-12-03T01:00:00.000Z', // until it starts
      capacity: 20,
      audience: 'team',
      points: { mode: 'fixed', amount: 30 },
      checkInOpensMinutesBefore: 45,
    });
  });

  it.each([
    ['en', z.locales.en()],
    ['zh-CN', z.locales.zhCN()],
  ])('says what is wrong in Chinese (zod locale %s)', (_name, locale) => {
    z.config(locale);
    const form = { ...emptyActivityForm(NOW), title: '河道清洁', placeName: '旴江公园' };
    const msg = (over: Partial<typeof form>) => {
      const r = buildActivityBody({ ...form, ...over }, TEAM, NOW);
      return r.ok ? 'ok' : r.message;
    };
    expect(msg({})).toBe('ok');
    expect(msg({ title: '' })).toContain('活动标题');
    expect(msg({ end: form.start })).toBe('结束时间必须晚于开始时间');
    expect(msg({ deadline: { date: '2026-12-04', time: '00:00' } })).toBe('报名截止时间不能晚于活动结束');
    expect(msg({ useGeofence: true })).toBe('请在地图上选择签到地点（或关闭“签到时核验位置”）');
    expect(msg({ useGeofence: true, lat: '26.8', lng: '116.3', radiusM: '10' })).toBe('签到范围至少 20 米');
    expect(msg({ capacity: '0' })).toBe('名额应为 1–10000 人');
    expect(msg({ deadline: { date: '2026-12-02', time: '11:00' } })).toBe('报名截止时间已过，请重新选择');
    expect(msg({ points: '-3' })).toBe('每小时积分应为 0–1000');
  });
});
