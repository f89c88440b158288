import { randomFillSync } from 'node:crypto';

// Random bytes from the system CSPRNG, drawn 4 KB at a time: one call per ~200 codes instead of one
// randomInt call per character (the grab and the mall make a code on every request).
const pool = Buffer.alloc(4096);
let at = pool.length;

/**
 * `length` characters drawn uniformly from `alphabet` (at most 256 characters). A byte at or above the
 * largest multiple of the alphabet's size is skipped, so every character is equally likely.
 */
export function randomCode(alphabet: string, length: number): string {
  const limit = 256 - (256 % alphabet.length);
  let code = '';
  while (code.length < length) {
    if (at === pool.length) {
      randomFillSync(pool);
      at = 0;
    }
    const byte = pool[at++]!;
    if (byte < limit) code += alphabet[byte % alphabet.length];
  }
  return code;
}
