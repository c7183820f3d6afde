export * from './clock';
export * from './correlation';
export * from './logger';
export * from './app-error';
export * from './health-registry';
export * from './metrics';
export { ObservabilityController } from './observability.controller';
export { CoreModule, type CoreModuleOptions } from './core.module';
