import type { Transport, TransportRequest, TransportResponse } from '../../miniprogram/src/services/core/api-client';
import type { KeyValueStorage } from '../../miniprogram/src/services/core/token-store';

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
