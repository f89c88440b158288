import type { BatchResult } from '@shared/schemas/paging';
import { isAppError } from '../errors';

/**
 * Runs one decision per id, one after another (each keeps its own rules, audit and role grant), and reports each
 * row: its result, or the refusal (code + Chinese message) a single request would have answered. A refusal does not
 * stop the others; an unexpected error does (it is a fault, not a row's answer) and reaches the error handler.
 */
export async function eachReported<T>(ids: readonly string[], run: (id: string) => Promise<T>): Promise<Array<BatchResult<T>>> {
  const results: Array<BatchResult<T>> = [];
  for (const id of ids) {
    try {
      results.push({ id, ok: true, item: await run(id) });
    } catch (err) {
      if (!isAppError(err)) throw err;
      results.push({ id, ok: false, error: { code: err.code, message: err.message } });
    }
  }
  return results;
}
