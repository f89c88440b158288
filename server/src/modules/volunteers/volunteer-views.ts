/** How teams, sign-ups and attendance are shown (the API's views), as pure functions of the stored docs. */
import type { SignupView, TeamView } from '@shared/schemas/volunteers';
import type { SignupDoc, TeamDoc } from './volunteers.model';

export const iso = (d: Date | undefined | null) => (d ? d.toISOString() : null);

export function toTeamView(doc: TeamDoc): TeamView {
  return {
    id: doc._id.toHexString(),
    name: doc.name,
    area: doc.area,
    description: doc.description,
    leaderIds: doc.leaderIds.map((id) => id.toHexString()),
    memberCount: doc.memberIds.length,
    createdAt: doc.createdAt.toISOString(),
  };
}

export function toSignupView(doc: SignupDoc, waitlistPosition: number | null = null): SignupView {
  return {
    activityId: doc.activityId.toHexString(),
    userId: doc.userId.toHexString(),
    state: doc.state,
    waitlistPosition: doc.state === 'waitlisted' ? waitlistPosition : null,
    checkInAt: iso(doc.checkInAt),
    checkOutAt: iso(doc.checkOutAt),
    minutes: doc.minutes ?? null,
    confirmedAt: iso(doc.confirmedAt),
    pointsAwarded: doc.pointsAwarded ?? 0,
    createdAt: doc.createdAt.toISOString(),
  };
}

export function attendanceOf(doc: SignupDoc) {
  return {
    activityId: doc.activityId.toHexString(),
    checkInAt: iso(doc.checkInAt),
    checkOutAt: iso(doc.checkOutAt),
    minutes: doc.minutes ?? null,
  };
}
