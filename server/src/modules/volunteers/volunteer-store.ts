/** The stored teams, activities and sign-ups every part of the volunteers service looks up. */
import { Types } from 'mongoose';
import type { SignupView } from '@shared/schemas/volunteers';
import { oid } from '../../core/db';
import { AppError } from '../../core/errors';
import { ActivityModel, SignupModel, TeamModel, type ActivityDoc, type SignupDoc, type TeamDoc } from './volunteers.model';
import { toSignupView } from './volunteer-views';

export async function mustFindTeam(id: string): Promise<TeamDoc> {
  const doc = Types.ObjectId.isValid(id) ? await TeamModel.findById(id).lean<TeamDoc>() : null;
  if (!doc) throw new AppError('TEAM_NOT_FOUND');
  return doc;
}

export async function mustFindActivity(id: string): Promise<ActivityDoc> {
  const doc = Types.ObjectId.isValid(id) ? await ActivityModel.findById(id).lean<ActivityDoc>() : null;
  if (!doc) throw new AppError('ACTIVITY_NOT_FOUND');
  return doc;
}

/** A member or a leader of the team. */
export async function isTeamMember(teamId: Types.ObjectId, userId: string): Promise<boolean> {
  const u = oid(userId);
  return Boolean(await TeamModel.exists({ _id: teamId, $or: [{ memberIds: u }, { leaderIds: u }] }));
}

/** The user's sign-up holding a seat: NOT_SIGNED_UP when there is none, it was cancelled or it is still waitlisted. */
export async function mustFindSignup(activityId: Types.ObjectId, userId: string): Promise<SignupDoc> {
  const doc = await SignupModel.findOne({ activityId, userId: oid(userId) }).lean<SignupDoc>();
  if (!doc || doc.state === 'cancelled') throw new AppError('NOT_SIGNED_UP');
  if (doc.state === 'waitlisted') throw new AppError('NOT_SIGNED_UP', { message: '你还在候补名单中，没有获得名额，不能签到' });
  return doc;
}

/** The sign-up's place in the waitlist, in queue order (null when not waitlisted). */
export async function waitlistPosition(doc: SignupDoc): Promise<number | null> {
  if (doc.state !== 'waitlisted') return null;
  const ahead = await SignupModel.countDocuments({
    activityId: doc.activityId,
    state: 'waitlisted',
    $or: [{ queuedAt: { $lt: doc.queuedAt } }, { queuedAt: doc.queuedAt, _id: { $lt: doc._id } }],
  });
  return ahead + 1;
}

export async function signupView(doc: SignupDoc): Promise<SignupView> {
  return toSignupView(doc, await waitlistPosition(doc));
}
