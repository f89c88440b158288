import type { AuditEntry } from '@shared/schemas/users';

type Names = (ids: readonly string[]) => Promise<Map<string, string>>;

/**
 * The look-ups that name an audit page's actors and targets, each a batched read by the module that owns the
 * rows. Typed by shape, not as `Pick<UsersService, …>`: those modules write to the audit log, so importing their
 * types here would close a module cycle. services.ts hands the built services in.
 */
export interface AuditNamePorts {
  users: { accountNames(ids: readonly string[]): Promise<Map<string, { nickname: string; username: string | null }>> };
  circles: { circleNames: Names };
  merchants: { merchantNames: Names };
  newsroom: { articleTitles: Names; columnNames: Names };
  mall: { goodsNames: Names };
}

/** An audit entry as stored, before names are put on it. */
export type AuditRecord = Omit<AuditEntry, 'actor' | 'target'> & { target: { type: string; id: string } | null };

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
};

export function createAuditNames(ports: AuditNamePorts): AuditNames {
  return {
    async label(items) {
      const userIds = new Set<string>();
      const byKind = new Map<string, Set<string>>();
      for (const item of items) {
        if (item.actorId) userIds.add(item.actorId);
        const target = item.target;
        if (!target) continue;
        if (target.type === 'user') userIds.add(target.id);
        else if (TARGET_NAMES[target.type]) byKind.set(target.type, (byKind.get(target.type) ?? new Set()).add(target.id));
      }
      const [accounts, ...named] = await Promise.all([
        ports.users.accountNames([...userIds]),
        ...[...byKind].map(([kind, ids]) => TARGET_NAMES[kind]!(ports)([...ids])),
      ]);
      const kindNames = new Map([...byKind.keys()].map((kind, i) => [kind, named[i]!]));
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
        return { ...item, actor: actor ?? null, target: t ? { ...t, label } : null };
      });
    },
  };
}
