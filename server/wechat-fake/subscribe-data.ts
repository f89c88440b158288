/**
 * Value rules of subscribe-message keywords. WeChat names each keyword `<type><n>` (thing1, time2…),
 * so the type — and its limit — is the key without its trailing digits.
 */
const CHINESE = /^[\u4e00-\u9fff]+$/u;
const DATE = String.raw`\d{4}([-/.年])\d{1,2}([-/.月])\d{1,2}日?`;
const TIME = String.raw`\d{1,2}:\d{2}(:\d{2})?`;
const DATE_TIME = new RegExp(`^(${DATE}( ${TIME})?|${TIME})( ?~ ?(${DATE}( ${TIME})?|${TIME}))?$`, 'u');

const RULES: Readonly<Record<string, (value: string) => boolean>> = {
  thing: (v) => [...v].length <= 20,
  number: (v) => v.length <= 32 && /^-?\d+(\.\d+)?$/.test(v),
  letter: (v) => v.length <= 32 && /^[A-Za-z]+$/.test(v),
  symbol: (v) => [...v].length <= 5,
  character_string: (v) => v.length <= 32 && /^[\x21-\x7e]+$/.test(v),
  time: (v) => DATE_TIME.test(v),
  date: (v) => DATE_TIME.test(v),
  amount: (v) => v.length <= 32 && /^[¥￥]?\d+(\.\d{1,2})?元?$/u.test(v),
  phone_number: (v) => v.length <= 17 && /^[\d+\-() ]+$/.test(v),
  car_number: (v) => [...v].length <= 8,
  name: (v) => (CHINESE.test(v) ? [...v].length <= 10 : v.length <= 20 && /^[A-Za-z .]+$/.test(v)),
  phrase: (v) => [...v].length <= 5 && CHINESE.test(v),
};

/** Returns the first offending `data.<key>.value` path, or null when every value fits its keyword type. */
export function findInvalidSubscribeValue(data: Record<string, unknown>): string | null {
  const keys = Object.keys(data);
  if (keys.length === 0) return 'data';
  for (const key of keys) {
    const entry = data[key];
    const value = typeof entry === 'object' && entry !== null ? (entry as { value?: unknown }).value : undefined;
    const rule = RULES[key.replace(/\d+$/, '')];
    if (!rule || typeof value !== 'string' || value === '' || !rule(value)) return `data.${key}.value`;
  }
  return null;
}
