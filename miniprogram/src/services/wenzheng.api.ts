import type {
  BoardResponse,
  CaseListQuery,
  CaseView,
  CaseState,
  ForwardBody,
  PostCaseBody,
  WenzhengCategory,
} from '@shared/schemas/wenzheng';
import { api } from './request';

type Page = { items: CaseView[]; nextCursor: string | null };
type One = { case: CaseView };
const P = '/api/v1/wenzheng';
const caseUrl = (id: string, action?: string) => `${P}/cases/${encodeURIComponent(id)}${action ? `/${action}` : ''}`;
const listQuery = (q: { category?: WenzhengCategory; state?: CaseState; cursor?: string | null; limit?: number }) => ({
  category: q.category,
  state: q.state,
  cursor: q.cursor ?? undefined,
  limit: q.limit,
});

/** 问政 (server/src/modules/wenzheng): public board, my cases, posting, staff queues and actions, boards. */
export const wenzhengApi = {
  list: (q: Omit<Partial<CaseListQuery>, 'cursor'> & { cursor?: string | null } = {}) =>
    api.get<Page>(`${P}/cases`, { query: listQuery(q), silent: true }),
  mine: (cursor: string | null) => api.get<Page>(`${P}/cases/mine`, { query: { cursor: cursor ?? undefined }, silent: true }),
  get: (id: string) => api.get<One>(caseUrl(id), { silent: true }),
  post: (body: PostCaseBody) => api.post<One>(`${P}/cases`, body, { idempotencyKey: true }),
  rate: (id: string, satisfied: boolean, comment?: string) =>
    api.post<One>(caseUrl(id, 'rate'), { satisfied, ...(comment ? { comment } : {}) }),
  reopen: (id: string, reason: string) => api.post<One>(caseUrl(id, 'reopen'), { reason }),

  triage: (cursor: string | null) => api.get<Page>(`${P}/triage`, { query: { cursor: cursor ?? undefined }, silent: true }),
  queue: (cursor: string | null, overdue?: boolean) =>
    api.get<Page>(`${P}/queue`, {
      query: { cursor: cursor ?? undefined, overdue: overdue === undefined ? undefined : String(overdue) },
      silent: true,
    }),
  forward: (id: string, body: Partial<ForwardBody> & Pick<ForwardBody, 'tier' | 'type' | 'publish'>) =>
    api.post<One>(caseUrl(id, 'forward'), body),
  reject: (id: string, reason: string) => api.post<One>(caseUrl(id, 'reject'), { reason }),
  accept: (id: string) => api.post<One>(caseUrl(id, 'accept'), {}),
  answer: (id: string, text: string) => api.post<One>(caseUrl(id, 'answer'), { text }),
  extension: (id: string, days: number, reason: string) => api.post<One>(caseUrl(id, 'extension'), { days, reason }),
  decline: (id: string, suggestedDepartment: string, reason: string) =>
    api.post<One>(caseUrl(id, 'decline'), { suggestedDepartment, reason }),
  handover: (id: string, confirm: boolean) => api.post<One>(caseUrl(id, 'handover'), { confirm }),
  assign: (id: string, body: { department: string; coDepartments: string[]; copyLeaders: string[] }) =>
    api.post<One>(caseUrl(id, 'assign'), body),

  /** A co-department's (协办) own part. */
  part: {
    accept: (id: string, code: string) => api.post<One>(caseUrl(id, `parts/${encodeURIComponent(code)}/accept`), {}),
    answer: (id: string, code: string, text: string) => api.post<One>(caseUrl(id, `parts/${encodeURIComponent(code)}/answer`), { text }),
    decline: (id: string, code: string, suggestedDepartment: string, reason: string) =>
      api.post<One>(caseUrl(id, `parts/${encodeURIComponent(code)}/decline`), { suggestedDepartment, reason }),
    handover: (id: string, code: string, confirm: boolean) =>
      api.post<One>(caseUrl(id, `parts/${encodeURIComponent(code)}/handover`), { confirm }),
  },
  /** County leaders: what was copied to me; for the propaganda department: whom it may copy. */
  copied: (cursor: string | null) => api.get<Page>(`${P}/copied`, { query: { cursor: cursor ?? undefined }, silent: true }),
  leaders: () => api.get<{ leaders: { id: string; name: string }[] }>(`${P}/leaders`, { silent: true }),

  departments: () => api.get<{ departments: { code: string; name: string; propaganda: boolean }[] }>(`${P}/departments`, { silent: true }),
  board: (month: string) => api.get<BoardResponse>(`${P}/boards`, { query: { month }, silent: true }),
};
