import mongoose, { Schema, type Types } from 'mongoose';
import { retireIndexes } from '../../core/db';
import {
  ASSIGNMENT_STATES,
  COPYRIGHT_CHOICES,
  GRADES,
  SAFETY_STATES,
  SUBMISSION_ACTIONS,
  SUBMISSION_STATES,
  type ArticleColumn,
  type Grade,
  type SafetyState,
  type SubmissionAction,
  type SubmissionState,
} from '@shared/schemas/newsroom';

export interface TimelineDoc {
  action: SubmissionAction;
  from?: SubmissionState;
  to: SubmissionState;
  /** Unset for the system (content safety, the scheduled publisher). */
  by?: Types.ObjectId;
  byName: string;
  note?: string;
  at: Date;
}

export interface SubmissionDoc {
  _id: Types.ObjectId;
  authorId: Types.ObjectId;
  authorName: string;
  circleId?: Types.ObjectId;
  /** Set when the author administers a unit channel: the lighter review lane. */
  channelId?: Types.ObjectId;
  lane: 'standard' | 'channel';
  title: string;
  body: string;
  imageIds: Types.ObjectId[];
  videoUrl?: string;
  place?: string;
  campaign?: string;
  copyright?: (typeof COPYRIGHT_CHOICES)[number];
  originalityStatement: boolean;
  assignmentId?: Types.ObjectId;
  state: SubmissionState;
  textSafety: SafetyState;
  textLabel?: number;
  /** Something (text or an image) needs the editor's eye. */
  flagged: boolean;
  claimedBy?: Types.ObjectId;
  grade?: Grade;
  column?: ArticleColumn;
  articleId?: Types.ObjectId;
  publishAt?: Date;
  pointsAwarded: number;
  timeline: TimelineDoc[];
  submittedAt?: Date;
  /** When it entered its current state: the queue's "age" filter. */
  stateChangedAt: Date;
  createdAt: Date;
  updatedAt: Date;
}

const timelineSchema = new Schema<TimelineDoc>(
  {
    action: { type: String, enum: SUBMISSION_ACTIONS, required: true },
    from: { type: String, enum: SUBMISSION_STATES },
    to: { type: String, enum: SUBMISSION_STATES, required: true },
    by: Schema.Types.ObjectId,
    byName: { type: String, required: true },
    note: String,
    at: { type: Date, required: true },
  },
  { _id: false },
);

const submissionSchema = new Schema<SubmissionDoc>(
  {
    authorId: { type: Schema.Types.ObjectId, required: true },
    authorName: { type: String, required: true },
    circleId: Schema.Types.ObjectId,
    channelId: Schema.Types.ObjectId,
    lane: { type: String, enum: ['standard', 'channel'], required: true },
    title: { type: String, required: true },
    body: { type: String, default: '' },
    imageIds: { type: [Schema.Types.ObjectId], default: [] },
    videoUrl: String,
    place: String,
    campaign: String,
    copyright: { type: String, enum: COPYRIGHT_CHOICES },
    originalityStatement: { type: Boolean, default: false },
    assignmentId: Schema.Types.ObjectId,
    state: { type: String, enum: SUBMISSION_STATES, required: true },
    textSafety: { type: String, enum: SAFETY_STATES, required: true },
    textLabel: Number,
    flagged: { type: Boolean, default: false },
    claimedBy: Schema.Types.ObjectId,
    grade: { type: String, enum: GRADES },
    column: String,
    articleId: Schema.Types.ObjectId,
    publishAt: Date,
    pointsAwarded: { type: Number, default: 0 },
    timeline: { type: [timelineSchema], default: [] },
    submittedAt: Date,
    stateChangedAt: { type: Date, required: true },
    createdAt: { type: Date, required: true },
    updatedAt: { type: Date, required: true },
  },
  { collection: 'submissions', versionKey: false, strict: 'throw' },
);
submissionSchema.index({ authorId: 1, _id: -1 });
submissionSchema.index({ state: 1, circleId: 1, _id: -1 });
submissionSchema.index({ state: 1, publishAt: 1 });
submissionSchema.index({ imageIds: 1 });
export const SubmissionModel = mongoose.model<SubmissionDoc>('Submission', submissionSchema);

/** 选题派发: a clue or topic an editor hands to a correspondent. */
export interface AssignmentDoc {
  _id: Types.ObjectId;
  title: string;
  brief: string;
  assigneeId: Types.ObjectId;
  assignedBy: Types.ObjectId;
  state: (typeof ASSIGNMENT_STATES)[number];
  submissionId?: Types.ObjectId;
  dueAt?: Date;
  createdAt: Date;
}
const assignmentSchema = new Schema<AssignmentDoc>(
  {
    title: { type: String, required: true },
    brief: { type: String, required: true },
    assigneeId: { type: Schema.Types.ObjectId, required: true },
    assignedBy: { type: Schema.Types.ObjectId, required: true },
    state: { type: String, enum: ASSIGNMENT_STATES, required: true },
    submissionId: Schema.Types.ObjectId,
    dueAt: Date,
    createdAt: { type: Date, required: true },
  },
  { collection: 'assignments', versionKey: false, strict: 'throw' },
);
// Lists page newest first by `_id` (keyset paging), so the indexes end with it rather than `createdAt`.
assignmentSchema.index({ assigneeId: 1, _id: -1 });
assignmentSchema.index({ assignedBy: 1, _id: -1 });
retireIndexes('Assignment', ['assigneeId_1_createdAt_-1', 'assignedBy_1_createdAt_-1']);
export const AssignmentModel = mongoose.model<AssignmentDoc>('Assignment', assignmentSchema);
