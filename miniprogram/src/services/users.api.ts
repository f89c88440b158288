import type { MeResponse } from '@shared/schemas/users';
import { api } from './request';

export const usersApi = {
  me: () => api.get<MeResponse>('/api/v1/me', { silent: true }),
};
