/**
 * The counter scan's retry key (miniprogram/src/services/core/retry-keys.ts, used by 商户工作台 coupon
 * redemption and the mall's 核销 page) through the real API client: every scan sends an Idempotency-Key;
 * scanning the same code again after a lost answer (or a 5xx / REQUEST_IN_PROGRESS) resends it, so the server
 * answers the first success again; a settled scan (success or a definite refusal) makes the next one new.
 */
import { createRetryKeys, sendWithKey } from '../../miniprogram/src/services/core/retry-keys';
import { scriptedApi } from './fake-transport';

type Answer = { status: number; data: unknown } | 'offline';

function setup(answers: Answer[]) {
  const { api, sentKeys } = scriptedApi(answers);
  let k = 0;
  const keys = createRetryKeys(() => `scan-key-${++k}`);
  /** One 确认核销 of a scanned code, as the verify page sends it. */
  const scan = (code: string) =>
    sendWithKey(keys, code, (c, key) => api.post('/api/v1/mall/verifications', { code: c }, { idempotencyKey: key, silent: true })).then(
      () => 'ok',
      (err: { code: string }) => err.code,
    );
  return { scan, sentKeys };
}

const fulfilled = { status: 200, data: { redemption: { id: 'r1', status: 'fulfilled' } } };
const error = (status: number, code: string) => ({ status, data: { error: { code, message: code } } });

describe('counter scan retry key', () => {
  it('resends the same key for the same code after a lost answer, and a new key once the scan settled', async () => {
    // Three attempts offline (the client's own two retries included), then the server answers.
    const { scan, sentKeys } = setup(['offline', 'offline', 'offline', fulfilled, fulfilled]);
    expect(await scan('ABCDEFGH2345')).toBe('NETWORK_ERROR');
    expect(await scan('ABCDEFGH2345')).toBe('ok');
    expect(await scan('ABCDEFGH2345')).toBe('ok');
    expect(sentKeys()).toEqual(['scan-key-1', 'scan-key-1', 'scan-key-1', 'scan-key-1', 'scan-key-2']);
  });

  it('keeps the key after a 5xx or REQUEST_IN_PROGRESS, drops it after a definite refusal, one key per code', async () => {
    const { scan, sentKeys } = setup([
      error(502, 'BAD_GATEWAY'),
      error(409, 'REQUEST_IN_PROGRESS'),
      error(409, 'REDEMPTION_ALREADY_FULFILLED'),
      error(409, 'REDEMPTION_ALREADY_FULFILLED'),
      error(404, 'REDEMPTION_CODE_INVALID'),
    ]);
    expect(await scan('ABCDEFGH2345')).toBe('BAD_GATEWAY');
    expect(await scan('ABCDEFGH2345')).toBe('REQUEST_IN_PROGRESS');
    expect(await scan('ABCDEFGH2345')).toBe('REDEMPTION_ALREADY_FULFILLED');
    expect(await scan('ABCDEFGH2345')).toBe('REDEMPTION_ALREADY_FULFILLED');
    expect(await scan('ZZZZZZZZ9999')).toBe('REDEMPTION_CODE_INVALID');
    expect(sentKeys()).toEqual(['scan-key-1', 'scan-key-1', 'scan-key-1', 'scan-key-2', 'scan-key-3']);
  });
});
