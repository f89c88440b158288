import { createArticleFigures } from './article-figures';
import { Types, type ClientSession, type QueryFilter } from 'mongoose';
import type {
  ArticleBlock,
  ArticleCard,
  ArticleColumn,
  ArticleView,
  CreateArticleBody,
  FeedQuery,
  LikeResponse,
  ReadResponse,
} from '@shared/schemas/newsroom';
import { MAX_HEADLINES } from '@shared/schemas/newsroom';
import type { Actor } from '../../core/auth';
import type { Clock } from '../../core/clock';
import { containsPattern, createOrExisting, isDuplicateKey } from '../../core/db';
import { AppError } from '../../core/errors';
import { shanghaiDay } from '../../core/time';
import type { AuditService } from '../audit';
import { createArticleDesk } from './article-desk';
import { firstVideo, summarise, toArticleView, toCard } from './article-views';
import { createColumns } from './columns';
import type { CachedJson, FeedCache } from './feed-cache';
import { ArticleLikeModel, ArticleModel, ArticleReadModel, type ArticleDoc, type ArticleReadDoc } from './newsroom.model';

/** Pays reading points (the points ledger applies its own per-day caps). Returns the points credited. */
export interface ReadingRewards {
  rewardRead(input: { userId: string; articleId: string; day: string; title: string }): Promise<number>;
}

export interface NewsroomServiceDeps {
  clock: Clock;
  cache: FeedCache;
  rewards: ReadingRewards;
  audit: Pick<AuditService, 'record'>;
  /** Runs `fn` in one MongoDB transaction (retried on transient errors). */
  transaction<T>(fn: (session: ClientSession) => Promise<T>): Promise<T>;
}

/** What the submissions workflow hands over when an approved piece goes out. */
export interface PublishFromSubmission {
  submissionId: string;
  title: string;
  text: string;
  images: string[];
  videoUrl: string | null;
  column: ArticleColumn;
  author: { userId: string; name: string };
  /** 责任编辑: the editor who approved it. */
  editor?: { userId: string | null; name: string } | null;
  circleId: string | null;
  place: string | null;
  publishAt: Date;
}

/** Re-exported: the module's public API and its tests name the day of the reading reward by it. */

function encodeCursor(doc: Pick<ArticleDoc, 'publishedAt' | '_id'>): string {
  return Buffer.from(`${doc.publishedAt.getTime()}:${doc._id.toHexString()}`).toString('base64url');
}

function decodeCursor(cursor: string): { at: Date; id: Types.ObjectId } {
  const [ms, id] = Buffer.from(cursor, 'base64url').toString('utf8').split(':');
  const at = new Date(Number(ms));
  if (!ms || !id || Number.isNaN(at.getTime()) || !/^[0-9a-f]{24}$/.test(id)) {
    throw new AppError('VALIDATION_FAILED', {
      message: '分页游标无效',
      details: { issues: [{ location: 'query', path: 'cursor', code: 'invalid_cursor', message: '分页游标无效' }] },
    });
  }
  return { at, id: new Types.ObjectId(id) };
}

/** Plain text → paragraphs (blank-line or newline separated); images after the text. */
export function blocksFromText(text: string, images: readonly string[], videoUrl: string | null): ArticleBlock[] {
  const paragraphs = text
    .split(/\n+/)
    .map((p) => p.trim())
    .filter(Boolean)
    .map((p): ArticleBlock => ({ type: 'paragraph', text: p }));
  return [
    ...paragraphs,
    ...images.map((url): ArticleBlock => ({ type: 'image', url })),
    ...(videoUrl ? [{ type: 'video' as const, url: videoUrl }] : []),
  ];
}

/** The feed cache's key for one feed page (the validated query). */
export function feedCacheKey(query: FeedQuery): string {
  return `feed|${query.column ?? ''}|${query.kind ?? ''}|${query.cursor ?? ''}|${query.limit}`;
}

/** The feed cache's key for the carousel's pinned headlines. */
export const HEADLINES_CACHE_KEY = 'headlines';

/** The feed cache's key for one article page (a validated id). */
export function articleCacheKey(id: string): string {
  return `article|${id}`;
}

