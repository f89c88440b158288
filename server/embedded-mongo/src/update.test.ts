import { Int32, Long } from 'bson';
import { compileFilter } from './query';
import { applyUpdate, upsertSeed } from './update';

test('$set/$inc/$push/$pull/$addToSet apply to a copy; the original stays untouched', () => {
  const doc = { _id: 1, n: new Int32(1), tags: ['a'], items: [{ k: 1 }, { k: 2 }] };
  const { doc: out, modified } = applyUpdate(
    doc,
    {
      $inc: { n: new Int32(2147483647) },
      $push: { tags: { $each: ['b', 'c'], $slice: -2 } },
      $pull: { items: { k: 1 } },
      $addToSet: { more: 'x' },
    },
    { isInsert: false },
  );
  expect(modified).toBe(true);
  expect(out.n).toBeInstanceOf(Long);
  expect(out.tags).toEqual(['b', 'c']);
  expect(out.items).toEqual([{ k: 2 }]);
  expect(out.more).toEqual(['x']);
  expect(doc.tags).toEqual(['a']);
});

test('positional $ and arrayFilters target the matching elements only', () => {
  const doc = {
    _id: 1,
    grades: [
      { g: 80, n: 0 },
      { g: 95, n: 0 },
      { g: 99, n: 0 },
    ],
  };
  const pos = applyUpdate(doc, { $set: { 'grades.$.n': 1 } }, { isInsert: false, query: compileFilter({ 'grades.g': 95 }) }).doc;
  expect((pos.grades as { n: number }[]).map((x) => x.n)).toEqual([0, 1, 0]);
  const af = applyUpdate(doc, { $set: { 'grades.$[hi].n': 2 } }, { isInsert: false, arrayFilters: [{ 'hi.g': { $gte: 95 } }] }).doc;
  expect((af.grades as { n: number }[]).map((x) => x.n)).toEqual([0, 2, 2]);
});

test('conflicting paths and _id changes are refused with MongoDB codes', () => {
  expect(() => applyUpdate({ _id: 1 }, { $set: { a: 1 }, $inc: { a: 1 } }, { isInsert: false })).toThrow(
    expect.objectContaining({ code: 40 }),
  );
  expect(() => applyUpdate({ _id: 1 }, { $set: { _id: 2 } }, { isInsert: false })).toThrow(expect.objectContaining({ code: 66 }));
  expect(() => applyUpdate({ _id: 1, s: 'x' }, { $inc: { s: 1 } }, { isInsert: false })).toThrow(expect.objectContaining({ code: 14 }));
});

test('an upsert starts from the filter equality fields, and $setOnInsert applies only on insert', () => {
  const seed = upsertSeed({ email: 'a@x', 'profile.city': 'X', age: { $gt: 3 } });
  expect(seed).toEqual({ email: 'a@x', profile: { city: 'X' } });
  expect(applyUpdate(seed, { $setOnInsert: { c: 1 } }, { isInsert: true }).doc.c).toBe(1);
  expect(applyUpdate(seed, { $setOnInsert: { c: 1 } }, { isInsert: false }).doc.c).toBeUndefined();
});

test('pipeline-style updates keep untouched and constant values typed, and refuse what they would approximate', () => {
  const doc = { _id: 1, i: new Int32(2), l: Long.fromString('9007199254740993'), s: 'x' };
  const pipeline = [{ $set: { sum: { $add: ['$i', 3] }, c: Long.fromNumber(5) } }, { $unset: ['s'] }];
  const { doc: out, modified } = applyUpdate(doc, pipeline as never, { isInsert: false });
  expect(modified).toBe(true);
  expect(Object.keys(out)).toEqual(['_id', 'i', 'l', 'sum', 'c']);
  expect(out.l).toEqual(Long.fromString('9007199254740993'));
  expect(out.sum).toEqual(new Int32(5));
  expect(out.c).toBeInstanceOf(Long);
  expect(applyUpdate(doc, [{ $set: { s: 'x' } }] as never, { isInsert: false }).modified).toBe(false);
  expect(() => applyUpdate(doc, [{ $replaceWith: { a: 1 } }] as never, { isInsert: false })).toThrow(
    /\$replaceWith in a pipeline-style update is not supported/,
  );
  expect(() => applyUpdate(doc, [{ $match: { a: 1 } }] as never, { isInsert: false })).toThrow(expect.objectContaining({ code: 72 }));
  expect(() => applyUpdate(doc, [{ $set: { m: { $add: ['$l', 1] } } }] as never, { isInsert: false })).toThrow(
    /Int64-beyond-2\^53 value at 'l'/,
  );
});
