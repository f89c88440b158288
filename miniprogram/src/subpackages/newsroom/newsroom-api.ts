import type { CampaignView, ListCampaignsQuery } from '@shared/schemas/campaigns';
import {
  type ApplicationView,
  type ApplyBody,
  type ApproveBody,
  type AssignmentView,
  type CircleView,
  type DecideApplicationBody,
  type QueueQuery,
  type SaveSubmissionBody,
  type SubmissionState,
  type SubmissionView,
  type createAssignmentBodySchema,
} from '@shared/schemas/newsroom';
import type { MeResponse } from '@shared/schemas/users';
import type { z } from 'zod';
import { allPages, type CursorPage } from '../../services/core/all-pages';
import { api } from '../../services/request';

/**
 * The newsroom's desk for correspondents, circle leaders and editors: applications, submissions and the
 * editorial workflow, assignments (选题) and the upload pre-check (server/src/modules/{circles,submissions,storage};
 * the upload itself is services/upload.ts).
 * Lives in the subpackage so none of it weighs on the main package.
 */

type One = { submission: SubmissionView };
type CreateAssignmentBody = z.input<typeof createAssignmentBodySchema>;
export type SubmissionPage = { items: SubmissionView[]; nextCursor: string | null };
const sub = (id: string, action?: string) => `/api/v1/submissions/${encodeURIComponent(id)}${action ? `/${action}` : ''}`;

/** Queue filters as the page holds them (query strings are strings). */
export type QueueFilters = Partial<Pick<QueueQuery, 'state' | 'circleId' | 'campaign' | 'minAgeHours' | 'flagged'>>;

export const deskApi = {
  // ── people, circles, campaigns ──
  me: () => api.get<MeResponse>('/api/v1/me', { silent: true }),
  bindPhone: (code: string) => api.post<MeResponse>('/api/v1/me/phone', { code }),
  /** Every circle (a picker's short list), read page by page. */
  circles: () => allPages((cursor) => api.get<CursorPage<CircleView>>('/api/v1/circles', { query: { cursor, limit: 100 }, silent: true })),
  /** A page of campaigns, newest launched first (`status` by their dates). */
  campaigns: (query: Partial<Pick<ListCampaignsQuery, 'status' | 'cursor'>> = {}) =>
    api.get<CursorPage<CampaignView>>('/api/v1/campaigns', { query: { ...query, limit: 100 }, silent: true }),

  // ── correspondent applications ──
  apply: (body: ApplyBody) => api.post<{ application: ApplicationView }>('/api/v1/correspondents/applications', body),
  myApplications: () => api.get<{ items: ApplicationView[] }>('/api/v1/correspondents/applications/mine', { silent: true }),
  /** The oldest 50 waiting (a page of the console's cursor-paged queue: deciding them brings the next ones up). */
  applications: (state: ApplicationView['state'] = 'pending') =>
    api.get<{ items: ApplicationView[]; nextCursor: string | null }>('/api/v1/correspondents/applications', {
      query: { state },
      silent: true,
    }),
  decide: (id: string, body: DecideApplicationBody) =>
    api.post<{ application: ApplicationView }>(`/api/v1/correspondents/applications/${encodeURIComponent(id)}/decision`, body),

  // ── my pieces ──
  mine: (cursor: string | null, state?: SubmissionState) =>
    api.get<SubmissionPage>('/api/v1/submissions/mine', { query: { cursor: cursor ?? undefined, state }, silent: true }),
  get: (id: string) => api.get<One>(sub(id), { silent: true }),
  create: (body: SaveSubmissionBody) => api.post<One>('/api/v1/submissions', body),
  update: (id: string, body: SaveSubmissionBody) => api.patch<One>(sub(id), body),
  submit: (id: string) => api.post<One>(sub(id, 'submit'), {}),

  // ── review ──
  queue: (cursor: string | null, f: QueueFilters = {}) =>
    api.get<SubmissionPage>('/api/v1/editorial/queue', {
      query: {
        cursor: cursor ?? undefined,
        state: f.state,
        circleId: f.circleId,
        campaign: f.campaign,
        minAgeHours: f.minAgeHours,
        flagged: f.flagged === undefined ? undefined : String(f.flagged),
      },
      silent: true,
    }),
  recommend: (id: string, note?: string) => api.post<One>(sub(id, 'recommend'), note ? { note } : {}),
  returnForRevision: (id: string, note: string) => api.post<One>(sub(id, 'return'), { note }),
  claim: (id: string) => api.post<One>(sub(id, 'claim'), {}),
  reject: (id: string, note: string) => api.post<One>(sub(id, 'reject'), { note }),
  approve: (id: string, body: ApproveBody) => api.post<One>(sub(id, 'approve'), body),
  publish: (id: string, publishAt?: string) => api.post<One>(sub(id, 'publish'), publishAt ? { publishAt } : {}),

  // ── 选题 ──
  assign: (body: CreateAssignmentBody) => api.post<{ assignment: AssignmentView }>('/api/v1/assignments', body),
  /** A page of the topics assigned to me, newest first; `states` narrows on the server (e.g. the ones still to do). */
  myAssignments: (cursor: string | null, states?: readonly AssignmentView['state'][]) =>
    api.get<CursorPage<AssignmentView>>('/api/v1/assignments/mine', {
      query: { cursor, state: states?.join(','), limit: 20 },
      silent: true,
    }),
  acceptAssignment: (id: string) => api.post<{ assignment: AssignmentView }>(`/api/v1/assignments/${encodeURIComponent(id)}/accept`, {}),
  declineAssignment: (id: string) => api.post<{ assignment: AssignmentView }>(`/api/v1/assignments/${encodeURIComponent(id)}/decline`, {}),
};

/** The pre-upload check lives with the shared photo picker (components/photo-picker). */
export { checkUpload } from '../../components/photo-picker/photo-picker';
