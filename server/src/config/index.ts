export { loadConfig, setListeningPort, ConfigError, DEV_JWT_SECRET, DEV_WECHAT_APP_SECRET } from './config';
export type { Config, S3Config, WenzhengTemplates } from './config';
