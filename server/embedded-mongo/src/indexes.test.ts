import { Store } from './storage';
import { keyOf } from './values';

function fill(n: number) {
  const store = new Store();
  const { coll } = store.ensureCollection('db', 'users');
  store.createIndex(coll, { key: { email: 1 }, name: 'email_1', unique: true });
  store.createIndex(coll, { key: { city: 1, age: -1 }, name: 'city_1_age_-1' });
  for (let i = 0; i < n; i++)
    coll.write(keyOf(i), { _id: i, email: `u${i}@x`, city: i % 2 ? 'A' : 'B', age: i % 10, tags: ['t', `t${i}`] });
  return { store, coll };
}

test('an equality filter on an indexed field is answered from the index map, not a scan', () => {
  const { coll } = fill(1000);
  expect(coll.plan({ email: 'u42@x' })).toEqual([keyOf(42)]);
  expect(coll.plan({ _id: { $in: [1, 2] } })).toEqual([keyOf(1), keyOf(2)]);
  expect(coll.plan({ city: 'A', age: 3 })).toHaveLength(100);
  expect(coll.plan({ city: 'A' })).toHaveLength(500); // the leading field of a compound index
  expect(coll.plan({ age: 3 })).toBeUndefined(); // a non-leading field alone can't use it
  expect(coll.plan({ email: { $gt: 'u' } })).toBeUndefined();
});

test('unique indexes reject a second document with the same key with E11000, keyPattern and keyValue', () => {
  const { coll } = fill(3);
  expect(() => coll.checkUnique(keyOf(99), { _id: 99, email: 'u1@x' }, true)).toThrow(
    expect.objectContaining({ code: 11000, extra: { keyPattern: { email: 1 }, keyValue: { email: 'u1@x' } } }),
  );
  expect(() => coll.checkUnique(keyOf(1), { _id: 1, email: 'u1@x' }, false)).not.toThrow();
  expect(() => coll.checkUnique(keyOf(1), { _id: 1 }, true)).toThrow(expect.objectContaining({ code: 11000 }));
});

test('sparse and partial indexes skip documents without the field / outside the filter', () => {
  const store = new Store();
  const { coll } = store.ensureCollection('db', 'c');
  store.createIndex(coll, { key: { nick: 1 }, name: 'nick_1', unique: true, sparse: true });
  store.createIndex(coll, { key: { code: 1 }, name: 'code_1', unique: true, partialFilterExpression: { active: true } });
  coll.write(keyOf(1), { _id: 1, code: 'x', active: false });
  expect(() => coll.checkUnique(keyOf(2), { _id: 2, code: 'x', active: false }, true)).not.toThrow();
  coll.write(keyOf(2), { _id: 2, code: 'x', active: true });
  expect(() => coll.checkUnique(keyOf(3), { _id: 3, code: 'x', active: true }, true)).toThrow(expect.objectContaining({ code: 11000 }));
  expect(() => coll.checkUnique(keyOf(4), { _id: 4 }, true)).not.toThrow();
});

test('removing a document removes its index keys', () => {
  const { coll } = fill(10);
  const idx = coll.indexes.get('email_1')!;
  expect(idx.map.size).toBe(10);
  coll.write(keyOf(3), undefined);
  expect(idx.map.size).toBe(9);
  expect(coll.plan({ email: 'u3@x' })).toEqual([]);
});

test('array fields index each element, plain paths one key; an update moves only the keys that changed', () => {
  const store = new Store();
  const { coll } = store.ensureCollection('db', 'c');
  store.createIndex(coll, { key: { tags: 1, kind: 1 }, name: 'tags_1_kind_1' });
  store.createIndex(coll, { key: { 'a.b': 1 }, name: 'a.b_1', unique: true });
  coll.write(keyOf(1), { _id: 1, tags: ['x', 'y'], kind: 'k', a: [{ b: 1 }, { b: 2 }] });
  coll.write(keyOf(2), { _id: 2, tags: 'x', kind: 'k', a: { b: 3 } });
  expect(coll.plan({ tags: 'y', kind: 'k' })).toEqual([keyOf(1)]);
  expect(coll.plan({ tags: 'x', kind: 'k' })).toEqual([keyOf(1), keyOf(2)]);
  expect(coll.plan({ tags: 'x' })).toEqual([keyOf(1), keyOf(2)]);
  expect(() => coll.checkUnique(keyOf(3), { _id: 3, a: { b: 2 } }, true)).toThrow(expect.objectContaining({ code: 11000 }));
  coll.write(keyOf(1), { _id: 1, tags: ['x', 'y'], kind: 'k', a: [{ b: 5 }], n: 1 });
  expect(() => coll.checkUnique(keyOf(3), { _id: 3, a: { b: 2 } }, true)).not.toThrow();
  expect(coll.plan({ 'a.b': 5 })).toEqual([keyOf(1)]);
  coll.write(keyOf(2), undefined);
  expect(coll.plan({ tags: 'x', kind: 'k' })).toEqual([keyOf(1)]);
  expect(coll.indexes.get('tags_1_kind_1')!.map.size).toBe(2);
});

test('a filter on the leading field and a full key picks the index holding the fewest documents', () => {
  const store = new Store();
  const { coll } = store.ensureCollection('db', 'c');
  store.createIndex(coll, { key: { user: 1, day: 1 }, name: 'user_1_day_1' });
  store.createIndex(coll, { key: { user: 1, open: 1 }, name: 'user_1_open_1' });
  for (let i = 0; i < 500; i++) coll.write(keyOf(i), { _id: i, user: i % 5, day: i % 50, ...(i % 100 === 0 ? { open: true } : {}) });
  // user_1_day_1 offers every document of users 0 and 1 (by the prefix); user_1_open_1 only the open ones.
  expect(coll.plan({ user: { $in: [0, 1] }, open: true })).toEqual([keyOf(0), keyOf(100), keyOf(200), keyOf(300), keyOf(400)]);
});
