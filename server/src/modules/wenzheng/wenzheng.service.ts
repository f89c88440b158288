/**
 * The 问政 service: citizens ask, editors triage and route, departments (and co-departments) answer on a
 * working-day clock, boards rank them. This file only composes it; each sub-capability has its own file and
 * the case's state machine is the pure case-rules.ts.
 */
import { createDailyFigures } from './daily-figures';
import { createBoardQueries } from './board-queries';
import { createCaseQueries } from './case-queries';
import { createClock } from './clock';
import { createCoDepartments } from './co-departments';
import { createDepartmentWorkflow } from './department-workflow';
import { createIntake } from './intake';
import { buildParts, type WenzhengServiceDeps } from './parts';
import { createRating } from './rating';
import { DEFAULT_SETTINGS } from './reference-data';
import { createSettingsAdmin } from './settings';
import { createTodoCounts } from './todo';
import { createTriage } from './triage';

export { DEFAULT_SETTINGS } from './reference-data';
export type { WenzhengServiceDeps } from './parts';

export type WenzhengService = ReturnType<typeof createWenzhengService>;

export function createWenzhengService(deps: WenzhengServiceDeps) {
  const parts = buildParts(deps);
  return {
    ...createDailyFigures(),
    DEFAULT_SETTINGS,
    ...createIntake(parts),
    ...createCaseQueries(parts),
    ...createTriage(parts),
    ...createDepartmentWorkflow(parts),
    ...createCoDepartments(parts),
    listLeaders: parts.leaders.listLeaders,
    ...createRating(parts),
    ...createBoardQueries(parts),
    ...createClock(parts),
    ...createSettingsAdmin(parts),
    ...createTodoCounts(),
  };
}
