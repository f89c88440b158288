import { z } from 'zod';

/** True when `s` has no control characters other than tab and line breaks (multi-line text is allowed). */
export const noControlChars = (s: string) =>
  ![...s].some((ch) => {
    const c = ch.charCodeAt(0);
    return (c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) || c === 0x7f;
  });

/** Required, trimmed text of at most `max` characters, with Chinese messages naming the field (`label`). */
export const text = (max: number, label: string) =>
  z.string().trim().min(1, `${label}不能为空`).max(max, `${label}最多 ${max} 个字`).refine(noControlChars, `${label}含有不允许的字符`);
