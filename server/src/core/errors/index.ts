export { AppError, isAppError } from './app-error';
export { STATUS_BY_KIND } from './status-table';
