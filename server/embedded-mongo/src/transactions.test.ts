import { Store } from './storage';
import { SessionRegistry } from './transactions';
import { keyOf } from './values';
import { CommittedView, TransactionView } from './views';

function setup() {
  const store = new Store();
  const { coll } = store.ensureCollection('db', 'c');
  store.createIndex(coll, { key: { k: 1 }, name: 'k_1', unique: true });
  const committed = new CommittedView(coll, []);
  committed.insert({ _id: 1, k: 'a', v: 1 });
  committed.insert({ _id: 2, k: 'b', v: 1 });
  const sessions = new SessionRegistry(store, 60_000);
  const begin = (n: number) => sessions.transactionFor(sessions.get({ id: `s${n}` }), 1n, true);
  return { store, coll, committed, sessions, begin };
}

test('a transaction reads the snapshot from its start, by _id and through an index', () => {
  const { coll, committed, begin } = setup();
  const t = begin(1);
  const view = new TransactionView(coll, t);
  committed.replace(keyOf(1), { _id: 1, k: 'z', v: 2 });
  committed.insert({ _id: 3, k: 'a', v: 9 });
  expect(view.get(keyOf(1))).toEqual({ _id: 1, k: 'a', v: 1 });
  // The index now says k:'a' is _id 3 only; the snapshot still has _id 1 with k:'a' and no _id 3.
  expect([...view.candidates({ k: 'a' })].map(([, d]) => d)).toContainEqual({ _id: 1, k: 'a', v: 1 });
  expect([...view.candidates({ k: 'a' })].map(([, d]) => d._id)).not.toContain(3);
  expect(view.get(keyOf(3))).toBeUndefined();
});

test('writing a document committed by someone else after the snapshot is a WriteConflict', () => {
  const { coll, committed, begin } = setup();
  const t = begin(1);
  committed.replace(keyOf(1), { _id: 1, k: 'a', v: 2 });
  expect(() => new TransactionView(coll, t).replace(keyOf(1), { _id: 1, k: 'a', v: 3 })).toThrow(
    expect.objectContaining({ code: 112, errorLabels: ['TransientTransactionError'] }),
  );
});

test('two open transactions writing the same document: the second gets WriteConflict', () => {
  const { coll, begin } = setup();
  const t1 = begin(1);
  const t2 = begin(2);
  new TransactionView(coll, t1).replace(keyOf(2), { _id: 2, k: 'b', v: 5 });
  expect(() => new TransactionView(coll, t2).replace(keyOf(2), { _id: 2, k: 'b', v: 6 })).toThrow(expect.objectContaining({ code: 112 }));
});

test('commit applies every staged write at once; abort applies none; history is dropped when no transaction is open', () => {
  const { store, coll, begin } = setup();
  const t1 = begin(1);
  const v1 = new TransactionView(coll, t1);
  v1.replace(keyOf(1), { _id: 1, k: 'a', v: 10 });
  v1.remove(keyOf(2));
  expect(coll.docs.get(keyOf(1))?.v).toBe(1);
  const records = t1.commit();
  expect(records.map((r) => r.t)).toEqual(['put', 'del']);
  expect(coll.docs.get(keyOf(1))?.v).toBe(10);
  expect(coll.docs.has(keyOf(2))).toBe(false);
  const t2 = begin(2);
  new TransactionView(coll, t2).insert({ _id: 7, k: 'q' });
  t2.abort();
  expect(coll.docs.has(keyOf(7))).toBe(false);
  expect(store.openSnapshots).toBe(0);
  expect(coll.history.size).toBe(0);
});

test('a unique key taken inside the transaction view is a duplicate key error', () => {
  const { coll, begin } = setup();
  const v = new TransactionView(coll, begin(1));
  expect(() => v.insert({ _id: 9, k: 'a' })).toThrow(expect.objectContaining({ code: 11000 }));
  v.remove(keyOf(1));
  expect(() => v.insert({ _id: 9, k: 'a' })).not.toThrow();
});

test('a unique key the snapshot still holds is a duplicate key error even after a commit moved it away', () => {
  const { coll, committed, begin } = setup();
  const t = begin(1);
  const v = new TransactionView(coll, t);
  // After the snapshot, _id 1 leaves k:'a' (the index no longer lists it under 'a'; its old key is a ghost).
  committed.replace(keyOf(1), { _id: 1, k: 'y', v: 2 });
  expect(() => v.insert({ _id: 9, k: 'a' })).toThrow(expect.objectContaining({ code: 11000 }));
  // k:'y' is free in the snapshot, so the view takes it; the committed state holds it, so commit refuses.
  v.insert({ _id: 10, k: 'y' });
  expect(() => t.commit()).toThrow(expect.objectContaining({ code: 112 }));
  expect(coll.docs.has(keyOf(10))).toBe(false);
});

test('keys staged by the transaction itself are unique within it, and free again once it rewrites them', () => {
  const { coll, begin, store } = setup();
  const t = begin(1);
  const v = new TransactionView(coll, t);
  v.insert({ _id: 20, k: 'n' });
  expect(() => v.insert({ _id: 21, k: 'n' })).toThrow(expect.objectContaining({ code: 11000 }));
  v.replace(keyOf(20), { _id: 20, k: 'm' });
  expect(() => v.insert({ _id: 21, k: 'n' })).not.toThrow();
  expect(() => v.insert({ _id: 22, k: 'm' })).toThrow(expect.objectContaining({ code: 11000 }));
  t.commit();
  expect(store.openSnapshots).toBe(0);
  for (const idx of coll.indexes.values()) expect(idx.ghosts.size).toBe(0);
});

test('a filter on _id reads only those documents, each as the snapshot holds it', () => {
  const { coll, committed, begin } = setup();
  const v = new TransactionView(coll, begin(1));
  committed.replace(keyOf(1), { _id: 1, k: 'a', v: 7 });
  v.insert({ _id: 30, k: 'w' });
  expect([...v.candidates({ _id: { $in: [1, 30, 99] } })].map(([, d]) => d)).toEqual([
    { _id: 1, k: 'a', v: 1 },
    { _id: 30, k: 'w' },
  ]);
});
