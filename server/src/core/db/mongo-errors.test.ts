/** The Mongo error helpers: duplicate keys on any or one named index, and bulk inserts refused only for duplicates. */
import { Types } from 'mongoose';
import { createOrExisting, duplicateKeysOnly, isDuplicateKey } from './mongo-errors';
import { oid } from './object-id';

describe('isDuplicateKey', () => {
  const phoneTaken = { code: 11000, keyPattern: { phone: 1 }, keyValue: { phone: '13800138000' } };

  it('recognises E11000 and nothing else', () => {
    expect(isDuplicateKey(phoneTaken)).toBe(true);
    expect(isDuplicateKey({ code: 112 })).toBe(false);
    expect(isDuplicateKey(new Error('boom'))).toBe(false);
    expect(isDuplicateKey(null)).toBe(false);
    expect(isDuplicateKey(undefined)).toBe(false);
  });

  it('with a key, answers only for the index holding that field', () => {
    expect(isDuplicateKey(phoneTaken, 'phone')).toBe(true);
    expect(isDuplicateKey(phoneTaken, 'username')).toBe(false);
    expect(isDuplicateKey({ code: 11000 }, 'phone')).toBe(false);
    expect(isDuplicateKey({ code: 11000, keyPattern: { batchId: 1, userId: 1, seq: 1 } }, 'userId')).toBe(true);
  });

  it('sees a bulk write error by the code the driver copies from its first write error', () => {
    expect(isDuplicateKey({ code: 11000, writeErrors: [{ code: 11000 }, { code: 121 }] })).toBe(true);
  });
});

describe('duplicateKeysOnly', () => {
  it('counts the skipped documents when every write error is a duplicate key', () => {
    expect(duplicateKeysOnly({ code: 11000, writeErrors: [{ code: 11000 }, { code: 11000 }] })).toBe(2);
  });

  it('is null when another error is in the list, or there is no list (a network error proves nothing)', () => {
    expect(duplicateKeysOnly({ code: 11000, writeErrors: [{ code: 11000 }, { code: 121 }] })).toBeNull();
    expect(duplicateKeysOnly({ writeErrors: [] })).toBeNull();
    expect(duplicateKeysOnly(new Error('connection reset'))).toBeNull();
    expect(duplicateKeysOnly(null)).toBeNull();
  });
});

describe('oid', () => {
  it('turns a hex id into the ObjectId MongoDB stores, and refuses a malformed one', () => {
    const id = new Types.ObjectId();
    expect(oid(id.toHexString()).equals(id)).toBe(true);
    expect(() => oid('not-an-id')).toThrow();
  });
});

describe('createOrExisting', () => {
  const duplicate = Object.assign(new Error('E11000'), { code: 11000 });
  const refused = () => Promise.reject(duplicate);

  it('answers what the create made, without looking for an existing one', async () => {
    const existing = jest.fn(() => Promise.resolve('old'));
    await expect(createOrExisting(() => Promise.resolve('new'), existing)).resolves.toBe('new');
    expect(existing).not.toHaveBeenCalled();
  });

  it('answers the document holding the key when a unique index refuses the create', async () => {
    await expect(createOrExisting(refused, () => Promise.resolve('old'))).resolves.toBe('old');
  });

  it('rethrows the create’s error when it is not a duplicate key, or nothing holds the key', async () => {
    const other = new Error('network');
    await expect(
      createOrExisting(
        () => Promise.reject(other),
        () => Promise.resolve('old'),
      ),
    ).rejects.toBe(other);
    await expect(createOrExisting(refused, () => Promise.resolve(null))).rejects.toBe(duplicate);
  });
});
