/**
 * The coupon grab's retry key (miniprogram/src/subpackages/coupons/grab-keys.ts) through the real API
 * client: a tap whose answer was lost or pending sends the same Idempotency-Key again, a settled grab
 * (coupon or definite refusal) makes the next tap a new grab with a new key.
 */
import { createGrabKeys, grabWithKey, mayBeAdmitted } from '../../miniprogram/src/subpackages/coupons/grab-keys';
import { scriptedApi } from './fake-transport';

const BATCH = '656f0c0e8a1b2c3d4e5f6a7b';
type Answer = { status: number; data: unknown } | 'offline';

function setup(answers: Answer[]) {
  const { api, sentKeys } = scriptedApi(answers);
  let k = 0;
  const keys = createGrabKeys(() => `grab-key-${++k}`);
  /** One tap on the grab button, as useGrab does it. */
  const claim = (batchId: string, key: string) =>
    api.post(`/api/v1/coupon-batches/${batchId}/claim`, undefined, { idempotencyKey: key, silent: true });
  const tap = (batchId = BATCH) =>
    grabWithKey(keys, batchId, claim).then(
      () => 'ok',
      (err: { code: string }) => err.code,
    );
  return { tap, sentKeys };
}

const coupon = { status: 201, data: { coupon: { id: 'c1' }, remaining: 9 } };
const error = (status: number, code: string) => ({ status, data: { error: { code, message: code } } });

describe('coupon grab retry key', () => {
  it('sends the same key on the next tap after the answer was lost, and a new key after the coupon came', async () => {
    // Three attempts offline (the client's own two retries included), then the server answers.
    const { tap, sentKeys } = setup(['offline', 'offline', 'offline', coupon, coupon]);
    expect(await tap()).toBe('NETWORK_ERROR');
    expect(await tap()).toBe('ok');
    expect(await tap()).toBe('ok');
    expect(sentKeys()).toEqual(['grab-key-1', 'grab-key-1', 'grab-key-1', 'grab-key-1', 'grab-key-2']);
  });

  it('keeps the key after a pending or in-progress answer or a 5xx, and drops it after a definite refusal', async () => {
    const { tap, sentKeys } = setup([
      error(503, 'COUPON_CLAIM_PENDING'),
      error(409, 'REQUEST_IN_PROGRESS'),
      error(502, 'BAD_GATEWAY'),
      error(410, 'COUPON_SOLD_OUT'),
      error(422, 'COUPON_LIMIT_REACHED'),
    ]);
    for (const code of ['COUPON_CLAIM_PENDING', 'REQUEST_IN_PROGRESS', 'BAD_GATEWAY', 'COUPON_SOLD_OUT', 'COUPON_LIMIT_REACHED']) {
      expect(await tap()).toBe(code);
    }
    expect(sentKeys()).toEqual(['grab-key-1', 'grab-key-1', 'grab-key-1', 'grab-key-1', 'grab-key-2']);
  });

  it('keeps one key per batch', async () => {
    const { tap, sentKeys } = setup([error(503, 'COUPON_CLAIM_PENDING')]);
    await tap('656f0c0e8a1b2c3d4e5f6a7b');
    await tap('656f0c0e8a1b2c3d4e5f6a7c');
    await tap('656f0c0e8a1b2c3d4e5f6a7b');
    expect(sentKeys()).toEqual(['grab-key-1', 'grab-key-2', 'grab-key-1']);
  });

  it('treats anything that is not a server refusal as possibly admitted', () => {
    expect(mayBeAdmitted(new Error('boom'))).toBe(true);
  });
});
