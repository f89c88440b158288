export {
  configWarnings,
  loadConfig,
  setListeningPort,
  ConfigError,
  CONSOLE_BUILD_DIR,
  DEV_JWT_SECRET,
  DEV_WECHAT_APP_SECRET,
} from './config';
export type { Config, NotificationsConfig, RateLimits, S3Config, WenzhengTemplates } from './config';
export { writeLimitPlan } from './write-limits';
