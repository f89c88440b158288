export { createLimiter, createRateLimit, retryAfterHeader, type Budget, type Limiter, type RateLimitRule } from './limiter';
export { applyWriteLimits, writeRoutes, type WriteLimitPlan, type WritePolicy } from './write-limits';
