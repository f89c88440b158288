// An article document as the API shows it: a feed card, the whole article page.
import type { ArticleBlock, ArticleCard, ArticleView } from '@shared/schemas/newsroom';
import type { ArticleDoc } from './newsroom.model';

/** First ~80 characters of the text, for cards and share titles. */
export function summarise(blocks: readonly ArticleBlock[]): string {
  const textOf = blocks.flatMap((b) => (b.type === 'paragraph' ? [b.text] : [])).join(' ');
  return textOf.length > 80 ? `${textOf.slice(0, 80)}…` : textOf;
}

/** The body's first video, stored beside it as `video` for the feed cards. */
export function firstVideo(body: readonly ArticleBlock[]): { video: string } | Record<string, never> {
  const block = body.find((b) => b.type === 'video');
  return block ? { video: block.url } : {};
}

export function toCard(doc: ArticleDoc): ArticleCard {
  return {
    id: doc._id.toHexString(),
    title: doc.title,
    summary: doc.summary,
    cover: doc.cover ?? null,
    column: doc.column,
    author: { kind: doc.author.kind, userId: doc.author.userId?.toHexString() ?? null, name: doc.author.name },
    circleId: doc.circleId?.toHexString() ?? null,
    publishedAt: doc.publishedAt.toISOString(),
    reads: doc.reads,
    likes: doc.likes,
    pinned: doc.pinnedAt !== undefined && doc.pinnedAt !== null,
    sponsored: doc.sponsored === true,
    video: doc.video ?? null,
  };
}

export function toArticleView(doc: ArticleDoc): ArticleView {
  return {
    ...toCard(doc),
    body: doc.body,
    images: doc.images,
    place: doc.place ?? null,
    submissionId: doc.submissionId?.toHexString() ?? null,
    editor: doc.editor ? { name: doc.editor.name } : null,
    anonymousReads: doc.anonymousReads,
  };
}
