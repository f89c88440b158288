/**
 * Columns (栏目) as admins configure them: create, rename, switch off, choose which are 首页 tabs, reorder.
 * The six default columns are seeded into every database the first time columns are read (idempotent upserts),
 * so existing articles, the feed and older clients keep their columns. The public list is served from the feed
 * cache and every change invalidates it (the same version bump a publish does).
 */
import {
  ARTICLE_COLUMN_LABELS,
  DEFAULT_COLUMNS,
  DEFAULT_HOME_TAB_COLUMNS,
  MAX_COLUMNS,
  type ColumnView,
  type CreateColumnBody,
  type PublicColumnListResponse,
  type UpdateColumnBody,
} from '@shared/schemas/newsroom';
import type { Actor } from '../../core/auth';
import type { Clock } from '../../core/clock';
import { isDuplicateKey } from '../../core/db';
import { AppError } from '../../core/errors';
import type { AuditService } from '../audit';
import { ColumnModel, type ColumnDoc } from './column.model';
import type { CachedJson, FeedCache } from './feed-cache';
import { ArticleModel } from './newsroom.model';

/** The feed cache's key for the public column list. */
export const COLUMNS_CACHE_KEY = 'columns';

export interface ColumnsDeps {
  clock: Clock;
  cache: FeedCache;
  audit: Pick<AuditService, 'record'>;
}

function toView(doc: ColumnDoc): ColumnView {
  return {
    key: doc.key,
    name: doc.name,
    order: doc.order,
    enabled: doc.enabled,
    homeTab: doc.homeTab,
    builtin: doc.builtin,
    createdAt: doc.createdAt.toISOString(),
    updatedAt: doc.updatedAt.toISOString(),
  };
}

export type Columns = ReturnType<typeof createColumns>;

