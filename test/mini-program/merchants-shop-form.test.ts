/**
 * 商户入驻 and 店铺资料 forms' logic (miniprogram/src/subpackages/merchants/shop-form.ts): the API's own zod
 * schemas applied on the phone, one Chinese sentence under each field that needs correcting, bodies the
 * server's schemas accept, and an edit that sends only what changed.
 */
import { applyMerchantBodySchema, updateMerchantBodySchema, type MerchantDetail } from '@shared/schemas/merchants';
import {
  buildApplyBody,
  buildUpdateBody,
  emptyShopForm,
  formFrom,
  type ShopForm,
} from '../../miniprogram/src/subpackages/merchants/shop-form';

const FILLED: ShopForm = {
  name: '河边豆花饭',
  category: '餐饮',
  address: '城关街道滨江路 6 号',
  location: { lat: 26.84, lng: 116.33 },
  hours: '每天 07:00-20:00',
  phone: '13800001234',
  licenceNo: '91361030ma35000123',
  licencePhotoFileId: '64b7f0c2a1b2c3d4e5f607aa',
  intro: '',
  photos: ['/api/v1/files/64b7f0c2a1b2c3d4e5f60718'],
};

const SHOP: MerchantDetail = {
  id: '64b7f0c2a1b2c3d4e5f60718',
  name: '老街米粉店',
  category: '餐饮',
  address: '城关街道文昌路 12 号',
  location: { lat: 26.8382, lng: 116.3251 },
  hours: '06:30-14:00',
  phone: '0794-3621234',
  photos: ['/api/v1/files/a1'],
  intro: '本地商户。',
  state: 'approved',
  distanceM: null,
  createdAt: '2026-12-01T00:00:00.000Z',
  licenceNo: '91361030MA3500000X',
  ownerId: '64b7f0c2a1b2c3d4e5f60719',
  reason: null,
  decidedAt: '2026-12-01T01:00:00.000Z',
};

describe('商户入驻 form', () => {
  it('names every missing field in Chinese, each under its own field', () => {
    const checked = buildApplyBody(emptyShopForm());
    expect(checked.ok).toBe(false);
    if (checked.ok) return;
    expect(checked.errors).toEqual({
      name: '店名不能为空',
      category: '请选择经营类别',
      address: '地址不能为空',
      location: '请在地图上选择店铺位置，或在店里用“我现在的位置”',
      hours: '营业时间不能为空',
      phone: '请填写联系电话（手机或座机）',
      licenceNo: '请填写营业执照上的 18 位统一社会信用代码',
      licencePhotoFileId: '请上传营业执照照片',
    });
    expect(checked.message).toBe('有 8 项需要修改，请看标红的地方');
  });

  it('says what is wrong with a typed phone number or licence code', () => {
    const checked = buildApplyBody({ ...FILLED, phone: '12345', licenceNo: 'ABC' });
    expect(checked).toMatchObject({
      ok: false,
      errors: { phone: '电话号码格式不正确', licenceNo: '营业执照号格式不正确' },
      message: '有 2 项需要修改，请看标红的地方',
    });
  });

  it('gives a body the API accepts (licence code upper-cased as the server stores it)', () => {
    const checked = buildApplyBody(FILLED);
    expect(checked.ok).toBe(true);
    if (!checked.ok) return;
    expect(applyMerchantBodySchema.safeParse(checked.body).success).toBe(true);
    expect(checked.body).toMatchObject({
      licenceNo: '91361030MA35000123',
      licencePhotoFileId: FILLED.licencePhotoFileId,
      photos: FILLED.photos,
      location: FILLED.location,
    });
  });

  it('asks for the licence photo, in Chinese under its field, when only it is missing', () => {
    expect(buildApplyBody({ ...FILLED, licencePhotoFileId: '' })).toEqual({
      ok: false,
      errors: { licencePhotoFileId: '请上传营业执照照片' },
      message: '请上传营业执照照片',
    });
  });

  it("keeps a declined application's licence photo when it goes back into the form", () => {
    const declined: MerchantDetail = {
      ...SHOP,
      state: 'declined',
      reason: '门头照片不清晰',
      licencePhoto: { fileId: '64b7f0c2a1b2c3d4e5f607bb', url: 'https://api.example.cn/api/v1/files/64b7f0c2a1b2c3d4e5f607bb.png' },
    };
    const form = formFrom(declined);
    expect(form.licencePhotoFileId).toBe('64b7f0c2a1b2c3d4e5f607bb');
    expect(buildApplyBody(form)).toMatchObject({ ok: true, body: { licencePhotoFileId: '64b7f0c2a1b2c3d4e5f607bb' } });
    // One filed before the photo was asked for comes back without one, and is asked for it.
    expect(buildApplyBody(formFrom({ ...SHOP, state: 'declined' }))).toMatchObject({
      ok: false,
      errors: { licencePhotoFileId: '请上传营业执照照片' },
    });
  });
});

describe('店铺资料 form', () => {
  it('sends only what changed, in a body the API accepts', () => {
    const form = { ...formFrom(SHOP), hours: '06:00-14:00', photos: [...SHOP.photos, '/api/v1/files/b2'] };
    const checked = buildUpdateBody(form, SHOP);
    expect(checked).toEqual({ ok: true, body: { hours: '06:00-14:00', photos: ['/api/v1/files/a1', '/api/v1/files/b2'] } });
    if (checked.ok) expect(updateMerchantBodySchema.safeParse(checked.body).success).toBe(true);
  });

  it('refuses to save nothing, and a blanked phone, in Chinese', () => {
    expect(buildUpdateBody(formFrom(SHOP), SHOP)).toMatchObject({ ok: false, message: '没有修改任何内容' });
    expect(buildUpdateBody({ ...formFrom(SHOP), phone: '' }, SHOP)).toMatchObject({
      ok: false,
      errors: { phone: '请填写联系电话（手机或座机）' },
      message: '请填写联系电话（手机或座机）',
    });
  });
});
