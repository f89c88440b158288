import { DEFAULT_COMMENT_SETTINGS, type CommentSettings, type UpdateCommentSettingsBody } from '@shared/schemas/comments';
import { authorize, type Actor } from '../../core/auth';
import type { Clock } from '../../core/clock';
import type { AuditService } from '../audit';
import type { NewsroomService } from '../newsroom';
import { CommentSettingsModel, type CommentSettingsDoc } from './comments.model';

const SETTINGS_ID = 'comments';

function toSettings(doc: CommentSettingsDoc | null): CommentSettings {
  if (!doc) return { ...DEFAULT_COMMENT_SETTINGS, columns: {} };
  return { requireApproval: doc.requireApproval, columns: { ...doc.columns }, reportThreshold: doc.reportThreshold };
}

/** Whether comments need approval (globally, per column) and how many reports hide one. Editors change them. */
export function createCommentSettings({
  clock,
  audit,
  columns,
}: {
  clock: Clock;
  audit: Pick<AuditService, 'record'>;
  /** A column's own setting is only for a configured (enabled) column; clearing one (null) is always allowed. */
  columns: Pick<NewsroomService, 'requireColumn'>;
}) {
  async function current(): Promise<CommentSettings> {
    return toSettings(await CommentSettingsModel.findById(SETTINGS_ID).lean<CommentSettingsDoc>());
  }

  return {
    current,

    async get(actor: Actor): Promise<CommentSettings> {
      authorize(actor, { role: 'editor' });
      return current();
    },

    /** A column set to null follows the global setting again. */
    async update(actor: Actor, patch: UpdateCommentSettingsBody): Promise<CommentSettings> {
      authorize(actor, { role: 'editor' });
      for (const [column, value] of Object.entries(patch.columns ?? {})) if (value !== null) await columns.requireColumn(column);
      const before = await current();
      const $set: Record<string, unknown> = { updatedAt: clock.now() };
      const $unset: Record<string, 1> = {};
      if (patch.requireApproval !== undefined) $set.requireApproval = patch.requireApproval;
      if (patch.reportThreshold !== undefined) $set.reportThreshold = patch.reportThreshold;
      for (const [column, value] of Object.entries(patch.columns ?? {})) {
        if (value === null) $unset[`columns.${column}`] = 1;
        else $set[`columns.${column}`] = value;
      }
      const $setOnInsert: Record<string, unknown> = {};
      if (!('requireApproval' in $set)) $setOnInsert.requireApproval = DEFAULT_COMMENT_SETTINGS.requireApproval;
      if (!('reportThreshold' in $set)) $setOnInsert.reportThreshold = DEFAULT_COMMENT_SETTINGS.reportThreshold;
      const doc = await CommentSettingsModel.findOneAndUpdate(
        { _id: SETTINGS_ID },
        { $set, $setOnInsert, ...(Object.keys($unset).length > 0 ? { $unset } : {}) },
        { upsert: true, returnDocument: 'after', lean: true },
      );
      const after = toSettings(doc as CommentSettingsDoc | null);
      await audit.record({
        actorId: actor.id,
        action: 'comments.settings',
        target: { type: 'comment_settings', id: SETTINGS_ID },
        details: { before, after },
        requestId: actor.requestId,
      });
      return after;
    },
  };
}

export type CommentSettingsStore = ReturnType<typeof createCommentSettings>;
