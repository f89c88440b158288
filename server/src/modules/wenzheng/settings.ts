/** The admin's side of 问政: departments, settings (deadlines, reminders, nearby radius, default departments) and the holiday calendar. */
import type { DepartmentBody, DepartmentView, HolidayView, WenzhengSettings } from '@shared/schemas/wenzheng';
import { authorize, can, type Actor } from '../../core/auth';
import { oid } from '../../core/db';
import { AppError } from '../../core/errors';
import type { WenzhengParts } from './parts';
import { departments, mustDepartment, settings } from './reference-data';
import { DepartmentModel, HolidayModel, SettingsModel, type DepartmentDoc } from './wenzheng.model';

export function createSettingsAdmin({ clock }: Pick<WenzhengParts, 'clock'>) {
  return {
    async listDepartments(actor: Actor | null): Promise<DepartmentView[]> {
      const admin = can(actor, { role: 'admin' });
      return [...(await departments()).values()].map((d) => ({
        code: d.code,
        name: d.name,
        propaganda: d.propaganda,
        ...(admin ? { headUserIds: d.headUserIds.map((h) => h.toHexString()) } : {}),
      }));
    },

    /** Department names by code (the audit log names the departments its role grants are scoped to). */
    async departmentNames(codes: readonly string[]): Promise<Map<string, string>> {
      const all = await departments();
      return new Map(codes.flatMap((c) => (all.get(c) ? [[c, all.get(c)!.name] as [string, string]] : [])));
    },

    async saveDepartment(actor: Actor | null, code: string, body: DepartmentBody): Promise<DepartmentView> {
      if (actor) authorize(actor, { role: 'admin' });
      const doc = await DepartmentModel.findOneAndUpdate(
        { code },
        { $set: { name: body.name, headUserIds: body.headUserIds.map(oid), propaganda: body.propaganda, updatedAt: clock.now() } },
        { upsert: true, returnDocument: 'after', lean: true },
      );
      const d = doc as DepartmentDoc;
      return { code: d.code, name: d.name, propaganda: d.propaganda, headUserIds: d.headUserIds.map((h) => h.toHexString()) };
    },

    /** `actor` null: the system (seed, jobs). */
    async getSettings(actor: Actor | null): Promise<WenzhengSettings> {
      if (actor) authorize(actor, { anyOf: ['editor', 'admin'] });
      return settings();
    },

    async updateSettings(actor: Actor | null, patch: Partial<WenzhengSettings>): Promise<WenzhengSettings> {
      if (actor) authorize(actor, { role: 'admin' });
      for (const code of Object.values(patch.categoryDepartments ?? {})) if (code) await mustDepartment(code);
      const next = { ...(await settings()), ...patch };
      await SettingsModel.updateOne({ _id: 'settings' }, { $set: { ...next, updatedAt: clock.now() } }, { upsert: true });
      return next;
    },

    async listHolidays(year?: number): Promise<HolidayView[]> {
      const filter = year ? { date: { $gte: `${year}-01-01`, $lte: `${year}-12-31` } } : {};
      const docs = await HolidayModel.find(filter).sort({ date: 1 }).lean();
      return docs.map((d) => ({ date: d.date, kind: d.kind, name: d.name }));
    },

    async setHoliday(actor: Actor | null, date: string, kind: 'holiday' | 'workday', name: string): Promise<HolidayView> {
      if (actor) authorize(actor, { role: 'admin' });
      if (Number.isNaN(Date.parse(`${date}T00:00:00Z`)) || new Date(`${date}T00:00:00Z`).toISOString().slice(0, 10) !== date) {
        throw new AppError('VALIDATION_FAILED', { message: '日期无效', details: { date } });
      }
      await HolidayModel.updateOne({ date }, { $set: { kind, name } }, { upsert: true });
      return { date, kind, name };
    },

    async removeHoliday(actor: Actor, date: string): Promise<void> {
      authorize(actor, { role: 'admin' });
      const res = await HolidayModel.deleteOne({ date });
      if (res.deletedCount === 0) throw new AppError('NOT_FOUND');
    },
  };
}
