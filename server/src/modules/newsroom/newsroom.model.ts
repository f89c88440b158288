import mongoose, { Schema, type Types } from 'mongoose';
import { ARTICLE_STATUSES, type ArticleBlock, type ArticleColumn, type ArticleStatus } from '@shared/schemas/newsroom';

export { ARTICLE_STATUSES, type ArticleStatus };

export interface ArticleDoc {
  _id: Types.ObjectId;
  title: string;
  summary: string;
  body: ArticleBlock[];
  cover?: string;
  /** The body's first video (see toCard). */
  video?: string;
  images: string[];
  column: ArticleColumn;
  author: { kind: 'correspondent' | 'editor'; userId?: Types.ObjectId; name: string };
  /** 责任编辑: the editor who approved a correspondent's piece (absent on editors' own articles and older ones). */
  editor?: { userId?: Types.ObjectId; name: string };
  circleId?: Types.ObjectId;
  place?: string;
  /** Set when published from a correspondent's submission: one article per submission. */
  submissionId?: Types.ObjectId;
  /** Natural key of seeded articles, so `npm run seed` can run again without duplicates. */
  seedKey?: string;
  status: ArticleStatus;
  /** Set while pinned to the home carousel (newest pin first). */
  pinnedAt?: Date;
  /** A merchant's promotion: marked 推广 and spaced out in the home feed. */
  sponsored?: boolean;
  /** When it appears in the feed (in the future while `scheduled`). */
  publishedAt: Date;
  /** Signed-in readers, one per person per Shanghai day. */
  reads: number;
  anonymousReads: number;
  likes: number;
  createdAt: Date;
  updatedAt: Date;
}

const articleSchema = new Schema<ArticleDoc>(
  {
    title: { type: String, required: true },
    summary: { type: String, default: '' },
    // Validated by the shared block schema before it gets here; stored as given.
    body: { type: Schema.Types.Mixed, default: () => [] },
    cover: String,
    // The first video block's URL, kept beside the body so feed cards (read without the body) can play it.
    video: String,
    images: { type: [String], default: [] },
    // A configured column's key (columns.ts checks it on the way in; a column is never deleted while in use).
    column: { type: String, required: true },
    author: {
      kind: { type: String, enum: ['correspondent', 'editor'], required: true },
      userId: Schema.Types.ObjectId,
      name: { type: String, required: true },
    },
    editor: { type: { userId: Schema.Types.ObjectId, name: { type: String, required: true } }, _id: false, default: undefined },
    circleId: Schema.Types.ObjectId,
    place: String,
    submissionId: Schema.Types.ObjectId,
    seedKey: String,
    status: { type: String, enum: ARTICLE_STATUSES, required: true },
    pinnedAt: Date,
    sponsored: Boolean,
    publishedAt: { type: Date, required: true },
    reads: { type: Number, default: 0 },
    anonymousReads: { type: Number, default: 0 },
    likes: { type: Number, default: 0 },
    createdAt: { type: Date, required: true },
    updatedAt: { type: Date, required: true },
  },
  { collection: 'articles', versionKey: false, strict: 'throw' },
);
// The feed's two shapes (all columns / one column), newest first with _id breaking ties for the cursor.
articleSchema.index({ status: 1, publishedAt: -1, _id: -1 });
articleSchema.index({ status: 1, column: 1, publishedAt: -1, _id: -1 });
articleSchema.index({ circleId: 1, status: 1, publishedAt: -1 });
// The desk's table over every state (文章管理), same order as the feed.
articleSchema.index({ publishedAt: -1, _id: -1 });
// The carousel: only pinned articles carry pinnedAt.
articleSchema.index({ pinnedAt: -1 }, { sparse: true });
articleSchema.index({ submissionId: 1 }, { unique: true, sparse: true });
articleSchema.index({ seedKey: 1 }, { unique: true, sparse: true });

export const ArticleModel = mongoose.model<ArticleDoc>('Article', articleSchema);

/** One row per signed-in reader per article per Shanghai day: the unique index is the dedupe. */
export interface ArticleReadDoc {
  _id: Types.ObjectId;
  articleId: Types.ObjectId;
  userId: Types.ObjectId;
  /** YYYY-MM-DD in Asia/Shanghai. */
  day: string;
  at: Date;
  /**
   * Set while the read's reading points are not yet settled (the record and the article's counter are
   * written together, the points after): a retry finds it and finishes the read. Absent = settled.
   */
  unpaid?: boolean;
}
const articleReadSchema = new Schema<ArticleReadDoc>(
  {
    articleId: { type: Schema.Types.ObjectId, required: true },
    userId: { type: Schema.Types.ObjectId, required: true },
    day: { type: String, required: true },
    at: { type: Date, required: true },
    unpaid: Boolean,
  },
  { collection: 'article_reads', versionKey: false, strict: 'throw' },
);
articleReadSchema.index({ articleId: 1, userId: 1, day: 1 }, { unique: true });
// The daily roll-up (stats) counts one day's reads.
articleReadSchema.index({ day: 1, articleId: 1 });
export const ArticleReadModel = mongoose.model<ArticleReadDoc>('ArticleRead', articleReadSchema);

export interface ArticleLikeDoc {
  _id: Types.ObjectId;
  articleId: Types.ObjectId;
  userId: Types.ObjectId;
  at: Date;
}
const articleLikeSchema = new Schema<ArticleLikeDoc>(
  {
    articleId: { type: Schema.Types.ObjectId, required: true },
    userId: { type: Schema.Types.ObjectId, required: true },
    at: { type: Date, required: true },
  },
  { collection: 'article_likes', versionKey: false, strict: 'throw' },
);
articleLikeSchema.index({ articleId: 1, userId: 1 }, { unique: true });
export const ArticleLikeModel = mongoose.model<ArticleLikeDoc>('ArticleLike', articleLikeSchema);
