/**
 * Clerk invites over HTTP: the owner's invite carries the code as a QR image that decodes to the join page with
 * the code (what the clerk's scanner reads), only the shop's owner gets one (a clerk, another shop's owner, a
 * resident and an anonymous caller are refused), and the code read from the QR makes the scanner a clerk — once.
 */
import jsQR from 'jsqr';
import { PNG } from 'pngjs';
import { inviteCodeFromScan, inviteResponseSchema, merchantResponseSchema } from '@shared/schemas/merchants';
import { createTestContext, loginAs, type LoggedIn, type TestContext } from '../harness';
import { approvedMerchant } from './coupons-fixtures';

let t: TestContext;
let editor: LoggedIn;

beforeAll(async () => {
  t = await createTestContext({ now: '2026-11-24T02:00:00Z' });
  editor = await loginAs(t, 'editor');
});
afterAll(() => t.close());

/** The text a phone's scanner reads off a PNG data URL. */
function scan(dataUrl: string): string | undefined {
  expect(dataUrl).toMatch(/^data:image\/png;base64,/);
  const png = PNG.sync.read(Buffer.from(dataUrl.replace(/^data:image\/png;base64,/, ''), 'base64'));
  return jsQR(new Uint8ClampedArray(png.data), png.width, png.height)?.data;
}

describe('clerk invite QR code', () => {
  it("gives the owner a QR code of the join page with the code; scanning it makes the scanner the shop's clerk once", async () => {
    const shop = await approvedMerchant(t, editor, { name: '扫码小卖部' });
    const invite = inviteResponseSchema.parse(
      (await shop.owner.agent.post(`/api/v1/merchants/${shop.merchantId}/clerk-invites`).expect(201)).body,
    );
    const read = scan(invite.qrDataUrl);
    expect(read).toBe(`/subpackages/merchants/pages/shop/index?invite=${invite.code}`);
    expect(inviteCodeFromScan(read!)).toBe(invite.code);

    const clerk = await loginAs(t, 'citizen');
    const joined = merchantResponseSchema.parse(
      (
        await clerk.agent
          .post('/api/v1/merchants/clerk-invites/accept')
          .send({ code: inviteCodeFromScan(read!) })
          .expect(200)
      ).body,
    );
    expect(joined.merchant.name).toBe('扫码小卖部');
    // The new role ends the old session (roles are in the token): the clerk signs in again.
    const me = await (await loginAs(t, 'citizen', undefined, { openid: clerk.openid })).agent.get('/api/v1/merchants/mine').expect(200);
    expect(me.body.items.map((m: { id: string }) => m.id)).toEqual([shop.merchantId]);
    // The same code scanned again (by anyone) is refused.
    const again = await (await loginAs(t, 'citizen')).agent.post('/api/v1/merchants/clerk-invites/accept').send({ code: invite.code });
    expect(again.status).toBe(410);
    expect(again.body.error.code).toBe('MERCHANT_INVITE_INVALID');

    // Each invite is a new code with its own picture.
    const next = inviteResponseSchema.parse(
      (await shop.owner.agent.post(`/api/v1/merchants/${shop.merchantId}/clerk-invites`).expect(201)).body,
    );
    expect(next.code).not.toBe(invite.code);
    expect(scan(next.qrDataUrl)).toContain(`invite=${next.code}`);
  });

  it('is given to the shop owner only', async () => {
    const shop = await approvedMerchant(t, editor, { name: '只给店主' });
    const other = await approvedMerchant(t, editor, { name: '隔壁店' });
    const url = `/api/v1/merchants/${shop.merchantId}/clerk-invites`;
    await t.request.post(url).expect(401);
    await (await loginAs(t, 'citizen')).agent.post(url).expect(403);
    await other.owner.agent.post(url).expect(403);
    // A clerk of the shop can't invite more clerks.
    const { body } = await shop.owner.agent.post(url).expect(201);
    const clerk = await loginAs(t, 'citizen');
    await clerk.agent.post('/api/v1/merchants/clerk-invites/accept').send({ code: body.code }).expect(200);
    const again = await loginAs(t, 'citizen', undefined, { openid: clerk.openid });
    const refused = await again.agent.post(url);
    expect(refused.status).toBe(403);
    expect(refused.body).not.toHaveProperty('qrDataUrl');
  });
});

describe('inviteCodeFromScan', () => {
  it('reads the code from the QR text, a full link to it, or the code alone; nothing from anything else', () => {
    expect(inviteCodeFromScan('/subpackages/merchants/pages/shop/index?invite=K7M2Q9XA')).toBe('K7M2Q9XA');
    expect(inviteCodeFromScan('https://rm.example/#/subpackages/merchants/pages/shop/index?invite=k7m2q9xa&x=1')).toBe('K7M2Q9XA');
    expect(inviteCodeFromScan(' k7m2q9xa ')).toBe('K7M2Q9XA');
    expect(inviteCodeFromScan('RMVOL1|6750c0ffee|123.abc')).toBeNull();
    expect(inviteCodeFromScan('/subpackages/merchants/pages/shop/index?invite=SHORT')).toBeNull();
  });
});
