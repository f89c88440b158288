import type { CommentView } from '@shared/schemas/comments';
import { AppError } from '../../core/errors';
import type { UsersService } from '../users';
import { CommentModel, type CommentDoc } from './comments.model';

/** A comment by id in one of `states` (any state when omitted); COMMENT_NOT_FOUND otherwise. */
export async function mustFindComment(id: string, states?: readonly CommentDoc['state'][]): Promise<CommentDoc> {
  const doc = await CommentModel.findOne(states ? { _id: id, state: { $in: states } } : { _id: id }).lean<CommentDoc>();
  if (!doc) throw new AppError('COMMENT_NOT_FOUND');
  return doc;
}

export type CommentViews = (docs: readonly CommentDoc[]) => Promise<CommentView[]>;

/** Views of comments with their authors' current names and avatars (one profile query per batch). */
export function commentViews(users: Pick<UsersService, 'publicProfiles'>): CommentViews {
  return async (docs) => {
    const ids = docs.flatMap((d) => [d.authorId.toHexString(), ...(d.replyTo ? [d.replyTo.userId.toHexString()] : [])]);
    const profiles = await users.publicProfiles(ids);
    const nameOf = (id: string) => profiles.get(id)?.nickname ?? '已注销用户';
    return docs.map((d) => {
      const authorId = d.authorId.toHexString();
      return {
        id: d._id.toHexString(),
        articleId: d.articleId.toHexString(),
        parentId: d.parentId?.toHexString() ?? null,
        replyTo: d.replyTo ? { id: d.replyTo.userId.toHexString(), name: nameOf(d.replyTo.userId.toHexString()) } : null,
        author: { id: authorId, name: nameOf(authorId), avatarUrl: profiles.get(authorId)?.avatarUrl ?? null },
        text: d.text,
        state: d.state,
        createdAt: d.createdAt.toISOString(),
      };
    });
  };
}
