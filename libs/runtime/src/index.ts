export { createInfrastructure, type Infrastructure } from './infrastructure';
export { bootstrapService, rootModule } from './bootstrap-service';
