/**
 * The editors' desk (文章管理): every article in any state, paged by publication time; one article whole for
 * editing; edits of published and scheduled articles, audited. Publishing, pinning and withdrawing stay in
 * newsroom.service.ts.
 */
import { Types, type QueryFilter } from 'mongoose';
import type {
  ArticleBlock,
  DeskArticleCard,
  DeskArticlePage,
  DeskArticlesQuery,
  DeskArticleView,
  UpdateArticleBody,
} from '@shared/schemas/newsroom';
import type { Actor } from '../../core/auth';
import type { Clock } from '../../core/clock';
import { containsPattern, pageByKey } from '../../core/db';
import { AppError } from '../../core/errors';
import type { AuditService } from '../audit';
import type { Columns } from './columns';
import type { FeedCache } from './feed-cache';
import { ArticleModel, type ArticleDoc } from './newsroom.model';
import { firstVideo, summarise, toArticleView, toCard } from './article-views';

export interface ArticleDeskDeps {
  clock: Clock;
  cache: FeedCache;
  columns: Pick<Columns, 'requireEnabled'>;
  audit: Pick<AuditService, 'record'>;
}

function toDeskCard(doc: ArticleDoc): DeskArticleCard {
  return { ...toCard(doc), status: doc.status, updatedAt: doc.updatedAt.toISOString() };
}

export function toDeskView(doc: ArticleDoc): DeskArticleView {
  return { ...toArticleView(doc), status: doc.status, updatedAt: doc.updatedAt.toISOString() };
}

const imagesOf = (body: readonly ArticleBlock[]) => body.flatMap((b) => (b.type === 'image' ? [b.url] : []));

export function createArticleDesk({ clock, cache, columns, audit }: ArticleDeskDeps) {
  async function mustFind(id: string): Promise<ArticleDoc> {
    const doc = await ArticleModel.findById(id).lean<ArticleDoc>();
    if (!doc) throw new AppError('ARTICLE_NOT_FOUND');
    return doc;
  }

  /**
   * Edits a published or scheduled article (a withdrawn one is gone: ARTICLE_NOT_FOUND). Only what is sent
   * changes; the audit entry lists which fields did. A scheduled article given a time already past goes out now.
   */
  async function updateArticle(actor: Actor, id: string, input: UpdateArticleBody): Promise<DeskArticleView> {
    const doc = await mustFind(id);
    if (doc.status === 'withdrawn') throw new AppError('ARTICLE_NOT_FOUND');
    if (input.column !== undefined && input.column !== doc.column) await columns.requireEnabled(input.column);
    if (input.publishAt !== undefined && doc.status !== 'scheduled') throw new AppError('ARTICLE_ALREADY_PUBLISHED');
    const now = clock.now();
    const $set: Partial<ArticleDoc> = { updatedAt: now };
    const $unset: Partial<Record<keyof ArticleDoc, 1>> = {};
    const body = input.body ?? doc.body;
    if (input.title !== undefined) $set.title = input.title;
    if (input.body !== undefined) {
      $set.body = input.body;
      $set.images = imagesOf(input.body);
      const { video } = firstVideo(input.body);
      if (video) $set.video = video;
      else $unset.video = 1;
    }
    if (input.summary !== undefined) $set.summary = input.summary ?? summarise(body);
    if (input.cover !== undefined) {
      const cover = input.cover ?? imagesOf(body)[0];
      if (cover) $set.cover = cover;
      else $unset.cover = 1;
    }
    if (input.column !== undefined) $set.column = input.column;
    if (input.authorName !== undefined) $set.author = { ...doc.author, name: input.authorName };
    if (input.place !== undefined) {
      if (input.place === null) $unset.place = 1;
      else $set.place = input.place;
    }
    if (input.publishAt !== undefined) {
      const at = new Date(input.publishAt);
      $set.publishedAt = at.getTime() > now.getTime() ? at : now;
      if (at.getTime() <= now.getTime()) $set.status = 'published';
    }
    // Conditional on the state read: a withdraw or the scheduler in between makes this a fresh decision.
    const updated = await ArticleModel.findOneAndUpdate(
      { _id: new Types.ObjectId(id), status: doc.status },
      { $set, ...(Object.keys($unset).length ? { $unset } : {}) },
      { returnDocument: 'after', lean: true },
    );
    // The scheduler published it meanwhile: decide again on the new state (a withdrawal answers not found).
    if (!updated) return updateArticle(actor, id, input);
    await audit.record({
      actorId: actor.id,
      action: 'article.update',
      target: { type: 'article', id },
      details: { fields: Object.keys(input), ...(input.publishAt ? { publishAt: input.publishAt } : {}) },
      requestId: actor.requestId,
    });
    if (doc.status === 'published' || updated.status === 'published') await cache.invalidate();
    return toDeskView(updated as ArticleDoc);
  }

  return {
    /** Latest publication time first (scheduled ones on top), `(publishedAt, _id)` keyset pages. */
    async deskPage({ column, status, q, cursor, limit }: DeskArticlesQuery): Promise<DeskArticlePage> {
      const filter: QueryFilter<ArticleDoc> = {};
      if (column) filter.column = column;
      if (status) filter.status = status;
      if (q) filter.title = containsPattern(q);
      const page = await pageByKey(ArticleModel, filter, { ...(cursor ? { cursor } : {}), limit }, { key: 'publishedAt', order: -1 });
      return { items: page.docs.map(toDeskCard), nextCursor: page.nextCursor };
    },

    async deskArticle(id: string): Promise<DeskArticleView> {
      return toDeskView(await mustFind(id));
    },

    updateArticle,
  };
}
