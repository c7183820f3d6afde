export * from './app-config';
export { envSchema, type Env } from './config.schema';
export { loadConfig, ConfigError } from './load-config';
export { ConfigModule, APP_CONFIG } from './config.module';
