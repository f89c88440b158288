import { useState } from 'react';
import { isApiError } from '../services/core/api-error';

/** A form checked on the phone (with the API's schema): the body to send, or the first problem in Chinese. */
export type CheckedForm<B> = { ok: true; body: B } | { ok: false; message: string };

/**
 * The submit of a staff or merchant form page: the phone-side check's message shown inline, else the request
 * with a busy flag; the server's refusal shown inline too (its Chinese message), anything else as `failText`.
 * `send` resolves with the created object (undefined when nothing was sent or it failed).
 */
export function useFormSubmit(failText: string) {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async <B, R>(checked: CheckedForm<B>, send: (body: B) => Promise<R>): Promise<R | undefined> => {
    if (!checked.ok) {
      setError(checked.message);
      return undefined;
    }
    setBusy(true);
    setError(null);
    try {
      return await send(checked.body);
    } catch (err) {
      setError(isApiError(err) ? err.message : failText);
      return undefined;
    } finally {
      setBusy(false);
    }
  };
  return { error, busy, submit };
}
