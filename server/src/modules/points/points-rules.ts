import type { ClientSession, Types } from 'mongoose';
import { EARN_SOURCES, type EarnSource, type PointsRule, type UpdateRuleBody } from '@shared/schemas/points';
import type { Clock } from '../../core/clock';
import { oid } from '../../core/db';
import { AppError } from '../../core/errors';
import { daysOfMonth } from '../../core/time';
import type { AuditService } from '../audit';
import { PointsEntryModel, PointsRuleModel, PointsSettingsModel, type PointsEntryDoc, type PointsRuleDoc } from './points.model';

/** Earning rules and caps, and the expiry period of new lots: what admins set, and the defaults until they do. */

export const DEFAULT_EXPIRY_DAYS = 365;

/** Rules in force until an admin sets one (reading: 5 an article, at most 50 a day). */
export const DEFAULT_RULES: Readonly<Record<EarnSource, Omit<PointsRule, 'source'>>> = {
  reading: { amount: 5, dailyCap: 50, monthlyCap: null, enabled: true },
  volunteer: { amount: 10, dailyCap: 100, monthlyCap: null, enabled: true },
  contribution: { amount: 20, dailyCap: null, monthlyCap: null, enabled: true },
  contest: { amount: 0, dailyCap: null, monthlyCap: null, enabled: true },
  civic: { amount: 10, dailyCap: 50, monthlyCap: null, enabled: true },
};

export function ruleOf(source: EarnSource, doc: PointsRuleDoc | null): PointsRule {
  const d = DEFAULT_RULES[source];
  return doc
    ? { source, amount: doc.amount, dailyCap: doc.dailyCap ?? null, monthlyCap: doc.monthlyCap ?? null, enabled: doc.enabled }
    : { source, ...d };
}

/** What earnings of `source` the user got on a day (YYYY-MM-DD) or in a month (YYYY-MM), inside the transaction. */
export async function earnedSince(
  session: ClientSession,
  userId: Types.ObjectId,
  source: EarnSource,
  field: 'day' | 'month',
  value: string,
): Promise<number> {
  // A month is read through the {userId, source, day} index as its days (an entry's month is its day's).
  const day = field === 'day' ? value : { $in: daysOfMonth(value) };
  const docs = await PointsEntryModel.find({ userId, source, day }, { amount: 1 })
    .session(session)
    .lean<Pick<PointsEntryDoc, 'amount'>[]>();
  return docs.reduce((sum, d) => sum + d.amount, 0);
}

export interface PointsRulesDeps {
  clock: Clock;
  audit: Pick<AuditService, 'record'>;
}

type Actor = { id: string; requestId?: string };

export function createPointsRules(deps: PointsRulesDeps) {
  const { clock } = deps;

  async function expiryDays(): Promise<number> {
    const doc = await PointsSettingsModel.findById('global').lean();
    return doc?.expiryDays ?? DEFAULT_EXPIRY_DAYS;
  }

  async function getRule(source: EarnSource): Promise<PointsRule> {
    return ruleOf(source, await PointsRuleModel.findById(source).lean<PointsRuleDoc>());
  }

  return {
    expiryDays,
    getRule,

    async rules(): Promise<{ rules: PointsRule[]; expiryDays: number }> {
      const docs = await PointsRuleModel.find({}).lean<PointsRuleDoc[]>();
      const byId = new Map(docs.map((d) => [d._id, d]));
      return { rules: EARN_SOURCES.map((s) => ruleOf(s, byId.get(s) ?? null)), expiryDays: await expiryDays() };
    },

    async updateRule(actor: Actor, source: EarnSource, patch: UpdateRuleBody): Promise<PointsRule> {
      const before = await getRule(source);
      const after: PointsRule = { ...before, ...patch, source };
      if (after.dailyCap !== null && after.monthlyCap !== null && after.monthlyCap < after.dailyCap) {
        throw new AppError('VALIDATION_FAILED', { message: '每月上限不能小于每日上限' });
      }
      await PointsRuleModel.updateOne(
        { _id: source },
        {
          $set: {
            amount: after.amount,
            dailyCap: after.dailyCap,
            monthlyCap: after.monthlyCap,
            enabled: after.enabled,
            updatedAt: clock.now(),
            updatedBy: oid(actor.id),
          },
        },
        { upsert: true },
      );
      await deps.audit.record({
        actorId: actor.id,
        action: 'points.rule.update',
        target: { type: 'points_rule', id: source },
        details: { before, after },
        ...(actor.requestId ? { requestId: actor.requestId } : {}),
      });
      return after;
    },

    async setExpiryDays(actor: Actor, days: number): Promise<number> {
      const before = await expiryDays();
      await PointsSettingsModel.updateOne({ _id: 'global' }, { $set: { expiryDays: days, updatedAt: clock.now() } }, { upsert: true });
      await deps.audit.record({
        actorId: actor.id,
        action: 'points.settings.update',
        target: { type: 'points_settings', id: 'global' },
        details: { before: { expiryDays: before }, after: { expiryDays: days } },
        ...(actor.requestId ? { requestId: actor.requestId } : {}),
      });
      return days;
    },
  };
}
