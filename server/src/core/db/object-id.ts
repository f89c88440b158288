import { Types } from 'mongoose';

/** An id from a request, a token or a cache (hex) as the ObjectId MongoDB stores; throws on a malformed one. */
export function oid(id: string): Types.ObjectId {
  return new Types.ObjectId(id);
}
