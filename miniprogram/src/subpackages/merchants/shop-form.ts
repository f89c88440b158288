import {
  applyMerchantBodySchema,
  updateMerchantBodySchema,
  type ApplyMerchantBody,
  type MerchantCategory,
  type MerchantDetail,
  type UpdateMerchantBody,
} from '@shared/schemas/merchants';
import type { ZodError } from 'zod';

/**
 * 商户入驻 and 店铺资料 forms, kept out of the pages: what the person typed becomes the API's body, checked
 * with the same zod schemas the server uses, and every problem comes back in Chinese next to its field.
 */

export interface ShopForm {
  name: string;
  category: MerchantCategory | '';
  address: string;
  /** Where the shop is, from the map or the phone's position; null until picked. */
  location: { lat: number; lng: number } | null;
  hours: string;
  phone: string;
  licenceNo: string;
  /** The uploaded licence photo's file id (the picker's one photo); '' until one went up. */
  licencePhotoFileId: string;
  intro: string;
  /** URLs of the photos that went up (the shared photo picker); the first is the shop's cover. */
  photos: string[];
}

export type ShopField = keyof ShopForm;
export type FieldErrors = Partial<Record<ShopField, string>>;
export type Checked<B> = { ok: true; body: B } | { ok: false; errors: FieldErrors; message: string };

export function emptyShopForm(): ShopForm {
  return {
    name: '',
    category: '',
    address: '',
    location: null,
    hours: '',
    phone: '',
    licenceNo: '',
    licencePhotoFileId: '',
    intro: '',
    photos: [],
  };
}

/** A declined application, back in the form to correct and send again. */
export function formFrom(m: MerchantDetail): ShopForm {
  return {
    name: m.name,
    category: m.category,
    address: m.address,
    location: { lat: m.location.lat, lng: m.location.lng },
    hours: m.hours,
    phone: m.phone,
    licenceNo: m.licenceNo,
    licencePhotoFileId: m.licencePhoto?.fileId ?? '',
    intro: m.intro,
    photos: [...m.photos],
  };
}

/** Said for a field when the schema's own message is not Chinese (enums, numbers, a missing value). */
const HINTS: Record<ShopField, string> = {
  name: '请填写店名',
  category: '请选择经营类别',
  address: '请填写详细地址',
  location: '请在地图上选择店铺位置，或在店里用“我现在的位置”',
  hours: '请填写营业时间',
  phone: '请填写联系电话（手机或座机）',
  licenceNo: '请填写营业执照上的 18 位统一社会信用代码',
  licencePhotoFileId: '请上传营业执照照片',
  intro: '简介最多 500 个字',
  photos: '照片最多 9 张',
};

/** A per-parse error map: the schema's own (Chinese) message wins; zod's defaults give way to the field's hint. */
const hints = { error: (issue: { path?: PropertyKey[] }) => HINTS[String(issue.path?.[0] ?? '') as ShopField] };

/** One Chinese sentence per field, the first issue of each field winning. */
function fieldErrors(error: ZodError): FieldErrors {
  const out: FieldErrors = {};
  for (const issue of error.issues) {
    const field = String(issue.path[0] ?? '') as ShopField;
    if (field in HINTS && !out[field]) out[field] = issue.message;
  }
  return out;
}

function failed(errors: FieldErrors): { ok: false; errors: FieldErrors; message: string } {
  const n = Object.keys(errors).length;
  return { ok: false, errors, message: n === 1 ? (Object.values(errors)[0] ?? '请检查填写的内容') : `有 ${n} 项需要修改，请看标红的地方` };
}

/** The body of POST /api/v1/merchants/applications, or every problem by field. */
export function buildApplyBody(form: ShopForm): Checked<ApplyMerchantBody> {
  const parsed = applyMerchantBodySchema.safeParse(
    {
      name: form.name,
      category: form.category || undefined,
      address: form.address,
      location: form.location ?? undefined,
      hours: form.hours,
      phone: form.phone,
      licenceNo: form.licenceNo,
      licencePhotoFileId: form.licencePhotoFileId,
      intro: form.intro,
      photos: form.photos,
    },
    hints,
  );
  if (!parsed.success) {
    const errors = fieldErrors(parsed.error);
    // An empty field reads better as "请填写…" than as the format rule it also breaks.
    for (const f of ['phone', 'licenceNo'] as const) if (errors[f] && !form[f].trim()) errors[f] = HINTS[f];
    return failed(errors);
  }
  return { ok: true, body: parsed.data };
}

/** The body of PATCH /api/v1/merchants/:id: only what changed (name, category and licence stay as reviewed). */
export function buildUpdateBody(form: ShopForm, was: MerchantDetail): Checked<UpdateMerchantBody> {
  const patch: Record<string, unknown> = {};
  if (form.address !== was.address) patch.address = form.address;
  if (form.location && (form.location.lat !== was.location.lat || form.location.lng !== was.location.lng)) patch.location = form.location;
  if (form.hours !== was.hours) patch.hours = form.hours;
  if (form.phone !== was.phone) patch.phone = form.phone;
  if (form.intro !== was.intro) patch.intro = form.intro;
  if (form.photos.join('\n') !== was.photos.join('\n')) patch.photos = form.photos;
  if (Object.keys(patch).length === 0) return { ok: false, errors: {}, message: '没有修改任何内容' };
  const parsed = updateMerchantBodySchema.safeParse(patch, hints);
  if (!parsed.success) {
    const errors = fieldErrors(parsed.error);
    if (errors.phone && !form.phone.trim()) errors.phone = HINTS.phone;
    return failed(errors);
  }
  return { ok: true, body: parsed.data };
}
