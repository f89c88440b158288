import { isApiError } from '../../services/core/api-error';

/**
 * The line the entry page keeps under the vote button after a refused vote: the server's message (a limit, the
 * round), with the wait in seconds while the vote gate recovers from a Redis loss (503 VOTE_GATE_RECOVERING).
 * Anything that is not an API answer (a failed login, a bug) gets a plain line, never its own text.
 */
export function voteErrorText(err: unknown): string {
  if (!isApiError(err)) return '投票失败，请稍后再试';
  const wait = (err.details as { retryAfterSeconds?: unknown } | undefined)?.retryAfterSeconds;
  if (err.code === 'VOTE_GATE_RECOVERING' && typeof wait === 'number' && wait > 0)
    return `投票通道正在恢复，请 ${Math.ceil(wait)} 秒后再试`;
  return err.message;
}
