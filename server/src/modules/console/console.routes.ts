import type Router from '@koa/router';
import { consoleTodoResponseSchema } from '@shared/schemas/console';
import { currentUser } from '../../core/auth';
import { routes } from '../../core/middleware';
import { TODO_ROLES, type ConsoleService } from './console.service';

export function createConsoleRouter(service: ConsoleService): Router {
  const api = routes(['console']);
  api.get(
    '/api/v1/console/todo',
    {
      summary: '后台待办数（审稿队列、问政待审核与超期、入驻与通讯员申请；只含本人角色负责的队列）',
      response: consoleTodoResponseSchema,
      access: { roles: [...TODO_ROLES] },
    },
    async (_input, ctx) => ({ counts: await service.todo(currentUser(ctx)) }),
  );
  return api.router;
}
