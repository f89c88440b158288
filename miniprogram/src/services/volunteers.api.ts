import type {
  ActivityView,
  CertificateCheck,
  CertificateView,
  CheckInBody,
  CreateActivityBody,
  JoinRequestView,
  RosterEntry,
  SignupView,
  TeamView,
} from '@shared/schemas/volunteers';
import Taro from '@tarojs/taro';
import type { CursorPage as Page } from './core/all-pages';
import { api } from './request';

type Items<T> = { items: T[] };
const id = (v: string) => encodeURIComponent(v);
const P = '/api/v1/volunteers';

export interface Attendance {
  activityId: string;
  checkInAt: string | null;
  checkOutAt: string | null;
  minutes: number | null;
}
export interface RosterResponse {
  counts: { signedUp: number; waitlisted: number; checkedIn: number; checkedOut: number; confirmed: number };
  /** One state of the roster (报名 or 候补) in queue order, a page at a time. */
  items: RosterEntry[];
  nextCursor: string | null;
}
export interface RecordResponse {
  totalMinutes: number;
  totalHours: number;
  byYear: Array<{ year: string; minutes: number; hours: number }>;
  byMonth: Array<{ month: string; minutes: number; hours: number }>;
  activities: Array<{
    activityId: string;
    title: string;
    teamName: string;
    startAt: string;
    state: string;
    minutes: number | null;
    confirmed: boolean;
    pointsAwarded: number;
  }>;
}
export type Certificate = CertificateView;

/** Volunteers (server/src/modules/volunteers): teams, activities, sign-up, QR check-in/out, roster, record. */
export const volunteersApi = {
  /** Teams oldest first, a page at a time. */
  teams: (cursor?: string | null) => api.get<Page<TeamView>>(`${P}/teams`, { query: { cursor: cursor ?? undefined }, silent: true }),
  team: (teamId: string) => api.get<{ team: TeamView }>(`${P}/teams/${id(teamId)}`, { silent: true }),
  myTeams: () => api.get<Items<TeamView>>(`${P}/me/teams`, { silent: true }),
  join: (teamId: string, message = '') => api.post<{ request: JoinRequestView }>(`${P}/teams/${id(teamId)}/join-requests`, { message }),
  joinRequests: (teamId: string) => api.get<Items<JoinRequestView>>(`${P}/teams/${id(teamId)}/join-requests`, { silent: true }),
  decide: (requestId: string, decision: 'approve' | 'decline', reason?: string) =>
    api.post<{ request: JoinRequestView }>(`${P}/join-requests/${id(requestId)}/decision`, reason ? { decision, reason } : { decision }),
  /** Upcoming: soonest first; all: latest start first; a page at a time. */
  /** With `near` (the reader's position): nearest first, each with distanceM. */
  activities: (
    q: { teamId?: string; include?: 'upcoming' | 'all'; cursor?: string | null; near?: { lat: number; lng: number } | null } = {},
  ) =>
    api.get<Page<ActivityView>>(`${P}/activities`, {
      query: {
        ...q,
        cursor: q.cursor ?? undefined,
        near: q.near ? `${q.near.lat.toFixed(6)},${q.near.lng.toFixed(6)}` : undefined,
      },
      silent: true,
    }),
  activity: (activityId: string) => api.get<{ activity: ActivityView }>(`${P}/activities/${id(activityId)}`, { silent: true }),
  create: (body: CreateActivityBody) => api.post<{ activity: ActivityView }>(`${P}/activities`, body, { silent: true }),
  signUp: (activityId: string) => api.post<{ signup: SignupView }>(`${P}/activities/${id(activityId)}/signup`),
  cancel: (activityId: string) => api.del<{ signup: SignupView }>(`${P}/activities/${id(activityId)}/signup`),
  checkIn: (activityId: string, body: CheckInBody) =>
    api.post<{ attendance: Attendance }>(`${P}/activities/${id(activityId)}/check-in`, body),
  checkOut: (activityId: string, body: CheckInBody) =>
    api.post<{ attendance: Attendance }>(`${P}/activities/${id(activityId)}/check-out`, body),
  code: (activityId: string) =>
    api.get<{ code: string; slot: number; rotatesAt: string; qrDataUrl: string }>(`${P}/activities/${id(activityId)}/code`, {
      silent: true,
    }),
  roster: (activityId: string, state: 'confirmed' | 'waitlisted' = 'confirmed', cursor?: string | null) =>
    api.get<RosterResponse>(`${P}/activities/${id(activityId)}/roster`, { query: { state, cursor: cursor ?? undefined }, silent: true }),
  correct: (activityId: string, userId: string, body: { checkInAt?: string; checkOutAt?: string; reason: string }) =>
    api.patch<{ entry: RosterEntry }>(`${P}/activities/${id(activityId)}/roster/${id(userId)}`, body),
  confirm: (activityId: string) =>
    api.post<{ confirmed: Array<{ userId: string; minutes: number; points: number; payment: string }> }>(
      `${P}/activities/${id(activityId)}/confirm`,
      {},
    ),
  record: () => api.get<RecordResponse>(`${P}/me/record`, { silent: true }),
  certificate: () => api.get<{ certificate: Certificate }>(`${P}/me/certificate`, { silent: true }),
  /** The public check of a certificate serial (no sign-in needed). */
  checkCertificate: (serial: string) =>
    api.get<{ check: CertificateCheck }>(`${P}/certificates/${id(serial)}`, { silent: true, anonymous: true }),
};

/** Scans the leader's rotating code with the WeChat scanner; null when cancelled. */
export async function scanCode(): Promise<string | null> {
  try {
    const res = await Taro.scanCode({ onlyFromCamera: true, scanType: ['qrCode'] });
    return res.result;
  } catch {
    return null;
  }
}

/** 2.5 小时 */
export const hoursText = (minutes: number | null) => (minutes === null ? '—' : `${Math.round((minutes / 60) * 10) / 10} 小时`);
