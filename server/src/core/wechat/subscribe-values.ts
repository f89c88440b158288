/**
 * Subscribe-message keyword values, written and checked the way WeChat wants them (reference: wechat-api.md,
 * subscribeMessage.send). WeChat names each keyword `<type><n>` (thing1, time2…), so the type — and its rule —
 * is the keyword without its trailing digits. A value that breaks its rule would be answered 47003; checking
 * before sending keeps a bad message out of WeChat's daily quota and names the field at fault.
 */
import { shanghaiDateTime, shanghaiDay } from '../time';

export type SubscribeValue = string | number | Date;

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

/** The type of a keyword: `thing1` → `thing`, `character_string3` → `character_string`. */
export const keywordType = (keyword: string): string => keyword.replace(/\d+$/, '');

/** Text cut to `max` characters (code points), whitespace folded, an ellipsis marking the cut. */
export function clip(text: string, max: number): string {
  const chars = [...text.replace(/\s+/g, ' ').trim()];
  return chars.length <= max ? chars.join('') : `${chars.slice(0, max - 1).join('')}…`;
}

/**
 * Writes a value for a keyword: free text (thing, name) is clipped to its limit, instants are written in
 * Shanghai time (date: the day, time: day and minute), numbers as digits. Other types are passed as given
 * and left to `subscribeValueProblem` to judge.
 */
export function formatSubscribeValue(keyword: string, value: SubscribeValue): string {
  const type = keywordType(keyword);
  if (value instanceof Date) return type === 'date' ? shanghaiDay(value) : shanghaiDateTime(value);
  const text = typeof value === 'number' ? String(value) : value;
  if (type === 'thing') return clip(text, 20);
  if (type === 'name' && !CHINESE.test(text)) return clip(text, 20);
  if (type === 'name') return clip(text, 10);
  return text.trim();
}

/** Why a keyword's value would be refused (`thing1: 超过 20 字…`), or null when it fits its type. */
export function subscribeValueProblem(keyword: string, value: string): string | null {
  const rule = RULES[keywordType(keyword)];
  if (!rule) return `${keyword}: unknown keyword type`;
  if (value === '') return `${keyword}: empty`;
  return rule(value) ? null : `${keyword}: "${value}" does not fit ${keywordType(keyword)}`;
}
