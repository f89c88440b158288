/** MongoDB's duplicate-key error code (E11000): a unique index refused the write. */
export const DUPLICATE_KEY_CODE = 11000;

interface DriverError {
  code?: unknown;
  keyPattern?: unknown;
  writeErrors?: unknown;
}

/**
 * Whether `err` is a duplicate-key error; with `key`, only one raised by a unique index whose key pattern
 * holds that field (the error's `keyPattern`, e.g. `{ phone: 1 }`): a collection with several unique
 * indexes answers "taken" for the right one. A bulk write's error carries its first write error's code.
 */
export function isDuplicateKey(err: unknown, key?: string): boolean {
  if (typeof err !== 'object' || err === null) return false;
  const e = err as DriverError;
  if (e.code !== DUPLICATE_KEY_CODE) return false;
  if (key === undefined) return true;
  return typeof e.keyPattern === 'object' && e.keyPattern !== null && Object.hasOwn(e.keyPattern, key);
}

/**
 * How many documents an unordered bulk insert skipped when every one of its write errors is a duplicate key
 * (a re-run writing what is already there); null when there is no write error list or another error is in
 * it: an empty list means the batch failed otherwise (a network error), so nothing can be assumed skipped.
 */
export function duplicateKeysOnly(err: unknown): number | null {
  const list = typeof err === 'object' && err !== null ? (err as DriverError).writeErrors : undefined;
  if (!Array.isArray(list) || list.length === 0) return null;
  return list.every((w: { code?: unknown } | null) => w?.code === DUPLICATE_KEY_CODE) ? list.length : null;
}

/**
 * An idempotent create: runs `create`; when a unique index refuses it (a retry, or a race with another
 * request), answers `existing()`, the document already holding that key. The insert's own error is
 * rethrown when it is another error, or when no such document is found.
 */
export async function createOrExisting<T>(create: () => Promise<T>, existing: () => Promise<T | null>): Promise<T> {
  try {
    return await create();
  } catch (err) {
    if (!isDuplicateKey(err)) throw err;
    const found = await existing();
    if (found === null) throw err;
    return found;
  }
}
