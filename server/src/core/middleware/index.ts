export { requestId } from './request-id';
export { requestLogger } from './request-logger';
export { errorHandler } from './error-handler';
export { notFound } from './not-found';
export { securityHeaders, corsForH5 } from './security';
export { jsonBody } from './body-parser';
export { validate, isValidateMiddleware, findForbiddenKeys } from './validate';
export type { ValidateMiddleware, ValidateSchemas, ValidatedInput, RouteDoc, RouteDocView, RouteAccess, FieldIssue } from './validate';
export { dispatchRouters } from './route-dispatch';
