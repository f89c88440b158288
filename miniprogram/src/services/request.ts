import Taro from '@tarojs/taro';
import { createApiClient, randomIdempotencyKey, type Transport } from './core/api-client';
import { createAuthFlow } from './core/auth-flow';
import { createTokenStore } from './core/token-store';

/**
 * The app's one API client and auth flow, bound to Taro. Feature services (`<module>.api.ts`) import
 * `api` from here; pages never call Taro.request themselves.
 */

const isH5 = process.env.TARO_ENV === 'h5';
/** The H5 build is served by our own server (same origin); the WeChat build needs the API's address. */
export const API_BASE = isH5 ? '' : process.env.TARO_APP_API_BASE;

const transport: Transport = async (req) => {
  const res = await Taro.request({
    url: req.url,
    method: req.method,
    header: req.headers,
    data: req.data as TaroGeneral.IAnyObject | undefined,
    dataType: 'json',
    timeout: 15000,
  });
  return { status: res.statusCode, data: res.data };
};

export const tokens = createTokenStore({
  getItem: (k) => Taro.getStorageSync(k) as string | undefined,
  setItem: (k, v) => Taro.setStorageSync(k, v),
  removeItem: (k) => Taro.removeStorageSync(k),
});

const DEV_OPENID_KEY = 'rongmei.dev-openid';
const DEVICE_ID_KEY = 'rongmei.device-id';
let device: string | undefined;

/** A random id made once per install and kept in storage: sign-in limits count per device first. */
function deviceId(): string {
  device ??= (Taro.getStorageSync(DEVICE_ID_KEY) as string | undefined) || undefined;
  if (!device) {
    device = randomIdempotencyKey();
    Taro.setStorageSync(DEVICE_ID_KEY, device);
  }
  return device;
}

/** H5 in dev: the server exposes the WeChat fake's URL; mint a login code there for the same openid each time. */
async function devLoginCode(): Promise<string | null> {
  try {
    const cfg = await Taro.request({ url: '/__h5-config.json', method: 'GET', dataType: 'json' });
    const fakeUrl = (cfg.data as { wechatFakeUrl?: string | null } | undefined)?.wechatFakeUrl;
    if (cfg.statusCode !== 200 || !fakeUrl) return null;
    const openid = Taro.getStorageSync(DEV_OPENID_KEY) as string | undefined;
    const minted = await Taro.request({
      url: `${fakeUrl}/__fake/login-code`,
      method: 'POST',
      header: { 'Content-Type': 'application/json' },
      data: openid ? { openid } : {},
      dataType: 'json',
    });
    const body = minted.data as { code?: string; openid?: string };
    if (minted.statusCode !== 200 || !body.code) return null;
    if (body.openid) Taro.setStorageSync(DEV_OPENID_KEY, body.openid);
    return body.code;
  } catch {
    return null;
  }
}

/**
 * H5 in dev: the WeChat fake's URL and the openid this browser signs in as (what the stand-in for
 * wx.requestSubscribeMessage records acceptances for); null outside dev H5 or before the first sign-in.
 */
export async function devWechatFake(): Promise<{ url: string; openid: string } | null> {
  if (!isH5) return null;
  try {
    const cfg = await Taro.request({ url: '/__h5-config.json', method: 'GET', dataType: 'json' });
    const url = (cfg.data as { wechatFakeUrl?: string | null } | undefined)?.wechatFakeUrl;
    const openid = Taro.getStorageSync(DEV_OPENID_KEY) as string | undefined;
    return cfg.statusCode === 200 && url && openid ? { url, openid } : null;
  } catch {
    return null;
  }
}

async function loginCode(): Promise<string | null> {
  if (isH5) return devLoginCode();
  const { code } = await Taro.login();
  return code || null;
}

export const api = createApiClient({
  transport,
  tokens,
  baseUrl: API_BASE,
  toast: (message) => void Taro.showToast({ title: message, icon: 'none', duration: 2500 }),
  relogin: () => auth.relogin(),
  deviceId,
});

export const auth = createAuthFlow({ api, tokens, getLoginCode: loginCode });
