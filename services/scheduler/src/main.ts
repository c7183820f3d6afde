import 'reflect-metadata';
import { bootstrapService } from '@sx/runtime';
import { SchedulerModule } from './index';

bootstrapService('scheduler', SchedulerModule).catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
