import type { AuditEntry } from '@shared/schemas/users';

type Names = (ids: readonly string[]) => Promise<Map<string, string>>;

/**
 * The look-ups that name an audit page's actors and targets, each a batched read by the module that owns the
 * rows. Typed by shape, not as `Pick<UsersService, …>`: those modules write to the audit log, so importing their
 * types here would close a module cycle. services.ts hands the built services in.
 */
export interface AuditNamePorts {
  users: { accountNames(ids: readonly string[]): Promise<Map<string, { nickname: string; username: string | null }>> };
  circles: { circleNames: Names; channelNames: Names };
  volunteers: { teamNames: Names };
  wenzheng: { departmentNames: Names };
  merchants: { merchantNames: Names };
  newsroom: { articleTitles: Names; columnNames: Names };
  mall: { goodsNames: Names };
}

/** An audit entry as stored, before names are put on it. */
export type AuditRecord = Omit<AuditEntry, 'actor' | 'target' | 'names'> & { target: { type: string; id: string } | null };

export interface AuditNames {
  /** Puts names on a page of entries: one query per kind of thing on the page, all at once. */
  label(items: readonly AuditRecord[]): Promise<AuditEntry[]>;
}

/** Target kinds whose name some module can read; a user target is named with the actors, in the same query. */
const TARGET_NAMES: Record<string, (ports: AuditNamePorts) => Names> = {
  circle: (p) => (ids) => p.circles.circleNames(ids),
  merchant: (p) => (ids) => p.merchants.merchantNames(ids),
  article: (p) => (ids) => p.newsroom.articleTitles(ids),
  column: (p) => (ids) => p.newsroom.columnNames(ids),
  goods: (p) => (ids) => p.mall.goodsNames(ids),
  channel: (p) => (ids) => p.circles.channelNames(ids),
  team: (p) => (ids) => p.volunteers.teamNames(ids),
};

/** Scope kinds of role grants whose name some module can read (a grid or an outlet is shown by its id). */
const SCOPE_NAMES: Record<string, (ports: AuditNamePorts) => Names> = {
  circle: TARGET_NAMES.circle!,
  merchant: TARGET_NAMES.merchant!,
  team: TARGET_NAMES.team!,
  department: (p) => (codes) => p.wenzheng.departmentNames(codes),
};

/** The person an entry's details mention (`userId`: a channel's admin added or removed), if any. */
function userIn(details: Record<string, unknown>): string | null {
  return typeof details.userId === 'string' ? details.userId : null;
}

/** The scopes an entry's details mention: a role grant or revocation (`grant`), a staff account's roles (`roles`). */
function scopesIn(details: Record<string, unknown>): Array<{ type: string; id: string }> {
  const grants = [details.grant, ...(Array.isArray(details.roles) ? details.roles : [])];
  return grants.flatMap((g) => {
    const scope = (g as { scope?: unknown } | null | undefined)?.scope as { type?: unknown; id?: unknown } | undefined;
    return scope && typeof scope.type === 'string' && typeof scope.id === 'string' ? [{ type: scope.type, id: scope.id }] : [];
  });
}

export function createAuditNames(ports: AuditNamePorts): AuditNames {
  return {
    async label(items) {
      const userIds = new Set<string>();
      const byKind = new Map<string, Set<string>>();
      const byScope = new Map<string, Set<string>>();
      const add = (map: Map<string, Set<string>>, kind: string, id: string) => map.set(kind, (map.get(kind) ?? new Set()).add(id));
      for (const item of items) {
        if (item.actorId) userIds.add(item.actorId);
        const mentioned = userIn(item.details);
        if (mentioned) userIds.add(mentioned);
        for (const scope of scopesIn(item.details)) if (SCOPE_NAMES[scope.type]) add(byScope, scope.type, scope.id);
        const target = item.target;
        if (!target) continue;
        if (target.type === 'user') userIds.add(target.id);
        else if (TARGET_NAMES[target.type]) add(byKind, target.type, target.id);
      }
      const lookups = [...[...byKind].map(([kind, ids]) => TARGET_NAMES[kind]!(ports)([...ids]))];
      const scopeLookups = [...byScope].map(([kind, ids]) => SCOPE_NAMES[kind]!(ports)([...ids]));
      const [accounts, named, scoped] = await Promise.all([
        ports.users.accountNames([...userIds]),
        Promise.all(lookups),
        Promise.all(scopeLookups),
      ]);
      const kindNames = new Map([...byKind.keys()].map((kind, i) => [kind, named[i]!]));
      const scopeNames = new Map([...byScope.keys()].map((kind, i) => [kind, scoped[i]!]));
      const userLabel = (id: string) => {
        const a = accounts.get(id);
        return a ? (a.username ? `${a.nickname}（${a.username}）` : a.nickname) : null;
      };
      return items.map((item) => {
        const actor = item.actorId ? accounts.get(item.actorId) : undefined;
        const t = item.target;
        const label = !t
          ? null
          : t.type === 'user'
            ? userLabel(t.id)
            : t.type === 'username'
              ? t.id
              : (kindNames.get(t.type)?.get(t.id) ?? null);
        const names: Record<string, string> = {};
        for (const scope of scopesIn(item.details)) {
          const name = scopeNames.get(scope.type)?.get(scope.id);
          if (name) names[`${scope.type}:${scope.id}`] = name;
        }
        const mentioned = userIn(item.details);
        const person = mentioned ? userLabel(mentioned) : null;
        if (mentioned && person) names[`user:${mentioned}`] = person;
        return { ...item, actor: actor ?? null, target: t ? { ...t, label } : null, names };
      });
    },
  };
}
