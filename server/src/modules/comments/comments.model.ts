import mongoose, { Schema, type Types } from 'mongoose';
import type { ArticleColumn } from '@shared/schemas/newsroom';
import {
  COMMENT_STATES,
  HOLD_REASONS,
  REPORT_REASONS,
  type CommentState,
  type HoldReason,
  type ReportReason,
} from '@shared/schemas/comments';

export interface CommentDoc {
  _id: Types.ObjectId;
  articleId: Types.ObjectId;
  /** The article's title and column when the comment was written: the moderation queue shows them without a join. */
  articleTitle: string;
  articleColumn: ArticleColumn;
  /** The top-level comment a reply is filed under; null for a top-level comment (one level of replies). */
  parentId: Types.ObjectId | null;
  /** A reply to a reply names the person it answers. */
  replyTo?: { userId: Types.ObjectId; commentId: Types.ObjectId };
  authorId: Types.ObjectId;
  text: string;
  state: CommentState;
  /** Why it waits in the queue (set while `pending`). */
  holdReason?: HoldReason;
  /** WeChat's msgSecCheck label (100 normal). */
  safetyLabel: number;
  reportCount: number;
  /** reportCount when an editor last approved it: only reports after that count towards hiding it again. */
  reportBaseline: number;
  rejectReason?: string;
  moderatedBy?: Types.ObjectId;
  moderatedAt?: Date;
  createdAt: Date;
  updatedAt: Date;
}

const commentSchema = new Schema<CommentDoc>(
  {
    articleId: { type: Schema.Types.ObjectId, required: true },
    articleTitle: { type: String, required: true },
    articleColumn: { type: String, required: true },
    parentId: { type: Schema.Types.ObjectId, default: null },
    replyTo: { type: { userId: Schema.Types.ObjectId, commentId: Schema.Types.ObjectId }, _id: false, default: undefined },
    authorId: { type: Schema.Types.ObjectId, required: true },
    text: { type: String, required: true },
    state: { type: String, enum: COMMENT_STATES, required: true },
    holdReason: { type: String, enum: HOLD_REASONS },
    safetyLabel: { type: Number, default: 100 },
    reportCount: { type: Number, default: 0 },
    reportBaseline: { type: Number, default: 0 },
    rejectReason: String,
    moderatedBy: Schema.Types.ObjectId,
    moderatedAt: Date,
    createdAt: { type: Date, required: true },
    updatedAt: { type: Date, required: true },
  },
  { collection: 'comments', versionKey: false, strict: 'throw' },
);
// An article's threads newest first (parentId null), a thread's replies oldest first, the queue newest first.
commentSchema.index({ articleId: 1, parentId: 1, state: 1, _id: -1 });
commentSchema.index({ parentId: 1, state: 1, _id: 1 });
commentSchema.index({ state: 1, holdReason: 1, _id: -1 });

export const CommentModel = mongoose.model<CommentDoc>('Comment', commentSchema);

/** One report per person per comment: the unique index decides between concurrent reports. */
export interface CommentReportDoc {
  _id: Types.ObjectId;
  commentId: Types.ObjectId;
  userId: Types.ObjectId;
  reason: ReportReason;
  note?: string;
  at: Date;
}
const commentReportSchema = new Schema<CommentReportDoc>(
  {
    commentId: { type: Schema.Types.ObjectId, required: true },
    userId: { type: Schema.Types.ObjectId, required: true },
    reason: { type: String, enum: REPORT_REASONS, required: true },
    note: String,
    at: { type: Date, required: true },
  },
  { collection: 'comment_reports', versionKey: false, strict: 'throw' },
);
commentReportSchema.index({ commentId: 1, userId: 1 }, { unique: true });
export const CommentReportModel = mongoose.model<CommentReportDoc>('CommentReport', commentReportSchema);

/** The one settings document (`_id: 'comments'`). */
export interface CommentSettingsDoc {
  _id: string;
  requireApproval: boolean;
  /** Column → requires approval; absent = follow `requireApproval`. */
  columns: Partial<Record<ArticleColumn, boolean>>;
  reportThreshold: number;
  updatedAt: Date;
}
const commentSettingsSchema = new Schema<CommentSettingsDoc>(
  {
    _id: { type: String, required: true },
    requireApproval: { type: Boolean, required: true },
    columns: { type: Schema.Types.Mixed, default: () => ({}) },
    reportThreshold: { type: Number, required: true },
    updatedAt: { type: Date, required: true },
  },
  { collection: 'comment_settings', versionKey: false, strict: 'throw', minimize: false },
);
export const CommentSettingsModel = mongoose.model<CommentSettingsDoc>('CommentSettings', commentSettingsSchema);
