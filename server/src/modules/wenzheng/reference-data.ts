/**
 * What the rules read besides the case: the settings (deadlines, reminder window, nearby radius, default
 * departments), the holiday calendar and the departments.
 */
import type { WenzhengSettings } from '@shared/schemas/wenzheng';
import { AppError } from '../../core/errors';
import { DepartmentModel, HolidayModel, SettingsModel, type DepartmentDoc, type SettingsDoc } from './wenzheng.model';
import { addWorkingDays, type Calendar } from './working-days';

export const DEFAULT_SETTINGS: WenzhengSettings = {
  deadlines: { accept: 1, consultation: 2, complaint: 5, complex: 15 },
  remindBeforeHours: 24,
  nearbyMeters: 1000,
  categoryDepartments: {},
};

export async function settings(): Promise<WenzhengSettings> {
  const doc = await SettingsModel.findById('settings').lean<SettingsDoc>();
  if (!doc) return DEFAULT_SETTINGS;
  return {
    deadlines: { ...DEFAULT_SETTINGS.deadlines, ...doc.deadlines },
    remindBeforeHours: doc.remindBeforeHours,
    nearbyMeters: doc.nearbyMeters,
    categoryDepartments: doc.categoryDepartments ?? {},
  };
}

export async function calendar(): Promise<Calendar> {
  const docs = await HolidayModel.find({}).lean();
  return new Map(docs.map((d) => [d.date, d.kind]));
}

/** The deadline `days` working days after `from`, on the admin's calendar. */
export async function dueIn(days: number, from: Date): Promise<Date> {
  return addWorkingDays(from, days, await calendar());
}

export async function departments(): Promise<Map<string, DepartmentDoc>> {
  const docs = await DepartmentModel.find({}).sort({ code: 1 }).lean<DepartmentDoc[]>();
  return new Map(docs.map((d) => [d.code, d]));
}

export const deptName = (depts: Map<string, DepartmentDoc>, code: string) => depts.get(code)?.name ?? code;

export async function findDepartment(code: string | undefined): Promise<DepartmentDoc | null> {
  return DepartmentModel.findOne({ code }).lean<DepartmentDoc>();
}

export async function mustDepartment(code: string): Promise<DepartmentDoc> {
  const doc = await findDepartment(code);
  if (!doc) throw new AppError('WENZHENG_DEPARTMENT_NOT_FOUND', { details: { code } });
  return doc;
}

export async function propagandaCodes(): Promise<string[]> {
  const docs = await DepartmentModel.find({ propaganda: true }).lean<DepartmentDoc[]>();
  return docs.map((d) => d.code);
}

/** The propaganda department's name, as it signs its assignments. */
export async function propagandaName(): Promise<string> {
  return (await DepartmentModel.findOne({ propaganda: true }).lean<DepartmentDoc>())?.name ?? '宣传部';
}
