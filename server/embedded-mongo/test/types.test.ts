/** BSON type fidelity through storage, comparison across numeric types, sort order across types, $inc widening. */
import { Binary, Decimal128, Double, Int32, Long, MaxKey, MinKey, ObjectId, type Document } from 'mongodb';
import { Schema } from 'mongoose';
import { useClients } from './target';

const c = useClients('conf_types');

const raw = { promoteValues: false } as const;

test('Int32, Int64, Double, Decimal128, Date, ObjectId and Binary come back with their types', async () => {
  const coll = c.coll('fidelity');
  const oid = new ObjectId();
  const date = new Date('2026-03-04T05:06:07.089Z');
  await coll.insertOne({
    _id: 1,
    i32: new Int32(5),
    i64: Long.fromString('9007199254740993'),
    dbl: new Double(5),
    dec: Decimal128.fromString('0.10'),
    date,
    oid,
    bin: new Binary(Buffer.from([1, 2, 3]), 0),
    nested: [{ x: new Double(1) }, Long.fromNumber(2)],
  });
  const doc = (await coll.findOne({ _id: 1 }, raw)) as Document;
  expect(doc.i32).toBeInstanceOf(Int32);
  expect(doc.i64).toBeInstanceOf(Long);
  expect((doc.i64 as Long).toString()).toBe('9007199254740993');
  expect(doc.dbl).toBeInstanceOf(Double);
  expect(doc.dec).toBeInstanceOf(Decimal128);
  expect((doc.dec as Decimal128).toString()).toBe('0.10');
  expect(doc.date).toEqual(date);
  expect((doc.oid as ObjectId).equals(oid)).toBe(true);
  expect(doc.bin).toBeInstanceOf(Binary);
  expect(Buffer.from((doc.bin as Binary).buffer)).toEqual(Buffer.from([1, 2, 3]));
  expect(doc.nested[0].x).toBeInstanceOf(Double);
  expect(doc.nested[1]).toBeInstanceOf(Long);
  // A plain read promotes as usual: 2^53 + 1 stays a Long, small numbers become JS numbers.
  const promoted = await coll.findOne({ _id: 1 });
  expect(promoted?.i32).toBe(5);
  expect(promoted?.dbl).toBe(5);
});

test('types survive an update that touches other fields', async () => {
  const coll = c.coll('fidelity2');
  await coll.insertOne({ _id: 1, dbl: new Double(3), i64: Long.fromNumber(4), n: 0 });
  await coll.updateOne({ _id: 1 }, { $set: { n: 1 } });
  const doc = (await coll.findOne({ _id: 1 }, raw)) as Document;
  expect(doc.dbl).toBeInstanceOf(Double);
  expect(doc.i64).toBeInstanceOf(Long);
});

test('numbers of different types compare by value: 5 equals Int32, Int64, Double and Decimal128 5', async () => {
  const coll = c.coll('numeq');
  await coll.insertMany([
    { _id: 'i', v: new Int32(5) },
    { _id: 'l', v: Long.fromNumber(5) },
    { _id: 'd', v: new Double(5) },
    { _id: 'm', v: Decimal128.fromString('5.0') },
    { _id: 's', v: '5' },
  ]);
  expect((await coll.find({ v: 5 }).toArray()).map((d) => d._id).sort()).toEqual(['d', 'i', 'l', 'm']);
  expect((await coll.find({ v: Decimal128.fromString('5') }).toArray()).map((d) => d._id).sort()).toEqual(['d', 'i', 'l', 'm']);
  expect(await coll.find({ v: { $gte: 4.5, $lt: 5.5 } }).toArray()).toHaveLength(4);
});

test('Int64 beyond 2^53 and Decimal128 compare exactly', async () => {
  const coll = c.coll('bignum');
  await coll.insertMany([
    { _id: 'a', v: Long.fromString('9007199254740992') },
    { _id: 'b', v: Long.fromString('9007199254740993') },
    { _id: 'c', v: Decimal128.fromString('0.1') },
    { _id: 'd', v: Decimal128.fromString('0.3') },
  ]);
  expect((await coll.find({ v: { $gt: Long.fromString('9007199254740992') } }).toArray()).map((d) => d._id)).toEqual(['b']);
  expect((await coll.find({ v: Long.fromString('9007199254740993') }).toArray()).map((d) => d._id)).toEqual(['b']);
  const sorted = await coll.find({}, { sort: { v: -1 } }).toArray();
  expect(sorted.map((d) => d._id)).toEqual(['b', 'a', 'd', 'c']);
  expect((await coll.find({ v: { $lt: Decimal128.fromString('0.2') } }).toArray()).map((d) => d._id)).toEqual(['c']);
});

