import Router from '@koa/router';
import { consoleTodoResponseSchema } from '@shared/schemas/console';
import { currentUser, requireRole } from '../../core/auth';
import { validate } from '../../core/middleware';
import { TODO_ROLES, type ConsoleService } from './console.service';

export function createConsoleRouter(service: ConsoleService): Router {
  const router = new Router();

  const todo = validate(
    {},
    {
      summary: '后台待办数（审稿队列、问政待审核与超期、入驻与通讯员申请；只含本人角色负责的队列）',
      tags: ['console'],
      response: consoleTodoResponseSchema,
      access: { roles: [...TODO_ROLES] },
    },
  );
  router.get('/api/v1/console/todo', requireRole(...TODO_ROLES), todo, async (ctx) => {
    ctx.body = { counts: await service.todo(currentUser(ctx)) };
  });

  return router;
}