export type NewsroomService = ReturnType<typeof createNewsroomService>;

export { toArticleView, toCard } from './article-views';

export function createNewsroomService({ clock, cache, rewards, audit, transaction }: NewsroomServiceDeps) {
  const columns = createColumns({ clock, cache, audit });
  const desk = createArticleDesk({ clock, cache, columns, audit });
  const audited = (actor: Actor, action: string, id: string, details: Record<string, unknown> = {}) =>
    audit.record({ actorId: actor.id, action, target: { type: 'article', id }, details, requestId: actor.requestId });

  async function mustFindPublished(id: string): Promise<ArticleDoc> {
    const doc = await ArticleModel.findOne({ _id: id, status: 'published' }).lean<ArticleDoc>();
    if (!doc) throw new AppError('ARTICLE_NOT_FOUND');
    return doc;
  }

  async function feedPage({ column, kind, cursor, limit }: FeedQuery): Promise<{ items: ArticleCard[]; nextCursor: string | null }> {
    const filter: QueryFilter<ArticleDoc> = { status: 'published' };
    if (column) filter.column = column;
    if (kind === 'news') filter.sponsored = { $ne: true };
    else if (kind === 'promotion') filter.sponsored = true;
    if (cursor) {
      const { at, id } = decodeCursor(cursor);
      filter.$or = [{ publishedAt: { $lt: at } }, { publishedAt: at, _id: { $lt: id } }];
    }
    const docs = await ArticleModel.find(filter)
      .sort({ publishedAt: -1, _id: -1 })
      .limit(limit + 1)
      .select('-body')
      .lean<ArticleDoc[]>();
    const page = docs.slice(0, limit);
    const last = page.at(-1);
    return { items: page.map(toCard), nextCursor: docs.length > limit && last ? encodeCursor(last) : null };
  }

  async function insertArticle(
    doc: Omit<ArticleDoc, '_id' | 'reads' | 'anonymousReads' | 'likes' | 'createdAt' | 'updatedAt' | 'status'>,
  ): Promise<ArticleDoc> {
    const now = clock.now();
    const status = doc.publishedAt.getTime() > now.getTime() ? 'scheduled' : 'published';
    const created = await ArticleModel.create({
      ...doc,
      ...firstVideo(doc.body),
      status,
      reads: 0,
      anonymousReads: 0,
      likes: 0,
      createdAt: now,
      updatedAt: now,
    });
    if (status === 'published') await cache.invalidate();
    return created.toObject() as ArticleDoc;
  }

  /** An article written by the editorial team; a future `publishAt` schedules it. */
  async function createEditorArticle(
    editor: { id: string; name: string },
    input: CreateArticleBody,
    options: { sponsored?: boolean } = {},
  ): Promise<ArticleView> {
    const images = input.body.flatMap((b) => (b.type === 'image' ? [b.url] : []));
    const doc = await insertArticle({
      title: input.title,
      summary: input.summary ?? summarise(input.body),
      body: input.body,
      ...(input.cover ? { cover: input.cover } : images[0] ? { cover: images[0] } : {}),
      images,
      column: input.column,
      author: { kind: 'editor', userId: new Types.ObjectId(editor.id), name: input.authorName ?? editor.name },
      ...(input.place ? { place: input.place } : {}),
      ...(input.pinned ? { pinnedAt: clock.now() } : {}),
      ...(options.sponsored ? { sponsored: true } : {}),
      publishedAt: input.publishAt ? new Date(input.publishAt) : clock.now(),
    });
    return toArticleView(doc);
  }

  return {
    ...createArticleFigures(),
    ...desk,
    /** Admin-configured columns (栏目): the public list, the admins' CRUD and the check of a column key. */
    columns,
    /** COLUMN_UNKNOWN unless `key` is an enabled column (the editors' approval of a piece names one). */
    requireColumn: columns.requireEnabled,
    columnNames: columns.columnNames,
    /** The feed page serialised once per feed version, served from the cache (see feed-cache.ts). */
    async feedJson(query: FeedQuery): Promise<CachedJson> {
      if (query.column !== undefined) await columns.requireEnabled(query.column);
      return cache.get(feedCacheKey(query), async () => JSON.stringify(await feedPage(query)));
    },

    feedPage,

    /** The carousel's pinned headlines (published, most recently pinned first), cached like the feed. */
    headlinesJson(): Promise<CachedJson> {
      return cache.get(HEADLINES_CACHE_KEY, async () => {
        const docs = await ArticleModel.find({ status: 'published', pinnedAt: { $exists: true } })
          .sort({ pinnedAt: -1, _id: -1 })
          .limit(MAX_HEADLINES)
          .select('-body')
          .lean<ArticleDoc[]>();
        return JSON.stringify({ items: docs.map(toCard) });
      });
    },

    /** Pins an article to the home carousel or takes it off (editors). */
    async pin(actor: Actor, id: string, pinned: boolean): Promise<{ id: string; pinned: boolean }> {
      const now = clock.now();
      const res = await ArticleModel.updateOne(
        { _id: id, status: { $ne: 'withdrawn' } },
        pinned ? { $set: { pinnedAt: now, updatedAt: now } } : { $unset: { pinnedAt: 1 }, $set: { updatedAt: now } },
      );
      if (res.matchedCount === 0) throw new AppError('ARTICLE_NOT_FOUND');
      await audited(actor, pinned ? 'article.pin' : 'article.unpin', id);
      await cache.invalidate();
      return { id, pinned };
    },

    /**
     * Published articles whose title or summary contains the words, newest first; `offset`/`limit` page
     * through them (search results are few; a keyset cursor buys nothing here).
     */
    async search(q: string, offset: number, limit: number): Promise<{ items: ArticleCard[]; more: boolean }> {
      const re = containsPattern(q);
      const docs = await ArticleModel.find({ status: 'published', $or: [{ title: re }, { summary: re }] })
        .sort({ publishedAt: -1, _id: -1 })
        .skip(offset)
        .limit(limit + 1)
        .select('-body')
        .lean<ArticleDoc[]>();
      return { items: docs.slice(0, limit).map(toCard), more: docs.length > limit };
    },

    /** `{ article }` serialised, cached like the feed. */
    articleJson(id: string): Promise<CachedJson> {
      return cache.get(articleCacheKey(id), async () => JSON.stringify({ article: toArticleView(await mustFindPublished(id)) }));
    },

    async getArticle(id: string): Promise<ArticleView> {
      return toArticleView(await mustFindPublished(id));
    },

    /** The article page's 相关阅读: newest published stories of the same circle or the same column, not itself. */
    async related(id: string, limit: number): Promise<ArticleCard[]> {
      const article = await mustFindPublished(id);
      const docs = await ArticleModel.find({
        status: 'published',
        _id: { $ne: article._id },
        $or: [{ column: article.column }, ...(article.circleId ? [{ circleId: article.circleId }] : [])],
      })
        .sort({ publishedAt: -1, _id: -1 })
        .limit(limit)
        .select('-body')
        .lean<ArticleDoc[]>();
      return docs.map(toCard);
    },

    /** Published work of one circle, newest first (the circle page). */
    async recentByCircle(circleId: string, limit = 10): Promise<ArticleCard[]> {
      const docs = await ArticleModel.find({ circleId, status: 'published' })
        .sort({ publishedAt: -1, _id: -1 })
        .limit(limit)
        .select('-body')
        .lean<ArticleDoc[]>();
      return docs.map(toCard);
    },

    createEditorArticle,

    /** POST /articles: an editor's article in an enabled column, audited. */
    async writeArticle(actor: Actor, byline: string, input: CreateArticleBody): Promise<ArticleView> {
      await columns.requireEnabled(input.column);
      const article = await createEditorArticle({ id: actor.id, name: byline }, input);
      await audited(actor, 'article.create', article.id, {
        column: input.column,
        ...(input.publishAt ? { publishAt: input.publishAt } : {}),
        ...(input.pinned ? { pinned: true } : {}),
      });
      return article;
    },

    /**
     * The article for an approved submission. Idempotent by submission id (a retried publish or two
     * racing jobs yield the one article).
     */
    async publishFromSubmission(input: PublishFromSubmission): Promise<ArticleView> {
      const existing = await ArticleModel.findOne({ submissionId: input.submissionId }).lean<ArticleDoc>();
      if (existing) return toArticleView(existing);
      const body = blocksFromText(input.text, input.images, input.videoUrl);
      const doc = await createOrExisting(
        () =>
          insertArticle({
            title: input.title,
            summary: summarise(body),
            body,
            ...(input.images[0] ? { cover: input.images[0] } : {}),
            images: input.images,
            column: input.column,
            author: { kind: 'correspondent', userId: new Types.ObjectId(input.author.userId), name: input.author.name },
            ...(input.editor
              ? { editor: { ...(input.editor.userId ? { userId: new Types.ObjectId(input.editor.userId) } : {}), name: input.editor.name } }
              : {}),
            ...(input.circleId ? { circleId: new Types.ObjectId(input.circleId) } : {}),
            ...(input.place ? { place: input.place } : {}),
            submissionId: new Types.ObjectId(input.submissionId),
            publishedAt: input.publishAt,
          }),
        () => ArticleModel.findOne({ submissionId: input.submissionId }).lean<ArticleDoc>(),
      );
      return toArticleView(doc);
    },

    /** Scheduled articles whose time has come go live (the publish-scheduled job). */
    async publishDue(now: Date = clock.now()): Promise<number> {
      const res = await ArticleModel.updateMany(
        { status: 'scheduled', publishedAt: { $lte: now } },
        { $set: { status: 'published', updatedAt: now } },
      );
      if (res.modifiedCount > 0) await cache.invalidate();
      return res.modifiedCount;
    },

    /** Titles of several articles at once, any state (the audit log names its targets). */
    async articleTitles(ids: readonly string[]): Promise<Map<string, string>> {
      const valid = [...new Set(ids)].filter((id) => Types.ObjectId.isValid(id));
      if (valid.length === 0) return new Map();
      const docs = await ArticleModel.find({ _id: { $in: valid } }, { title: 1 }).lean<Pick<ArticleDoc, '_id' | 'title'>[]>();
      return new Map(docs.map((d) => [d._id.toHexString(), d.title]));
    },

    /** Total reads of some articles (a campaign's figures). */
    async totalReads(ids: readonly string[]): Promise<number> {
      const valid = ids.filter((id) => Types.ObjectId.isValid(id)).map((id) => new Types.ObjectId(id));
      if (valid.length === 0) return 0;
      const docs = await ArticleModel.find({ _id: { $in: valid } }, { reads: 1 }).lean<Pick<ArticleDoc, 'reads'>[]>();
      return docs.reduce((sum, d) => sum + (d.reads ?? 0), 0);
    },

    async withdraw(actor: Actor, id: string): Promise<void> {
      const res = await ArticleModel.updateOne(
        { _id: id, status: { $ne: 'withdrawn' } },
        { $set: { status: 'withdrawn', updatedAt: clock.now() } },
      );
      if (res.matchedCount === 0) throw new AppError('ARTICLE_NOT_FOUND');
      await audited(actor, 'article.withdraw', id);
      await cache.invalidate();
    },

    /**
     * Counts a read: signed-in readers once per article per Shanghai day (a unique index decides, so
     * concurrent opens count once) and earn reading points; anonymous reads are counted apart.
     */
    async recordRead(id: string, userId: string | null): Promise<ReadResponse> {
      const article = await mustFindPublished(id);
      const now = clock.now();
      if (!userId) {
        const doc = await ArticleModel.findByIdAndUpdate(id, { $inc: { anonymousReads: 1 } }, { returnDocument: 'after', lean: true });
        return { counted: true, reads: doc?.reads ?? article.reads, likes: doc?.likes ?? article.likes, liked: false, points: 0 };
      }
      const day = shanghaiDay(now);
      const key = { articleId: article._id, userId: new Types.ObjectId(userId), day };
      // One read per reader, article and Shanghai day (the unique key). Its record and the article's counter
      // commit together, marked unpaid; the points follow under the ledger's own key for the read, then the
      // mark goes. A retry after a lost answer (the commit landed, or the points did) finds the mark and
      // finishes the same read: the counter is never bumped twice, the points are paid once.
      // Looked up first: most repeat reads end here, without a transaction. Inside it the lookup is repeated on
      // the snapshot; a concurrent first read of the same key makes one of the two conflict and retry.
      const find = (session?: ClientSession) =>
        ArticleReadModel.findOne(key, { unpaid: 1 })
          .session(session ?? null)
          .lean<Pick<ArticleReadDoc, '_id' | 'unpaid'>>();
      let found = await find();
      let doc: Pick<ArticleDoc, 'reads' | 'likes'> | null = article;
      if (!found) {
        const outcome = await transaction(async (session) => {
          const existing = await find(session);
          if (existing) return { existing, doc: null };
          await ArticleReadModel.create([{ ...key, at: now, unpaid: true }], { session });
          const updated = await ArticleModel.findByIdAndUpdate(
            id,
            { $inc: { reads: 1 } },
            { session, returnDocument: 'after', lean: true },
          );
          return { existing: null, doc: updated };
        });
        found = outcome.existing;
        if (!found) doc = outcome.doc;
      }
      // Whoever settles the read answers for it (counted, with its points): the first attempt, or the retry of
      // one whose answer was lost. Concurrent opens may all ask the ledger (it pays once), but one clears the mark.
      let counted = false;
      let points = 0;
      if (!found || found.unpaid === true) {
        const paid = await rewards.rewardRead({ userId, articleId: id, day, title: article.title });
        const settled = await ArticleReadModel.updateOne({ ...key, unpaid: true }, { $unset: { unpaid: 1 } });
        if (settled.modifiedCount === 1) {
          counted = true;
          points = paid;
        }
      }
      const liked = (await ArticleLikeModel.exists({ articleId: article._id, userId })) !== null;
      return { counted, reads: doc?.reads ?? article.reads, likes: doc?.likes ?? article.likes, liked, points };
    },

    /** One like per person (unique index); liking twice changes nothing. */
    async like(id: string, userId: string): Promise<LikeResponse> {
      const article = await mustFindPublished(id);
      try {
        await ArticleLikeModel.create({ articleId: article._id, userId: new Types.ObjectId(userId), at: clock.now() });
        const doc = await ArticleModel.findByIdAndUpdate(id, { $inc: { likes: 1 } }, { returnDocument: 'after', lean: true });
        return { liked: true, likes: doc?.likes ?? article.likes + 1 };
      } catch (err) {
        if (!isDuplicateKey(err)) throw err;
        return { liked: true, likes: article.likes };
      }
    },

    async unlike(id: string, userId: string): Promise<LikeResponse> {
      const article = await mustFindPublished(id);
      const res = await ArticleLikeModel.deleteOne({ articleId: article._id, userId });
      if (res.deletedCount === 0) return { liked: false, likes: article.likes };
      const doc = await ArticleModel.findByIdAndUpdate(id, { $inc: { likes: -1 } }, { returnDocument: 'after', lean: true });
      return { liked: false, likes: doc?.likes ?? article.likes - 1 };
    },

    /** Seed support: whether the article of this natural key is in (its pictures are stored only when not). */
    async hasSeedArticle(seedKey: string): Promise<boolean> {
      return (await ArticleModel.exists({ seedKey })) !== null;
    },

    /** Seed support: insert once per natural key. */
    async seedArticle(
      seedKey: string,
      input: Omit<ArticleDoc, '_id' | 'reads' | 'anonymousReads' | 'likes' | 'createdAt' | 'updatedAt' | 'status' | 'seedKey'> & {
        reads?: number;
        likes?: number;
      },
    ): Promise<boolean> {
      if (await ArticleModel.exists({ seedKey })) return false;
      const now = clock.now();
      await ArticleModel.create({
        ...input,
        ...firstVideo(input.body),
        seedKey,
        status: 'published',
        reads: input.reads ?? 0,
        anonymousReads: 0,
        likes: input.likes ?? 0,
        createdAt: now,
        updatedAt: now,
      });
      await cache.invalidate();
      return true;
    },
  };
}
