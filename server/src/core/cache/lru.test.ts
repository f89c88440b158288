import { BoundedLru } from './lru';

describe('BoundedLru', () => {
  test('drops the least recently used entry when the entry count is exceeded', () => {
    const lru = new BoundedLru<string, number>({ maxEntries: 2, maxWeight: Infinity });
    lru.set('a', 1);
    lru.set('b', 2);
    expect(lru.get('a')).toBe(1); // a is now the most recent
    lru.set('c', 3);
    expect(lru.get('b')).toBeUndefined();
    expect(lru.get('a')).toBe(1);
    expect(lru.get('c')).toBe(3);
  });

  test('keeps the total weight under its bound, re-weighing included', () => {
    const lru = new BoundedLru<string, string>({ maxEntries: 100, maxWeight: 100, pendingWeight: 10 });
    lru.set('a', 'A');
    lru.set('b', 'B');
    lru.set('c', 'C');
    expect(lru.weight).toBe(30);
    lru.weigh('c', 'C', 85); // a (oldest) must go: 10 + 10 + 85 > 100
    expect(lru.get('a')).toBeUndefined();
    expect(lru.get('b')).toBe('B');
    expect(lru.weight).toBe(95);
    lru.weigh('b', 'B', 30); // now c (least recent after reading b) goes
    expect(lru.get('c')).toBeUndefined();
    expect(lru.weight).toBe(30);
  });

  test('an entry heavier than the whole bound is not kept', () => {
    const lru = new BoundedLru<string, string>({ maxEntries: 10, maxWeight: 50 });
    lru.set('big', 'x', 60);
    expect(lru.get('big')).toBeUndefined();
    expect(lru.weight).toBe(0);
  });

  test('re-weighing an entry replaced meanwhile changes nothing', () => {
    const lru = new BoundedLru<string, string>({ maxEntries: 10, maxWeight: 50 });
    lru.set('k', 'old', 5);
    lru.set('k', 'new', 5);
    lru.weigh('k', 'old', 40);
    expect(lru.weight).toBe(5);
  });
});
