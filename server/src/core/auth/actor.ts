import type { Context } from 'koa';
import { currentUser } from './authenticate';
import type { RoleHolder } from './authorize';

/**
 * Who performs an action, as a service sees it (services never see `ctx`): the signed-in user's id and roles
 * (for the service's own authorization) and the request id (for the audit entry).
 */
export interface Actor extends RoleHolder {
  requestId?: string;
}

/** The signed-in user as an Actor; AUTH_REQUIRED (or the token's refusal) when there is none, as currentUser. */
export function actorOf(ctx: Context): Actor {
  const user = currentUser(ctx);
  return { id: user.id, roles: user.roles, requestId: ctx.state.requestId as string | undefined };
}
