import type { Schema } from 'mongoose';

/**
 * Drops fields marked `private: true` in a schema from toJSON/toObject output, wherever a document ends
 * up (a response, a log line, an error detail). Belt and braces with `select: false`: a query that
 * explicitly selects a secret still cannot leak it by serialising the document.
 */
export function privateFieldsPlugin(schema: Schema): void {
  const hidden: string[] = [];
  schema.eachPath((path, type) => {
    if ((type.options as { private?: boolean }).private) hidden.push(path);
  });
  const strip = (_doc: unknown, ret: Record<string, unknown>) => {
    for (const path of hidden) delete ret[path];
    return ret;
  };
  schema.set('toJSON', { ...(schema.get('toJSON') ?? {}), transform: strip });
  schema.set('toObject', { ...(schema.get('toObject') ?? {}), transform: strip });
}
