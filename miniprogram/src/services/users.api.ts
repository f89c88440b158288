import type { MeResponse, UpdateMeBody } from '@shared/schemas/users';
import { api } from './request';

export const usersApi = {
  me: () => api.get<MeResponse>('/api/v1/me', { silent: true }),
  /** Nickname, district, or the avatar as the person's own upload (avatarFileId). */
  update: (body: UpdateMeBody) => api.patch<MeResponse>('/api/v1/me', body),
};
