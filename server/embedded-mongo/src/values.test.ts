import { Binary, Decimal128, Double, Int32, Long, MaxKey, MinKey, ObjectId } from 'bson';
import { arith, compareValues, keyOf, valuesEqual } from './values';

test('numbers of every BSON type compare by value, exactly beyond 2^53 and for Decimal128', () => {
  expect(compareValues(new Int32(5), new Double(5))).toBe(0);
  expect(compareValues(Long.fromNumber(5), Decimal128.fromString('5.00'))).toBe(0);
  expect(compareValues(Long.fromString('9007199254740993'), Long.fromString('9007199254740992'))).toBe(1);
  expect(compareValues(Long.fromString('9007199254740993'), new Double(9007199254740992))).toBe(1);
  expect(compareValues(Decimal128.fromString('0.1'), new Double(0.1))).toBe(-1); // double 0.1 is slightly above 1/10
  expect(compareValues(Decimal128.fromString('-Infinity'), new Int32(-5))).toBe(-1);
});

test('values of different types follow MongoDB order: MinKey < null < numbers < strings < objects < arrays < binary < ObjectId < bool < date < MaxKey', () => {
  const ordered = [
    new MinKey(),
    null,
    new Int32(1),
    'a',
    { a: 1 },
    [1],
    new Binary(Buffer.from([1])),
    new ObjectId(),
    false,
    new Date(0),
    new MaxKey(),
  ];
  for (let i = 1; i < ordered.length; i++) expect(compareValues(ordered[i - 1], ordered[i])).toBe(-1);
});

test('equal values of different numeric types share a hash key; different values do not', () => {
  expect(keyOf(new Int32(5))).toBe(keyOf(Decimal128.fromString('5.0')));
  expect(keyOf(Long.fromNumber(5))).toBe(keyOf(new Double(5)));
  expect(keyOf(Long.fromString('9007199254740993'))).not.toBe(keyOf(Long.fromString('9007199254740992')));
  expect(keyOf({ a: 'b', c: 1 })).not.toBe(keyOf({ a: 'b1', c: 1 }));
  expect(valuesEqual('5', new Int32(5))).toBe(false);
});

test('$inc arithmetic widens like MongoDB: int32 overflow → long, int + double → double, decimal stays exact', () => {
  const big = arith('add', new Int32(2147483647), new Int32(1));
  expect(big).toBeInstanceOf(Long);
  expect(String(big)).toBe('2147483648');
  expect(arith('add', new Int32(1), new Int32(1))).toEqual(new Int32(2));
  expect(arith('add', new Int32(1), new Double(0.5))).toEqual(new Double(1.5));
  expect(String(arith('add', Decimal128.fromString('0.1'), Decimal128.fromString('0.2')))).toBe('0.3');
  expect(String(arith('mul', Decimal128.fromString('1.5'), new Int32(3)))).toBe('4.5');
});