test('sort follows MongoDB cross-type order: MinKey, null, numbers, strings, objects, binary, ObjectId, booleans, dates, MaxKey', async () => {
  const coll = c.coll('order');
  const docs = [
    { _id: 'maxkey', v: new MaxKey() },
    { _id: 'date', v: new Date(0) },
    { _id: 'true', v: true },
    { _id: 'false', v: false },
    { _id: 'oid', v: new ObjectId('000000000000000000000001') },
    { _id: 'bin', v: new Binary(Buffer.from([0])) },
    { _id: 'obj', v: { x: 1 } },
    { _id: 'str_a', v: 'a' },
    { _id: 'str_B', v: 'B' },
    { _id: 'int10', v: new Int32(10) },
    { _id: 'dec3.5', v: Decimal128.fromString('3.5') },
    { _id: 'long3', v: Long.fromNumber(3) },
    { _id: 'dbl2.5', v: new Double(2.5) },
    { _id: 'null', v: null },
    { _id: 'minkey', v: new MinKey() },
  ];
  await coll.insertMany(docs);
  const asc = (await coll.find({}, { sort: { v: 1 } }).toArray()).map((d) => d._id);
  expect(asc).toEqual([
    'minkey',
    'null',
    'dbl2.5',
    'long3',
    'dec3.5',
    'int10',
    'str_B',
    'str_a',
    'obj',
    'bin',
    'oid',
    'false',
    'true',
    'date',
    'maxkey',
  ]);
  const desc = (await coll.find({}, { sort: { v: -1 } }).toArray()).map((d) => d._id);
  expect(desc).toEqual([...asc].reverse());
});

test('range queries stay within the type bracket: $gt 3 matches only numbers', async () => {
  const coll = c.coll('order');
  const ids = (await coll.find({ v: { $gt: 3 } }).toArray()).map((d) => d._id).sort();
  expect(ids).toEqual(['dec3.5', 'int10']);
  const strs = (await coll.find({ v: { $gte: 'A' } }).toArray()).map((d) => d._id).sort();
  expect(strs).toEqual(['str_B', 'str_a']);
});

test('$type tells int, long, double, decimal, objectId and date apart', async () => {
  const coll = c.coll('order');
  const ofType = async (t: string) => (await coll.find({ v: { $type: t } }).toArray()).map((d) => d._id).sort();
  expect(await ofType('int')).toEqual(['int10']);
  expect(await ofType('long')).toEqual(['long3']);
  expect(await ofType('double')).toEqual(['dbl2.5']);
  expect(await ofType('decimal')).toEqual(['dec3.5']);
  expect(await ofType('number')).toEqual(['dbl2.5', 'dec3.5', 'int10', 'long3']);
  expect(await ofType('objectId')).toEqual(['oid']);
  expect(await ofType('date')).toEqual(['date']);
});

test('$inc past Int32 max becomes Int64; mixed operands widen like MongoDB', async () => {
  const coll = c.coll('inc');
  await coll.insertOne({
    _id: 1,
    i: new Int32(2147483647),
    small: new Int32(1),
    toDouble: new Int32(1),
    l: Long.fromNumber(1),
    neg: new Int32(-2147483648),
    dec: Decimal128.fromString('1.5'),
  });
  await coll.updateOne(
    { _id: 1 },
    {
      $inc: {
        i: new Int32(1),
        small: new Int32(1),
        toDouble: new Double(0.5),
        l: new Int32(1),
        neg: new Int32(-1),
        dec: new Int32(1),
        fresh: new Int32(3),
      },
    },
  );
  const doc = (await coll.findOne({ _id: 1 }, raw)) as Document;
  expect(doc.i).toBeInstanceOf(Long);
  expect((doc.i as Long).toString()).toBe('2147483648');
  expect(doc.small).toBeInstanceOf(Int32);
  expect((doc.small as Int32).value).toBe(2);
  expect(doc.toDouble).toBeInstanceOf(Double);
  expect((doc.toDouble as Double).value).toBe(1.5);
  expect(doc.l).toBeInstanceOf(Long);
  expect(doc.neg).toBeInstanceOf(Long);
  expect((doc.neg as Long).toString()).toBe('-2147483649');
  expect(doc.dec).toBeInstanceOf(Decimal128);
  expect((doc.dec as Decimal128).toString()).toBe('2.5');
  expect(doc.fresh).toBeInstanceOf(Int32);
});

test('mongoose schema types round-trip: Number, Int32, Double, BigInt, Decimal128, Buffer, Date, ObjectId', async () => {
  const schema = new Schema({
    num: Number,
    i32: Schema.Types.Int32,
    dbl: Schema.Types.Double,
    big: BigInt,
    dec: Schema.Types.Decimal128,
    buf: Buffer,
    at: Date,
    ref: Schema.Types.ObjectId,
  });
  const M = c.conn.model('Typed', schema);
  const ref = new ObjectId();
  const at = new Date('2026-05-06T07:08:09.010Z');
  const created = await M.create({
    num: 1.25,
    i32: 7,
    dbl: 4,
    big: 2n ** 60n,
    dec: Decimal128.fromString('12.345'),
    buf: Buffer.from('bytes'),
    at,
    ref,
  });
  const back = await M.findById(created._id);
  expect(back?.num).toBe(1.25);
  expect(back?.i32).toBe(7);
  // mongoose hydrates Double paths as a BSON Double whatever the server sends (the stored type is checked below).
  expect(Number(back?.dbl)).toBe(4);
  expect(back?.big).toBe(2n ** 60n);
  expect(back?.dec?.toString()).toBe('12.345');
  expect(back?.buf?.toString()).toBe('bytes');
  expect(back?.at).toEqual(at);
  expect(back?.ref?.equals(ref)).toBe(true);
  const stored = (await c.coll('typeds').findOne({ _id: created._id }, raw)) as Document;
  expect(stored.i32).toBeInstanceOf(Int32);
  expect(stored.dbl).toBeInstanceOf(Double);
  expect(stored.big).toBeInstanceOf(Long);
  expect((stored.big as Long).toString()).toBe((2n ** 60n).toString());
  expect(stored.dec).toBeInstanceOf(Decimal128);
});
