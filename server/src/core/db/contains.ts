/**
 * A case-insensitive "contains" pattern for a person's search words: every RegExp character is escaped, so what
 * they type is matched literally and never becomes a pattern (or a slow one).
 */
export function containsPattern(words: string): RegExp {
  return new RegExp(words.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'i');
}