export function createColumns({ clock, cache, audit }: ColumnsDeps) {
  let seeded: Promise<void> | null = null;
  /** The defaults, inserted where missing (never overwriting an admin's edits); once per process. */
  function ensureDefaults(): Promise<void> {
    seeded ??= (async () => {
      const now = clock.now();
      try {
        await ColumnModel.bulkWrite(
          DEFAULT_COLUMNS.map((key, order) => ({
            updateOne: {
              filter: { key },
              update: {
                $setOnInsert: {
                  key,
                  name: ARTICLE_COLUMN_LABELS[key],
                  order,
                  enabled: true,
                  homeTab: DEFAULT_HOME_TAB_COLUMNS.includes(key),
                  builtin: true,
                  createdAt: now,
                  updatedAt: now,
                },
              },
              upsert: true,
            },
          })),
          { ordered: false },
        );
      } catch (err) {
        // Another process seeding at the same moment: its insert is as good as ours.
        if (!isDuplicateKey(err)) throw err;
      }
    })().catch((err: unknown) => {
      seeded = null;
      throw err;
    });
    return seeded;
  }

  async function all(): Promise<ColumnDoc[]> {
    await ensureDefaults();
    const read = () => ColumnModel.find().sort({ order: 1, _id: 1 }).lean<ColumnDoc[]>();
    const docs = await read();
    if (docs.length > 0) return docs;
    // The defaults can't be deleted: none at all means the collection was emptied under this process (a restore).
    seeded = null;
    await ensureDefaults();
    return read();
  }

  function publicJson(): Promise<CachedJson> {
    return cache.get(COLUMNS_CACHE_KEY, async () => {
      const docs = (await all()).filter((d) => d.enabled);
      const body: PublicColumnListResponse = { items: docs.map((d) => ({ key: d.key, name: d.name, homeTab: d.homeTab })) };
      return JSON.stringify(body);
    });
  }

  // The enabled keys, parsed once per cached body: checking a feed query's column costs a Map lookup.
  const parsed = new WeakMap<Buffer, ReadonlySet<string>>();
  async function enabledKeys(): Promise<ReadonlySet<string>> {
    const { body } = await publicJson();
    let keys = parsed.get(body);
    if (!keys) {
      keys = new Set((JSON.parse(body.toString('utf8')) as PublicColumnListResponse).items.map((c) => c.key));
      parsed.set(body, keys);
    }
    return keys;
  }

  async function mustFind(key: string): Promise<ColumnDoc> {
    await ensureDefaults();
    const doc = await ColumnModel.findOne({ key }).lean<ColumnDoc>();
    if (!doc) throw new AppError('COLUMN_NOT_FOUND');
    return doc;
  }

  const audited = (actor: Actor, action: string, key: string, details: Record<string, unknown>) =>
    audit.record({ actorId: actor.id, action, target: { type: 'column', id: key }, details, requestId: actor.requestId });

  return {
    /** `{ items }` of the enabled columns in order, serialised once per feed version. */
    publicJson,

    /** COLUMN_UNKNOWN unless `key` is an enabled column (feed queries, new and edited articles, approvals). */
    async requireEnabled(key: string): Promise<void> {
      if (!(await enabledKeys()).has(key)) throw new AppError('COLUMN_UNKNOWN', { details: { column: key } });
    },

    /** Names of several columns by key, switched-off ones too (the audit log names its targets). */
    async columnNames(keys: readonly string[]): Promise<Map<string, string>> {
      if (keys.length === 0) return new Map();
      const docs = await ColumnModel.find({ key: { $in: [...new Set(keys)] } }, { key: 1, name: 1 }).lean<
        Pick<ColumnDoc, 'key' | 'name'>[]
      >();
      return new Map(docs.map((d) => [d.key, d.name]));
    },

    /** Every column, switched-off ones too, in order (admins). */
    async list(): Promise<ColumnView[]> {
      return (await all()).map(toView);
    },

    async create(actor: Actor, input: CreateColumnBody): Promise<ColumnView> {
      const existing = await all();
      if (existing.some((c) => c.key === input.key)) throw new AppError('COLUMN_KEY_TAKEN');
      if (existing.length >= MAX_COLUMNS) throw new AppError('COLUMN_LIMIT', { message: `栏目最多 ${MAX_COLUMNS} 个` });
      const now = clock.now();
      let created: ColumnDoc;
      try {
        const doc = await ColumnModel.create({
          ...input,
          order: Math.max(-1, ...existing.map((c) => c.order)) + 1,
          builtin: false,
          createdAt: now,
          updatedAt: now,
        });
        created = doc.toObject() as ColumnDoc;
      } catch (err) {
        if (isDuplicateKey(err)) throw new AppError('COLUMN_KEY_TAKEN');
        throw err;
      }
      await audited(actor, 'column.create', input.key, { ...input });
      await cache.invalidate();
      return toView(created);
    },

    async update(actor: Actor, key: string, patch: UpdateColumnBody): Promise<ColumnView> {
      await ensureDefaults();
      const doc = await ColumnModel.findOneAndUpdate(
        { key },
        { $set: { ...patch, updatedAt: clock.now() } },
        { returnDocument: 'after', lean: true },
      );
      if (!doc) throw new AppError('COLUMN_NOT_FOUND');
      await audited(actor, 'column.update', key, { ...patch });
      await cache.invalidate();
      return toView(doc as ColumnDoc);
    },

    /** Only a column an admin added and no article is in (a default or a used one can be switched off instead). */
    async remove(actor: Actor, key: string): Promise<void> {
      const doc = await mustFind(key);
      if (doc.builtin) throw new AppError('COLUMN_BUILTIN');
      if (await ArticleModel.exists({ column: key })) throw new AppError('COLUMN_IN_USE');
      await ColumnModel.deleteOne({ _id: doc._id });
      await audited(actor, 'column.delete', key, { name: doc.name });
      await cache.invalidate();
    },

    /** A new order: every column's key exactly once (a list made before someone added or removed one is stale). */
    async reorder(actor: Actor, keys: readonly string[]): Promise<ColumnView[]> {
      const current = await all();
      const known = new Set(current.map((c) => c.key));
      if (keys.length !== known.size || keys.some((k) => !known.has(k))) throw new AppError('COLUMN_ORDER_STALE');
      const now = clock.now();
      await ColumnModel.bulkWrite(
        keys.map((key, order) => ({ updateOne: { filter: { key }, update: { $set: { order, updatedAt: now } } } })),
        { ordered: false },
      );
      await audit.record({ actorId: actor.id, action: 'column.reorder', details: { keys }, requestId: actor.requestId });
      await cache.invalidate();
      return (await all()).map(toView);
    },
  };
}
