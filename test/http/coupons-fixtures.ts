/** Shared set-up for the merchants and coupons suites: approved merchants, batches, many signed-in claimers. */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Types } from 'mongoose';
import { loginAs, type LoggedIn, type TestContext } from '../harness';

let counter = 0;

export const shopBody = (over: Record<string, unknown> = {}) => ({
  name: `旴江小馆${++counter}`,
  category: '餐饮',
  address: '广昌县旴江镇建设路 8 号',
  location: { lng: 116.325, lat: 26.838 },
  hours: '每天 09:00-21:00',
  phone: '13800138000',
  licenceNo: '91361030MA35ABCD1X',
  photos: ['/api/v1/files/shopfront.jpg'],
  intro: '地道旴江风味',
  ...over,
});

const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');

/** A 1×1 PNG uploaded by `who` (POST /api/v1/files, `query` e.g. `?purpose=licence`): the upload response's file. */
export async function uploadPng(who: LoggedIn, query = ''): Promise<{ id: string; url: string }> {
  const res = await who.agent.post(`/api/v1/files${query}`).attach('file', PNG, { filename: 'photo.png', contentType: 'image/png' });
  if (res.status !== 201) throw new Error(`upload failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.file as { id: string; url: string };
}

/** A licence photo uploaded by `who` as the app does (purpose=licence: private from the start): its file id. */
export async function licencePhotoOf(who: LoggedIn): Promise<string> {
  return (await uploadPng(who, '?purpose=licence')).id;
}

/** POST /api/v1/merchants/applications as `who`, with a licence photo of their own (the response, unchecked). */
export async function applyAs(who: LoggedIn, over: Record<string, unknown> = {}) {
  return who.agent.post('/api/v1/merchants/applications').send(shopBody({ licencePhotoFileId: await licencePhotoOf(who), ...over }));
}

/** A merchant applied for by a fresh citizen and approved by `editor`; `owner` is signed in again with the new role. */
export async function approvedMerchant(
  t: TestContext,
  editor: LoggedIn,
  over: Record<string, unknown> = {},
): Promise<{ merchantId: string; owner: LoggedIn }> {
  const applicant = await loginAs(t, 'citizen');
  const applied = await applyAs(applicant, over);
  if (applied.status !== 201) throw new Error(`apply failed: ${applied.status} ${JSON.stringify(applied.body)}`);
  const merchantId = applied.body.merchant.id as string;
  const decided = await editor.agent.post(`/api/v1/merchants/${merchantId}/decision`).send({ decision: 'approve' });
  if (decided.status !== 200) throw new Error(`approve failed: ${decided.status} ${JSON.stringify(decided.body)}`);
  const owner = await loginAs(t, 'citizen', undefined, { openid: applicant.openid });
  return { merchantId, owner };
}

export const batchBody = (merchantId: string, now: Date, over: Record<string, unknown> = {}) => ({
  title: '满 100 减 20',
  kind: 'spend_x_save_y',
  value: 2000,
  threshold: 10000,
  totalStock: 100,
  perUserLimit: 1,
  claimStartsAt: new Date(now.getTime() - 60_000).toISOString(),
  claimEndsAt: new Date(now.getTime() + 3 * 86_400_000).toISOString(),
  validity: { type: 'relative', days: 7 },
  issuer: { type: 'merchant', merchantId },
  ...over,
});

/** Access tokens for `n` distinct users, signed by the app's real token service (no per-user login round trip). */
export function manyUserTokens(t: TestContext, n: number): Array<{ userId: string; token: string }> {
  const tokens = t.services.accessTokens;
  return Array.from({ length: n }, () => {
    const userId = new Types.ObjectId().toHexString();
    return { userId, token: tokens.issue({ id: userId, roles: [{ role: 'citizen' }], rolesVersion: 0 }).accessToken };
  });
}

/** The app on a real port, for thousands of concurrent requests over HTTP (supertest starts a server per request). */
export async function listen(t: TestContext): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = createServer(t.app.callback());
  await new Promise<void>((resolve) => server.listen({ port: 0, host: '127.0.0.1', backlog: 4096 }, resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export async function claimOver(
  url: string,
  batchId: string,
  token: string,
  idempotencyKey?: string,
): Promise<{ status: number; body: { coupon?: { id: string }; error?: { code: string; message: string } } }> {
  const res = await fetch(`${url}/api/v1/coupon-batches/${batchId}/claim`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, ...(idempotencyKey ? { 'idempotency-key': idempotencyKey } : {}) },
  });
  return { status: res.status, body: (await res.json()) as { coupon?: { id: string }; error?: { code: string; message: string } } };
}
