import {
  createApiClient,
  type Transport,
  type TransportRequest,
  type TransportResponse,
} from '../../miniprogram/src/services/core/api-client';
import { createTokenStore, type KeyValueStorage } from '../../miniprogram/src/services/core/token-store';

/** A scripted server for the mini-program's API client: handlers by "METHOD path", every request recorded. */
export function fakeTransport(handler: (req: TransportRequest, n: number) => TransportResponse | Promise<TransportResponse> | 'offline') {
  const calls: TransportRequest[] = [];
  const transport: Transport = async (req) => {
    calls.push(req);
    const res = await handler(req, calls.length);
    if (res === 'offline') throw new Error('request:fail');
    return res;
  };
  return { transport, calls };
}

export function memoryStorage(): KeyValueStorage & { data: Map<string, string> } {
  const data = new Map<string, string>();
  return { data, getItem: (k) => data.get(k), setItem: (k, v) => void data.set(k, v), removeItem: (k) => void data.delete(k) };
}

export const pathOf = (req: TransportRequest) => `${req.method} ${req.url.replace(/^https?:\/\/[^/]+/, '').split('?')[0]}`;

/**
 * A signed-in API client whose server answers from a script, one answer per request (the last one repeats),
 * and the Idempotency-Key each request carried.
 */
export function scriptedApi(answers: ReadonlyArray<TransportResponse | 'offline'>) {
  let n = 0;
  const fake = fakeTransport(() => answers[Math.min(n++, answers.length - 1)]!);
  const tokens = createTokenStore(memoryStorage());
  tokens.set({ accessToken: 'access-1', refreshToken: 'refresh-1'.padEnd(43, 'x') });
  const api = createApiClient({ transport: fake.transport, tokens, baseUrl: 'http://api.test', sleep: async () => {} });
  const sentKeys = () => fake.calls.map((c) => c.headers['Idempotency-Key']);
  return { api, sentKeys };
}
