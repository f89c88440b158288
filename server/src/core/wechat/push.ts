import { createHash, timingSafeEqual } from 'node:crypto';
import { AppError } from '../errors';
import { mediaCheckEvent } from './responses';
import type { ContentSuggest } from './wechat-client';

/**
 * Checks the signature WeChat puts on message-push requests (and on the URL verification GET):
 * sha1 of [token, timestamp, nonce] sorted and joined.
 */
export function verifyPushSignature(input: { token: string; timestamp: string; nonce: string; signature: string }): boolean {
  const expected = createHash('sha1').update([input.token, input.timestamp, input.nonce].sort().join('')).digest();
  const given = Buffer.from(input.signature, 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

export interface MediaCheckResult {
  traceId: string;
  appid: string;
  suggest: ContentSuggest;
  label: number;
}

/**
 * Reads a pushed event body. Returns null for events other than wxa_media_check (the push URL receives
 * every event type); throws VALIDATION_FAILED for a malformed wxa_media_check event.
 */
export function parseMediaCheckEvent(body: unknown): MediaCheckResult | null {
  if (typeof body !== 'object' || body === null || (body as { Event?: unknown }).Event !== 'wxa_media_check') return null;
  const parsed = mediaCheckEvent.safeParse(body);
  if (!parsed.success) throw new AppError('VALIDATION_FAILED', { message: '内容安全回调格式有误' });
  const { trace_id, appid, result } = parsed.data;
  return { traceId: trace_id, appid, suggest: result.suggest, label: result.label };
}
